"""«Ta i bruk»: a local editor takes another community's published page into use, in three ways."""

from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from wagtail.models import GroupPagePermission

from demo.media import text_pdf
from kompetanse.communities import ensure_community, listing_for
from kompetanse.models import KnowledgePage, ProcedurePage
from reuse.models import Adoption, LocalAddition, exclude_live_copies, is_live_copy
from tests.kompetanse.sample_data import create_full_page
from tests.reuse.conftest import copy_world_media
from tests.worlds import built_once, fresh

pytestmark = pytest.mark.django_db


def editor(django_user_model, community, name, permissions=("add", "change", "publish")):
    """A local editor with page permissions on their own community only (as the editorial teams give)."""
    user = django_user_model.objects.create_user(name, f"{name}@example.no", "passord")
    group = Group.objects.create(name=f"Redaksjon {name}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for permission in permissions:
        GroupPagePermission.objects.create(
            group=group, page=community, permission=Permission.objects.get(codename=f"{permission}_page")
        )
    user.groups.add(group)
    return user


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker, world_media):
    """Built once for the module: the central page to take into use, and Oslo with its editor."""
    with built_once(django_db_blocker):
        with override_settings(MEDIA_ROOT=str(world_media)):
            ensure_community("sentral")
            source = create_full_page("procedure", community="sentral")
            oslo = ensure_community("oslo", "Helsefellesskap Oslo")
            oslo_editor = editor(get_user_model(), oslo, "oslo-redaktor")
        yield {"source": source, "oslo_editor": oslo_editor}


@pytest.fixture
def world(_world, db, world_media, _media_root):
    """The module's data read anew, with the source's files in this test's media folder."""
    copy_world_media(world_media, _media_root)
    return fresh(_world)


@pytest.fixture
def source(world):
    return world["source"]


@pytest.fixture
def oslo_editor(world, oslo):
    return world["oslo_editor"]


def adopt_via_admin(client, user, source, mode, community):
    client.force_login(user)
    return client.post(f"/admin/gjenbruk/ta-i-bruk/{source.pk}/", {"mode": mode, "community": community.pk})


def the_copy(community):
    return ProcedurePage.objects.child_of(listing_for(community, "procedure")).get()


def publish_change(page, **fields):
    page = page.specific
    for key, value in fields.items():
        setattr(page, key, value)
    # The live copies follow in a task enqueued when the publish commits (reuse.tasks).
    with TestCase.captureOnCommitCallbacks(execute=True):
        page.save_revision().publish()
    return ProcedurePage.objects.get(pk=page.pk)


def test_an_editor_who_can_only_read_the_source_can_adapt_it(client, source, oslo, oslo_editor):
    assert not source.permissions_for_user(oslo_editor).can_edit()
    response = adopt_via_admin(client, oslo_editor, source, "adapt", oslo)
    copy = the_copy(oslo)
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{copy.pk}/edit/"
    assert copy.live and copy.title == source.title and copy.purpose == source.purpose
    assert [s["value"]["title"] for s in copy.steps.raw_data] == ["Steg-en-ABC", "Steg-to-ABC"]
    assert (
        copy.attachments.raw_data[0]["value"]["document"]
        == source.attachments.raw_data[0]["value"]["document"]
    )
    adoption = copy.adoption
    assert (adoption.source_id, adoption.mode, adoption.adopted_by) == (source.pk, "adapt", oslo_editor)
    assert adoption.source_revision == ProcedurePage.objects.get(pk=source.pk).live_revision
    # The source is untouched and the editor got no rights on it.
    assert not source.permissions_for_user(oslo_editor).can_edit()
    html = client.get(copy.url).content.decode()
    assert "Tilpasset fra" in html and "Felles innhold" in html


