"""One comparison of two pages (kompetanse.comparison), for the change log and the reuse app's
side-by-side view: the editor's fields in edit-form order, each as text, marked where they differ."""

import datetime

import pytest
from wagtail.rich_text import RichText

from kompetanse.comparison import compare
from kompetanse.models import GoodExamplePage, ProcedurePage
from kompetanse.models.good_example import GoodExampleImage
from tests.kompetanse.sample_data import make_document, make_image

pytestmark = pytest.mark.django_db


def procedure(**fields):
    return ProcedurePage(title="Morfin i hjemmet", summary="Slik gir du morfin.", **fields)


def test_fields_in_edit_form_order_and_what_changed():
    old = procedure(version="1.0", next_review=datetime.date(2027, 1, 15))
    new = procedure(version="1.1", next_review=datetime.date(2027, 1, 15))
    new.summary = "Slik gir du morfin trygt."

    rows = {row.name: row for row in compare(old, new)}
    names = list(rows)
    assert names[:2] == ["title", "summary"]
    assert {name for name, row in rows.items() if row.changed} == {"summary", "version"}
    assert rows["title"].label == "Tittel" and not rows["title"].changed
    assert rows["next_review"].right == "15.01.2027"
    assert rows["summary"].html == "Slik gir du <del>morfin.</del> <ins>morfin trygt.</ins>"


def test_text_is_escaped_in_the_word_diff():
    rows = {row.name: row for row in compare(procedure(version="<b>1</b>"), procedure(version="<b>2</b>"))}
    assert "<b>" not in rows["version"].html and "&lt;b&gt;" in rows["version"].html


def test_an_image_swapped_under_the_same_text_is_a_change():
    first, second = make_image(title="Sykepleier"), make_image(title="Sykepleier")

    def with_image(image):
        return procedure(body=[("image", image), ("paragraph", RichText("<p>Se bildet.</p>"))])

    rows = {row.name: row for row in compare(with_image(first), with_image(second))}
    assert rows["body"].left == rows["body"].right == "[Bilde: Sykepleier]\nSe bildet."
    assert rows["body"].changed
    assert (
        rows["body"].html
        == "<del>[Bilde: Sykepleier]<br>Se bildet.</del> <ins>[Bilde: Sykepleier]<br>Se bildet.</ins>"
    )
    assert not any(row.changed for row in compare(with_image(first), with_image(first)))


def test_images_of_a_good_example_and_attached_documents_are_compared_by_id():
    old_image, new_image = make_image(title="Før"), make_image(title="Etter")
    old_document, new_document = make_document(title="Skjema"), make_document(title="Skjema")

    old = GoodExamplePage(title="Hjemmebesøk", summary="Om besøk.")
    old.gallery_images = [GoodExampleImage(image=old_image, caption="Besøket")]
    new = GoodExamplePage(title="Hjemmebesøk", summary="Om besøk.")
    new.gallery_images = [GoodExampleImage(image=new_image, caption="Besøket")]
    rows = {row.name: row for row in compare(old, new)}
    assert rows["gallery_images"].label == "Bilder"
    assert (rows["gallery_images"].left, rows["gallery_images"].right) == (
        "[Bilde: Før] – Besøket",
        "[Bilde: Etter] – Besøket",
    )
    assert rows["gallery_images"].html == "[Bilde: <del>Før]</del> <ins>Etter]</ins> – Besøket"
    assert {name for name, row in rows.items() if row.changed} == {"gallery_images"}

    def attached(document):
        return procedure(attachments=[("attachment", {"document": document, "title": "Skjema"})])

    rows = {row.name: row for row in compare(attached(old_document), attached(new_document))}
    assert rows["attachments"].right == "[Dokument: Skjema]\nVisningstittel: Skjema"
    assert rows["attachments"].changed


def test_blocks_read_with_their_labels_and_steps_numbered():
    page = procedure(
        steps=[
            ("step", {"title": "Vask hendene", "text": RichText("<p>Med såpe.</p>"), "warning": ""}),
            ("step", {"title": "Gi dosen", "text": RichText(""), "warning": "Sjekk styrken."}),
        ],
        body=[
            ("heading", {"text": "Bakgrunn", "level": "h2"}),
            ("notice", {"kind": "warning", "text": RichText("<p>Obs.</p>")}),
        ],
    )
    rows = {row.name: row for row in compare(procedure(), page)}
    assert (
        rows["steps"].right
        == "1. Vask hendene\nBeskrivelse: Med såpe.\n2. Gi dosen\nAdvarsel: Sjekk styrken."
    )
    assert "h2" not in rows["body"].right and "heading" not in rows["body"].right
    assert rows["body"].right.startswith("Bakgrunn\n")
