"""The synonym list as data: the CSV format it ships in, is exported in and is imported from.

One group per line, ``;`` between columns (what a Norwegian spreadsheet writes), UTF-8:

    term;synonyms;retning
    KOLS;kronisk obstruktiv lungesykdom|røykelunge;begge
    hjertesykdom;hjerteinfarkt|hjertesvikt;en-vei

``synonyms`` are separated by ``|``; ``retning`` is ``begge`` (each finds the others) or
``en-vei`` (the term is an umbrella term that finds the synonyms, not the reverse). The starting
list (``search/data/synonymer.csv``, loaded by migration 0009), the admin's export and its import
all use this module, so the three can never disagree. It imports no models: migrations use it
with their historical model.
"""

import csv
import dataclasses
import io
import re
from pathlib import Path

HEADER = ("term", "synonyms", "retning")
BOTH, ONE_WAY = "begge", "en-vei"
SEPARATOR = "|"
STARTING_LIST = Path(__file__).parent / "data" / "synonymer.csv"

MAX_BYTES = 1_000_000
MAX_GROUPS = 5_000
MAX_LINE_CHARS = 2_000
MAX_TERM_CHARS = 100  # Synonym.term's max_length
MAX_EXPRESSION_CHARS = 200
MAX_ERRORS = 20


class SynonymListError(Exception):
    """The file cannot be imported; ``errors`` are Norwegian sentences, each naming its line."""

    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = list(errors)


@dataclasses.dataclass(frozen=True)
class Group:
    term: str
    synonyms: tuple
    one_way: bool = False
    line: int = 0

    @property
    def stored_synonyms(self):
        """The value of ``Synonym.synonyms``: one expression per line."""
        return "\n".join(self.synonyms)


def split_synonyms(text):
    """The expressions of a stored ``synonyms`` value: one per line (``,`` and ``|`` also separate)."""
    return [part.strip() for part in re.split(r"[\n,|]", text or "") if part.strip()]


def _clean(value):
    return " ".join(value.split())


def parse(data):
    """The groups of a CSV file given as bytes; raises ``SynonymListError`` naming every bad line."""
    if len(data) > MAX_BYTES:
        raise SynonymListError([f"Filen er for stor (høyst {MAX_BYTES // 1_000_000} MB)."])
    if data.startswith(b"\xef\xbb\xbf"):  # Excel's byte order mark
        data = data[3:]
    lines, errors = [], []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            errors.append(f"Linje {number}: teksten er ikke UTF-8. Lagre filen som «CSV UTF-8».")
            continue
        if len(line) > MAX_LINE_CHARS:
            errors.append(f"Linje {number}: linjen er for lang ({len(line)} tegn; høyst {MAX_LINE_CHARS}).")
            continue
        lines.append(line)
    if errors:
        raise SynonymListError(errors[:MAX_ERRORS])
    text = "\n".join(lines)
    if "\x00" in text:
        raise SynonymListError(["Filen inneholder NUL-tegn og er ikke en CSV-fil."])
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first or "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise SynonymListError([f"Linje 1: kan ikke leses som CSV ({exc})."]) from None
    columns = [_clean(cell).lower() for cell in header or []]
    missing = [name for name in HEADER if name not in columns]
    if missing:
        names = ", ".join(f"«{name}»" for name in missing)
        raise SynonymListError(
            [f"Linje 1: kolonne mangler: {names}. Første linje skal være «{';'.join(HEADER)}»."]
        )
    index = {name: columns.index(name) for name in HEADER}
    groups, seen = [], {}
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(f"Linje {start}: kan ikke leses som CSV ({exc}).")
            break
        if not any(cell.strip() for cell in row):
            continue
        if len(groups) >= MAX_GROUPS:
            errors.append(f"Linje {start}: filen har mer enn {MAX_GROUPS} grupper.")
            break
        group, problems = _group(row, index, len(columns), start)
        errors += problems
        if group is not None:
            key = group.term.casefold()
            if key in seen:
                errors.append(f"Linje {start}: «{group.term}» står også på linje {seen[key]}.")
            seen.setdefault(key, start)
            groups.append(group)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise SynonymListError(errors[:MAX_ERRORS])
    return groups


