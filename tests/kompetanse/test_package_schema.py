"""The package format's JSON Schema: the one the documentation quotes, in step with the content
model, and its errors told in bokmål, naming the item and the key."""

import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from kompetanse.blocks import BaseStreamBlock
from kompetanse.models import CONTENT_MODELS
from kompetanse.packages import PackageError, validate_package
from kompetanse.packages.schema import SCHEMA_PATH, body_block_types, content_kinds, load_schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "content-package.md"


def test_the_documentation_quotes_the_schema_file_as_it_is():
    doc = DOC.read_text(encoding="utf-8")
    quoted = re.search(r"^## Skjemaet$.*?^```json\n(.*?)^```$", doc, re.DOTALL | re.MULTILINE)
    assert quoted is not None, "docs/content-package.md has no «## Skjemaet» section with a json block"
    assert quoted.group(1) == SCHEMA_PATH.read_text(encoding="utf-8")


def test_the_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(load_schema())


def test_the_schema_knows_the_content_types_and_body_blocks_the_portal_has():
    assert content_kinds() == list(CONTENT_MODELS)
    assert body_block_types() == list(BaseStreamBlock().child_blocks)


def item(**overrides):
    return {"uid": "oslo-1", "type": "procedure", "community": "oslo", "title": "Prosedyre", **overrides}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "package, message",
    [
        (
            {"format": "kompetanse-package", "version": 2, "items": [item(steps=[{"text": "<p>x</p>"}])]},
            "Element 1 (uid «oslo-1»): «steps» nr. 1 mangler «title».",
        ),
        (
            {"format": "kompetanse-package", "version": 2, "items": [item(body=[["video", {}]])]},
            "Element 1 (uid «oslo-1»): blokk 1 i «body» har ukjent type «video».",
        ),
        (
            {"format": "kompetanse-package", "version": 2, "items": [item(owner={"name": 7})]},
            "Element 1 (uid «oslo-1»): «owner»: «name» må være tekst eller tom (null).",
        ),
        (
            {"format": "kompetanse-package", "version": 2, "items": [item(), item(uid="oslo-2", title=" ")]},
            "Element 2 (uid «oslo-2»): mangler tittel («title»).",
        ),
        (
            {"format": "kompetanse-package", "version": 2, "items": [item(valid_from="2026-02-30")]},
            "Element 1 (uid «oslo-1»): «valid_from» må være en dato på formen ÅÅÅÅ-MM-DD, ikke «2026-02-30».",
        ),
        (
            {
                "format": "kompetanse-package",
                "version": 2,
                "items": [],
                "images": {"img-1": {"title": "Kart"}},
            },
            "Bildet «img-1» mangler «file».",
        ),
        ({"format": "kompetanse-package", "items": []}, "Versjon «None» støttes ikke (støttet: 1, 2)."),
        (["ikke", "et", "objekt"], "Pakken må være et JSON-objekt med «format», «version» og «items»."),
    ],
)
def test_schema_errors_are_told_in_bokmal_naming_the_item_and_the_key(package, message):
    with pytest.raises(PackageError) as error:
        validate_package(package)
    assert str(error.value) == message
