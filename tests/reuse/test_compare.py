"""«Sammenlign med …»: two communities' versions of the same content side by side in the admin,
reached from a button on each page that has a counterpart, with labels and rendered blocks."""

import pytest
from bs4 import BeautifulSoup

from kompetanse.communities import ensure_community
from reuse.adopting import adopt
from reuse.models import MODE_ADAPT
from tests.kompetanse.sample_data import COMMON, create_full_page, make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(django_user_model, client):
    user = django_user_model.objects.create_superuser("admin-sammenlign", "a@example.no", "passord")
    client.force_login(user)
    return user


@pytest.fixture
def pages(admin):
    """A central procedure with a picture, and Oslo's adaptation of it."""
    ensure_community("sentral", "Felles innhold")
    picture = make_image(title="Hjemmebesøk")
    body = [*COMMON["body"], ["image", {"image": picture.pk, "decorative": False, "alt_text": ""}]]
    source = create_full_page("procedure", community="sentral", body=body)
    copy = adopt(source, ensure_community("oslo", "Helsefellesskap Oslo"), MODE_ADAPT, admin)
    if not copy.live:
        copy.get_latest_revision().publish(user=admin)
    return source, copy.specific, picture


def field(section, label):
    """The comparison's section for the field labelled `label`."""
    for row in section.select("section"):
        if row.h2.contents[0].strip() == label:
            return row
    return None


def comparison(client, left, right):
    html = client.get(f"/admin/gjenbruk/sammenlign/{left.pk}/{right.pk}/").content.decode()
    return BeautifulSoup(html, "html.parser").select_one(".reuse-compare")


def test_a_page_with_a_counterpart_has_a_button_to_compare_and_one_without_has_none(client, pages):
    source, copy, _picture = pages
    edit = BeautifulSoup(client.get(f"/admin/pages/{copy.pk}/edit/").content.decode(), "html.parser")
    link = edit.find("a", href=f"/admin/gjenbruk/sammenlign/{copy.pk}/{source.pk}/")
    assert link is not None and link.get_text(" ", strip=True) == "Sammenlign med Felles innhold"

    edit = BeautifulSoup(client.get(f"/admin/pages/{source.pk}/edit/").content.decode(), "html.parser")
    link = edit.find("a", href=f"/admin/gjenbruk/sammenlign/{source.pk}/{copy.pk}/")
    assert link is not None and link.get_text(" ", strip=True) == "Sammenlign med Helsefellesskap Oslo"

    alone = create_full_page("procedure", community="oslo", title="Egen-prosedyre")
    html = client.get(f"/admin/pages/{alone.pk}/edit/").content.decode()
    assert "/admin/gjenbruk/sammenlign/" not in html and "Sammenlign med" not in html


def test_the_comparison_shows_labels_and_rendered_blocks_never_field_or_block_names(client, pages):
    source, copy, _picture = pages
    copy.summary = "Oslos eget sammendrag om samarbeid."
    copy.save_revision().publish()

    section = comparison(client, copy, source)
    text = section.get_text(" ", strip=True)
    for label in (
        "Sammendrag",
        "Formål",
        "Fremgangsmåte",
        "Innhold",
        "Vedlegg",
        "Innholdsansvarlig",
        "Målgrupper",
    ):
        assert field(section, label) is not None, label
    for raw in (
        "summary",
        "steps",
        "content_owner",
        "target_groups",
        "paragraph",
        "heading",
        "notice",
        "attachment",
        "skropelige-eldre",
        "legemidler",
        "h2",
        "None",
    ):
        assert raw not in text, raw
    assert "1. Steg-en-ABC" in text and "2. Steg-to-ABC" in text and "Advarsel: Advarsel-ABC" in text
    assert "[Bilde: Hjemmebesøk]" in text and "[Dokument: Vedlegg-ABC]" in text

    summary = field(section, "Sammendrag")
    assert "differs" in summary["class"] and "ulikt" in summary.h2.get_text()
    assert [str(del_) for del_ in summary.select("del")] == ["<del>Oslos eget sammendrag</del>"]
    assert [str(ins) for ins in summary.select("ins")] == ["<ins>Sammendrag-ABC</ins>"]
    assert len(section.select("section.differs")) == 1


def test_a_picture_swapped_for_another_with_the_same_title_is_different(client, pages):
    source, copy, picture = pages
    other = make_image(title=picture.title)
    blocks = list(copy.body.raw_data)[:-1]
    swapped = {"type": "image", "value": {"image": other.pk, "decorative": False, "alt_text": ""}}
    copy.body = type(copy).body.field.to_python([*blocks, swapped])
    copy.save_revision().publish()

    section = comparison(client, copy, source)
    body_row = field(section, "Innhold")
    assert "differs" in body_row["class"] and "ulikt" in body_row.h2.get_text()
    assert [row.h2.contents[0].strip() for row in section.select("section.differs")] == ["Innhold"]