def test_adopting_needs_the_right_to_add_pages_in_the_target(client, django_user_model, source, oslo):
    reader = editor(django_user_model, oslo, "leser", permissions=())
    client.force_login(reader)
    response = client.get(f"/admin/gjenbruk/ta-i-bruk/{source.pk}/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not Adoption.objects.exists()


def test_drafts_cannot_be_taken_into_use(client, source, oslo, oslo_editor):
    source.unpublish()
    client.force_login(oslo_editor)
    assert client.get(f"/admin/gjenbruk/ta-i-bruk/{source.pk}/").status_code == 404


def test_use_as_is_follows_the_source_and_cannot_be_edited(client, source, oslo, oslo_editor):
    adopt_via_admin(client, oslo_editor, source, "as_is", oslo)
    copy = the_copy(oslo)
    assert is_live_copy(copy)

    publish_change(source, summary="Nytt sammendrag fra kilden.")

    copy = ProcedurePage.objects.get(pk=copy.pk)
    assert copy.summary == "Nytt sammendrag fra kilden." and copy.live
    response = client.get(f"/admin/pages/{copy.pk}/edit/")
    assert response.status_code == 302
    html = client.get(copy.url).content.decode()
    assert "hentet fra" in html and "Felles innhold" in html

    # The editors may turn it into an adaptation; then it is theirs to edit and stops following.
    client.post(f"/admin/gjenbruk/tilpass/{copy.pk}/")
    assert not is_live_copy(copy)
    assert client.get(f"/admin/pages/{copy.pk}/edit/").status_code == 200
    publish_change(source, summary="Enda nyere sammendrag.")
    assert ProcedurePage.objects.get(pk=copy.pk).summary == "Nytt sammendrag fra kilden."


def test_the_admin_offers_ta_i_bruk_on_published_pages(client, django_user_model, source, oslo):
    admin = django_user_model.objects.create_superuser("sjef", "sjef@example.no", "passord")
    client.force_login(admin)
    html = client.get(f"/admin/pages/{source.get_parent().pk}/").content.decode()
    assert f"/admin/gjenbruk/ta-i-bruk/{source.pk}/" in html
    listing = client.get("/admin/gjenbruk/ta-i-bruk/?q=Prosedyre").content.decode()
    assert source.title in listing


def test_use_with_local_additions_keeps_them_when_the_source_changes(client, source, oslo, oslo_editor):
    response = adopt_via_admin(client, oslo_editor, source, "with_local", oslo)
    copy = the_copy(oslo)
    assert response["Location"] == f"/admin/gjenbruk/lokalt/{copy.pk}/"
    # Editing the page leads to the local additions, not to the source's text.
    assert client.get(f"/admin/pages/{copy.pk}/edit/")["Location"] == f"/admin/gjenbruk/lokalt/{copy.pk}/"
    client.post(
        f"/admin/gjenbruk/lokalt/{copy.pk}/",
        {
            "contact": "Legevakten Oslo, tlf. 116 117",
            "routine": "<p>Lokal rutine-XYZ</p><script>x()</script>",
        },
    )

    publish_change(source, purpose="<p>Nytt formål fra kilden.</p>")

    copy = ProcedurePage.objects.get(pk=copy.pk)
    assert "Nytt formål fra kilden." in copy.purpose
    local = LocalAddition.objects.get(page=copy)
    assert local.contact == "Legevakten Oslo, tlf. 116 117"
    html = client.get(copy.url).content.decode()
    assert "Lokalt tillegg for Helsefellesskap Oslo" in html
    assert "Lokal rutine-XYZ" in html and "<script>x()" not in html


def test_local_attachments_can_be_added_and_removed(client, source, oslo, oslo_editor):
    adopt_via_admin(client, oslo_editor, source, "with_local", oslo)
    copy = the_copy(oslo)
    upload = SimpleUploadedFile("rutine.pdf", text_pdf("Lokal rutine", "Innhold"), "application/pdf")
    client.post(
        f"/admin/gjenbruk/lokalt/{copy.pk}/",
        {"contact": "", "routine": "", "new_attachment": upload, "new_attachment_title": "Lokalt skjema-XYZ"},
    )
    html = client.get(copy.url).content.decode()
    assert "Lokale vedlegg" in html and "Lokalt skjema-XYZ" in html

    block_id = LocalAddition.objects.get(page=copy).attachments[0].id
    client.post(
        f"/admin/gjenbruk/lokalt/{copy.pk}/", {"contact": "", "routine": "", "remove_attachments": [block_id]}
    )
    assert len(LocalAddition.objects.get(page=copy).attachments) == 0
    assert "Lokalt skjema-XYZ" not in client.get(copy.url).content.decode()


def test_source_changed_notice_comparison_take_over_and_dismiss(client, source, oslo, oslo_editor):
    adopt_via_admin(client, oslo_editor, source, "adapt", oslo)
    copy = the_copy(oslo)
    copy.summary = "Vår egen tekst."
    copy.save_revision().publish()
    adoption = Adoption.objects.get(page=copy)
    assert not adoption.source_has_changed()

    publish_change(source, summary="Kildens nye sammendrag.", scope="<p>Nytt omfang.</p>")
    adoption.refresh_from_db()
    assert adoption.source_has_changed()

    # The notice in the editor, and the report.
    edit = client.get(f"/admin/pages/{copy.pk}/edit/", follow=True).content.decode()
    assert "Kilden er endret" in edit
    report = client.get("/admin/gjenbruk/endrede-kilder/").content.decode()
    assert copy.title in report and f"/admin/gjenbruk/kilde-endret/{copy.pk}/" in report

    changes = client.get(f"/admin/gjenbruk/kilde-endret/{copy.pk}/").content.decode()
    assert "Kildens nye sammendrag." in changes and "Nytt omfang." in changes
    assert "Sammendrag-ABC om samarbeid." in changes  # what the source said before

    client.post(f"/admin/gjenbruk/kilde-endret/{copy.pk}/", {"field": ["scope"], "take": "1"})
    draft = ProcedurePage.objects.get(pk=copy.pk).get_latest_revision_as_object()
    assert "Nytt omfang." in draft.scope
    assert draft.summary == "Vår egen tekst."  # not taken over
    adoption.refresh_from_db()
    assert not adoption.source_has_changed()
    assert copy.title not in client.get("/admin/gjenbruk/endrede-kilder/").content.decode()

    publish_change(source, summary="Enda en endring.")
    adoption.refresh_from_db()
    assert adoption.source_has_changed()
    client.post(f"/admin/gjenbruk/kilde-endret/{copy.pk}/", {"dismiss": "1"})
    adoption.refresh_from_db()
    assert not adoption.source_has_changed()


def test_side_by_side_comparison_of_two_adaptations(client, django_user_model, source, oslo, oslo_editor):
    ahus = ensure_community("ahus", "Helsefellesskap Ahus")
    ahus_editor = editor(django_user_model, ahus, "ahus-redaktor")
    adopt_via_admin(client, oslo_editor, source, "adapt", oslo)
    adopt_via_admin(client, ahus_editor, source, "adapt", ahus)
    oslo_copy, ahus_copy = the_copy(oslo), the_copy(ahus)
    oslo_copy.summary = "Oslos sammendrag."
    oslo_copy.save_revision().publish()

    html = client.get(f"/admin/gjenbruk/sammenlign/{oslo_copy.pk}/{ahus_copy.pk}/").content.decode()
    assert "Helsefellesskap Oslo" in html and "Helsefellesskap Ahus" in html
    assert "Oslos sammendrag." in html and "Sammendrag-ABC om samarbeid." in html
    assert html.count('class="reuse-compare__field differs"') == 1

    # Each page shows the other communities' versions.
    page_html = client.get(oslo_copy.url).content.decode()
    assert "Slik gjør andre helsefellesskap det" in page_html
    assert ahus_copy.url in page_html and source.url in page_html


def test_live_copies_can_be_left_out_of_search(client, source, oslo, oslo_editor):
    adopt_via_admin(client, oslo_editor, source, "as_is", oslo)
    copy = the_copy(oslo)
    remaining = exclude_live_copies(KnowledgePage.objects.live())
    assert source.pk in remaining.values_list("pk", flat=True)
    assert copy.pk not in remaining.values_list("pk", flat=True)


def test_the_central_page_is_not_listed_twice_once_taken_into_use(client, source, oslo, oslo_editor):
    listing = listing_for(oslo, "procedure")
    assert [p.pk for p in listing.listed_pages()] == [source.pk]
    adopt_via_admin(client, oslo_editor, source, "as_is", oslo)
    assert [p.pk for p in listing.listed_pages()] == [the_copy(oslo).pk]


def test_search_finds_adopted_content_once_not_once_per_live_copy(client, source, oslo, oslo_editor):
    adopt_via_admin(client, oslo_editor, source, "as_is", oslo)
    copy = the_copy(oslo)
    assert copy.live and copy.title == source.title
    results = client.get("/api/search/", {"q": "Prosedyre-ABC"}).json()["results"]
    assert [urlparse(r["url"]).path for r in results if r["title"] == source.title] == [source.url]
