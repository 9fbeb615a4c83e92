"""One comparison of two pages (kompetanse.comparison), for the change log and the reuse app's
side-by-side view: the editor's fields in edit-form order, each as text, marked where they differ."""

import datetime

import pytest

from kompetanse.comparison import compare
from kompetanse.models import ProcedurePage

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
