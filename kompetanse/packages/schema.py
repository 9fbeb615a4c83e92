"""The ``kompetanse-package`` format: its name, versions and limits, the JSON Schema that
describes it (``schema.json``, quoted in docs/content-package.md), and the errors a package that
cannot be imported raises, in bokmål, naming the item and the key.

The schema checks the shape of a package. What it cannot know (communities and target groups in
this portal, uids repeated within the package, references to the package's images and documents,
permissions, the files themselves) is checked in reading.py and media.py.
"""

import functools
import json
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

PACKAGE_FORMAT = "kompetanse-package"
SUPPORTED_VERSIONS = {1, 2}
MAX_UID_LENGTH = 100
# An export names a page that was not imported by its own translation key: ``kp-<uuid>``.
OWN_UID_PREFIX = "kp-"
# A real package nests about eight levels deep (items, body, block, table, row); deeper is refused
# before any code walks it.
MAX_NESTING = 32


class PackageError(Exception):
    """A package that cannot be imported; the message names the item and the reason."""

    def __init__(self, message, *, index=None, uid=None):
        self.index = index
        self.uid = uid
        if index is not None:
            where = f"Element {index + 1}" + (f" (uid «{uid}»)" if uid else "")
            message = f"{where}: {message}"
        super().__init__(message)


# --- The schema -------------------------------------------------------------------------------

SCHEMA_PATH = Path(__file__).with_name("schema.json")

# Keys of an item in the order a reader checks them; the first problem in this order is reported.
ITEM_KEY_ORDER = [
    "uid",
    "type",
    "community",
    "title",
    "summary",
    "body",
    "target_groups",
    "topics",
    "levels",
    "next_review",
]
TOP_KEY_ORDER = ["format", "version", "items", "images", "documents"]
SLUG_LISTS = {"target_groups", "topics", "levels"}
OBJECT_LISTS = {
    "steps",
    "references",
    "attachments",
    "responsibilities",
    "parties",
    "result_figures",
    "images",
}
OBJECTS = {"owner", "contact", "provenance"}
DATES = {
    "valid_from",
    "last_reviewed",
    "next_review",
    "period_start",
    "period_end",
    "date",
    "registration_deadline",
}
DATETIMES = {"start", "end"}
TYPE_TEXT = {
    "string": "tekst",
    "array": "en liste",
    "object": "et objekt",
    "integer": "et heltall",
    "number": "et tall",
    "boolean": "sann eller usann",
    "null": "tom (null)",
}


def load_schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@functools.cache
def _validator():
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def content_kinds():
    """The item types the schema knows (tests hold them equal to kompetanse.models.CONTENT_MODELS)."""
    return load_schema()["$defs"]["item_common"]["properties"]["type"]["enum"]


def body_block_types():
    """The body blocks the schema knows (tests hold them equal to BaseStreamBlock's)."""
    return load_schema()["$defs"]["block"]["prefixItems"][0]["enum"]


def check_against_schema(data):
    """Raise PackageError, in bokmål, for the first way `data` breaks the schema (in reading
    order: the package's own keys, then item by item and key by key), or return None."""
    errors = list(_validator().iter_errors(data))
    if errors:
        error = min(errors, key=lambda error: _reading_order(error, data))
        raise _translate(error, data)


def _missing(error):
    """The first required key an object lacks, in reading order."""
    present = error.instance if isinstance(error.instance, dict) else {}
    missing = [key for key in error.validator_value if key not in present]
    order = ITEM_KEY_ORDER + TOP_KEY_ORDER
    return min(missing, key=lambda key: order.index(key) if key in order else len(order))


def _rank(key, order):
    if isinstance(key, int):
        return (0, key, "")
    return (1, order.index(key) if key in order else len(order), str(key))


def _reading_order(error, data):
    path = list(error.absolute_path)
    if error.validator == "required":
        path.append(_missing(error))
    if not path:
        return ((-1, 0, ""),)
    if path[0] == "items" and len(path) > 1:
        return (
            _rank("items", TOP_KEY_ORDER),
            _rank(path[1], []),
            *(_rank(key, ITEM_KEY_ORDER) for key in path[2:]),
        )
    return tuple(_rank(key, TOP_KEY_ORDER) for key in path)