def _group(row, index, width, line):
    if len(row) != width:
        return None, [f"Linje {line}: har {len(row)} kolonner, skal ha {width}."]
    term = _clean(row[index["term"]])
    synonyms = tuple(_clean(s) for s in row[index["synonyms"]].split(SEPARATOR) if s.strip())
    direction = _clean(row[index["retning"]]).lower()
    problems = []
    if not term:
        problems.append(f"Linje {line}: «term» er tom.")
    elif len(term) > MAX_TERM_CHARS:
        problems.append(f"Linje {line}: «term» er for lang ({len(term)} tegn; høyst {MAX_TERM_CHARS}).")
    elif any(mark in term for mark in ",|\n"):
        problems.append(f"Linje {line}: «term» kan ikke inneholde komma eller «|».")
    if not synonyms:
        problems.append(f"Linje {line}: «synonyms» er tom.")
    for synonym in synonyms:
        if len(synonym) > MAX_EXPRESSION_CHARS:
            problems.append(
                f"Linje {line}: «{synonym[:40]}…» er for langt (høyst {MAX_EXPRESSION_CHARS} tegn)."
            )
        elif "," in synonym:
            problems.append(f"Linje {line}: «{synonym}» inneholder komma; skill synonymer med «|».")
    if direction not in (BOTH, ONE_WAY):
        problems.append(f"Linje {line}: «retning» må være «{BOTH}» eller «{ONE_WAY}», ikke «{direction}».")
    if problems:
        return None, problems
    return Group(term=term, synonyms=synonyms, one_way=direction == ONE_WAY, line=line), []


def row(term, synonyms_text, one_way):
    """One exported row: the columns of ``HEADER``."""
    return [term, SEPARATOR.join(split_synonyms(synonyms_text)), ONE_WAY if one_way else BOTH]


def read_starting_list():
    return parse(STARTING_LIST.read_bytes())


def add_missing_starting_groups(model, terms):
    """The starting list's groups for ``terms`` that ``model`` (a migration's historical
    ``Synonym``) lacks, added; a term already there is the editors' and is left alone. What the
    migrations that bring a new part of the starting list into an existing portal do."""
    present = {term.casefold() for term in model.objects.values_list("term", flat=True)}
    wanted = {term.casefold() for term in terms}
    groups = [
        group
        for group in read_starting_list()
        if group.term.casefold() in wanted and group.term.casefold() not in present
    ]
    return apply(groups, model)


def change_shipped_groups(model, changes):
    """Shipped groups that a later round of the starting list changed, brought up to date in
    ``model`` (a migration's historical ``Synonym``). ``changes`` is {term: ((synonyms, one_way)
    as shipped, (synonyms, one_way) now)}, the synonyms one a line as stored. A group is changed
    only while it is exactly as shipped: one an editor has changed is theirs and is left alone."""
    for term, ((synonyms, one_way), (new_synonyms, new_one_way)) in changes.items():
        for group in model.objects.filter(term=term, synonyms=synonyms, one_way=one_way):
            group.synonyms, group.one_way = new_synonyms, new_one_way
            group.save()  # through save(), so that updated_at moves


def same(instance, group):
    """Whether a stored synonym already says what the group says (then an import leaves it alone)."""
    return (
        instance.term == group.term
        and split_synonyms(instance.synonyms) == list(group.synonyms)
        and instance.one_way == group.one_way
    )


def apply(groups, model, *, may_replace=lambda instance: True):
    """Write the groups into ``model`` (``Synonym`` or a migration's historical model).

    A group whose term exists (in any case) updates that row when it differs and ``may_replace``
    allows; rows not in ``groups`` are never touched. Returns ``(created, changed, unchanged)``.
    """
    existing = {instance.term.casefold(): instance for instance in model.objects.all()}
    created = changed = unchanged = 0
    for group in groups:
        instance = existing.get(group.term.casefold())
        if instance is None:
            model.objects.create(term=group.term, synonyms=group.stored_synonyms, one_way=group.one_way)
            created += 1
        elif same(instance, group) or not may_replace(instance):
            unchanged += 1
        else:
            instance.term, instance.synonyms, instance.one_way = (
                group.term,
                group.stored_synonyms,
                group.one_way,
            )
            instance.save()
            changed += 1
    return created, changed, unchanged