def _value_text(value):
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _generic(error, where):
    """A message for what the specific ones below do not cover: «where» and what is wrong."""
    if error.validator == "required":
        return f"{where} mangler «{_missing(error)}»." if where else f"mangler «{_missing(error)}»."
    if error.validator == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else expected
        return f"{where} må være {' eller '.join(TYPE_TEXT.get(kind, kind) for kind in expected)}."
    if error.validator in ("minItems", "maxItems"):
        return f"{where} har feil antall elementer."
    if error.validator == "maxLength":
        return f"{where} kan være høyst {error.validator_value} tegn."
    return f"{where} har en ugyldig verdi «{_value_text(error.instance)}»."


def _where(path):
    """«steps» nr. 2: «title» for ["steps", 1, "title"]."""
    parts = []
    for key in path:
        if isinstance(key, int):
            parts[-1] += f" nr. {key + 1}"
        else:
            parts.append(f"«{key}»")
    return ": ".join(parts)


def _translate(error, data):
    path = list(error.absolute_path)
    if path[:1] == ["items"] and len(path) > 1:
        item = data["items"][path[1]]
        uid = item.get("uid") if isinstance(item, dict) and isinstance(item.get("uid"), str) else None
        uid = uid.strip() if uid and uid.strip() else None
        return PackageError(_item_message(error, path[2:], item), index=path[1], uid=uid)
    return PackageError(_package_message(error, path, data))


def _package_message(error, path, data):
    key = _missing(error) if error.validator == "required" and not path else (path[0] if path else None)
    if key is None:
        return "Pakken må være et JSON-objekt med «format», «version» og «items»."
    if key == "format":
        return f"Ukjent format «{data.get('format')}»; forventet «{PACKAGE_FORMAT}»."
    if key == "version":
        supported = ", ".join(str(v) for v in sorted(SUPPORTED_VERSIONS))
        return f"Versjon «{data.get('version')}» støttes ikke (støttet: {supported})."
    if key == "items":
        return "«items» må være en liste."
    if key in ("images", "documents"):
        if len(path) == 1:
            return f"«{key}» må være et objekt med referanser som nøkler."
        label = "Bildet" if key == "images" else "Dokumentet"
        ref, rest = path[1], path[2:]
        if not rest or rest == ["file"]:
            return f"{label} «{ref}» mangler «file»."
        return f"{label} «{ref}»: {_generic(error, _where(rest))}"
    return _generic(error, _where(path))


def _item_message(error, path, item):
    if not path:
        if error.validator == "type":
            return "Elementet må være et JSON-objekt."
        path = [_missing(error)]
        missing = True
    else:
        missing = False
    key = path[0]
    value = item.get(key) if isinstance(item, dict) else None
    if key == "uid":
        if error.validator == "maxLength":
            return f"«uid» kan være høyst {MAX_UID_LENGTH} tegn."
        return "mangler «uid»."
    if key == "type":
        return f"ukjent type «{value}»; gyldige typer er {', '.join(content_kinds())}."
    if key == "community":
        if missing or not isinstance(value, str) or not value.strip():
            return "mangler «community» (helsefellesskapets kortnavn)."
        return f"«community» må være et kortnavn med små bokstaver og bindestrek, ikke «{value}»."
    if key == "title":
        if error.validator == "maxLength":
            return "tittelen kan være høyst 255 tegn."
        return "mangler tittel («title»)."
    if key in SLUG_LISTS:
        return f"«{key}» må være en liste med kortnavn."
    if key in DATES and len(path) == 1:
        return f"«{key}» må være en dato på formen ÅÅÅÅ-MM-DD, ikke «{_value_text(value)}»."
    if key in DATETIMES and len(path) == 1:
        if missing:
            return f"mangler «{key}» (når arrangementet {'starter' if key == 'start' else 'slutter'})."
        return f"«{key}» må være et tidspunkt på formen ÅÅÅÅ-MM-DDTTT:MM, ikke «{_value_text(value)}»."
    if key == "duration" and len(path) == 1 and not missing:
        return f"«duration» må være en varighet på formen T:MM:SS (0:12:30), ikke «{_value_text(value)}»."
    if key == "body":
        if len(path) == 1:
            return (
                "«body» må være tekst."
                if error.validator_value == "string"
                else "«body» må være en liste med blokker."
            )
        number = path[1] + 1
        if path[2:] == [0] and error.validator == "enum" and isinstance(error.instance, str):
            return f"blokk {number} i «body» har ukjent type «{error.instance}»."
        return f"blokk {number} i «body» må være et par [type, verdi]."
    if key in OBJECT_LISTS and len(path) <= 2 and error.validator == "type":
        return f"«{key}» må være en liste med objekter."
    if key in OBJECTS and len(path) == 1:
        return f"«{key}» må være et objekt."
    if key == "partners":
        return "«partners» må være en liste med tekst."
    return _generic(error, _where(path))
