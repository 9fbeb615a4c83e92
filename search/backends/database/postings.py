"""PostgreSQL: for every word, a bitmap of the documents that hold it.

Why our own structure: PostgreSQL's full-text search finds matches through its GIN index, but to
count facets and to rank it then reads every matching row. A word in half of 100,000 pages meant
50,000 rows per search and 150–400 ms (docs/benchmarks.md). With a bitmap per word, per tier and
per facet value, a search is a few OR/AND operations and popcounts on integers in memory: the
total and every facet count come out exact without touching a document, and the bitmaps of the
title and head tiers pick the few hundred pages worth ranking, which PostgreSQL's ``ts_rank``
then orders. (Elasticsearch has the same thing inside: postings lists and aggregations.)

Table ``search_posting`` (migration 0006, PostgreSQL only):

- ``tier``: ANYWHERE (any field), TITLE, HEAD (title, summary, taxonomy) or FACET;
- ``term``: a lexeme of the 'norwegian' configuration, as in the document's tsvector, or
  "name:value" for a facet value (``facet_values``); collation "C", so prefixes are ranges;
- ``base`` and ``data``: the set of ``search_searchdocument`` ids. Dense sets are a bitmap from
  ``base`` (little-endian bytes); sparse ones (rare words, most of the vocabulary) a list of
  32-bit offsets from ``base``, so the table grows with the number of postings, not words × pages.

Writers keep it in step in the same transaction as the documents (``changes`` and ``apply``,
called by ``database.index_documents``/``remove_documents``), one at a time (a transaction-level
advisory lock: two publishes must not both rewrite the bitmap of a common word from the same old
value); an import collects its changes and applies them once at its end
(``database.shared_rows_last``). ``rebuild`` builds the table from the documents in one pass.
"""

import array
import re
import sys

ANYWHERE, TITLE, HEAD, FACET = 0, 1, 2, 3
WORD_TIERS = (ANYWHERE, TITLE, HEAD)
# pg_advisory_xact_lock key for writers of the table ("kp-post" in ASCII).
LOCK_KEY = 0x6B702D706F7374

# A document's terms per tier, as SQL expressions over ``search_searchdocument d``.
TIER_ARRAYS = {
    ANYWHERE: "tsvector_to_array(d.search_vector)",
    TITLE: "tsvector_to_array(ts_filter(d.head_vector, '{a}'))",
    HEAD: "tsvector_to_array(d.head_vector)",
    FACET: "d.facet_values",
}
TERMS_SQL = (
    "SELECT d.id, " + ", ".join(TIER_ARRAYS.values()) + " FROM search_searchdocument d WHERE d.id = ANY(%s)"
)


# ---------------------------------------------------------------------------------- bitmaps


def bitmap(ids):
    """An int with bit ``i`` set for every ``i`` in ``ids``."""
    ids = list(ids)
    if not ids:
        return 0
    low = min(ids) & ~7
    buffer = bytearray((max(ids) - low) // 8 + 1)
    for i in ids:
        i -= low
        buffer[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(buffer, "little") << low


def union(bitmaps):
    """The OR of ``bitmaps`` (0 for none)."""
    out = 0
    for bits in bitmaps:
        out |= bits
    return out


def ids_of(bits, limit=None):
    """The set bits of ``bits``, highest first (the most recently indexed), at most ``limit``."""
    out = []
    if not bits:
        return out
    text = format(bits, "b")  # text[0] is the highest bit
    top = len(text) - 1
    position = text.find("1")
    while position >= 0 and (limit is None or len(out) < limit):
        out.append(top - position)
        position = text.find("1", position + 1)
    return out


def encode(bits):
    """(base, data, dense) for a non-empty bitmap: whichever of the two forms is smaller."""
    low = ((bits & -bits).bit_length() - 1) & ~7
    span = bits.bit_length() - low
    count = bits.bit_count()
    if count * 32 < span:
        offsets = array.array("I", sorted(i - low for i in ids_of(bits)))
        if sys.byteorder != "little":
            offsets.byteswap()
        return low, offsets.tobytes(), False
    shifted = bits >> low
    return low, shifted.to_bytes((shifted.bit_length() + 7) // 8, "little"), True


def decode(base, data, dense, origin=0):
    """The bitmap stored as (base, data, dense), with bit ``i - origin`` standing for id ``i``.

    Searches count from the lowest id in the index (``origin``): ids grow with every rebuild,
    and bitmaps counted from 0 would grow with them. Ids below ``origin`` are no document of the
    index (a row left by documents deleted since, seen after a test run emptied and refilled the
    tables): they are dropped, never shifted by a negative count.
    """
    data = bytes(data)
    shift = base - origin
    if dense:
        value = int.from_bytes(data, "little")
        return value << shift if shift >= 0 else value >> -shift
    offsets = array.array("I")
    offsets.frombytes(data)
    if sys.byteorder != "little":
        offsets.byteswap()
    return bitmap(shift + i for i in offsets if shift + i >= 0)


# ---------------------------------------------------------------------------------- writing


def lock(cursor):
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def terms_of(cursor, ids):
    """{document id: {tier: set of terms}} as the documents are stored now."""
    if not ids:
        return {}
    cursor.execute(TERMS_SQL, [list(ids)])
    return {
        row[0]: {tier: set(values or ()) for tier, values in zip(TIER_ARRAYS, row[1:], strict=True)}
        for row in cursor.fetchall()
    }


def update(cursor, before, after):
    """Move the postings from the documents' ``before`` terms to their ``after`` terms.

    Both map document ids to ``terms_of`` results; an id missing from ``after`` was removed.
    """
    apply(cursor, changes(before, after))


def changes(before, after, into=None):
    """{(tier, term): {document id: holds the term now}} between two ``terms_of`` results;
    ``into`` collects the changes of several steps (a later step wins for a document)."""
    out = {} if into is None else into
    for document_id in set(before) | set(after):
        old, new = before.get(document_id, {}), after.get(document_id, {})
        for tier in (ANYWHERE, TITLE, HEAD, FACET):
            was, now = old.get(tier, set()), new.get(tier, set())
            for term in now - was:
                out.setdefault((tier, term), {})[document_id] = True
            for term in was - now:
                out.setdefault((tier, term), {})[document_id] = False
    return out


def apply(cursor, changes):
    """Write ``changes`` (from ``changes()``); the caller holds ``lock()``."""
    if not changes:
        return
    keys = sorted(changes)
    current = {}
    for start in range(0, len(keys), 2000):
        chunk = keys[start : start + 2000]
        cursor.execute(
            "SELECT p.tier, p.term, p.base, p.data, p.dense FROM search_posting p"
            " JOIN unnest(%s::smallint[], %s::text[]) k(tier, term) ON p.tier = k.tier AND p.term = k.term",
            [[tier for tier, _ in chunk], [term for _, term in chunk]],
        )
        for tier, term, base, data, dense in cursor.fetchall():
            current[(tier, term)] = decode(base, data, dense)
    writes, deletes = [], []
    for key in keys:
        added = [i for i, present in changes[key].items() if present]
        removed = [i for i, present in changes[key].items() if not present]
        bits = (current.get(key, 0) | bitmap(added)) & ~bitmap(removed)
        if bits:
            writes.append((*key, *encode(bits)))
        elif key in current:
            deletes.append(key)
    if writes:
        cursor.executemany(
            "INSERT INTO search_posting (tier, term, base, data, dense) VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT (tier, term) DO UPDATE SET base = excluded.base, data = excluded.data,"
            " dense = excluded.dense",
            writes,
        )
    if deletes:
        cursor.execute(
            "DELETE FROM search_posting p USING unnest(%s::smallint[], %s::text[]) k(tier, term)"
            " WHERE p.tier = k.tier AND p.term = k.term",
            [[tier for tier, _ in deletes], [term for _, term in deletes]],
        )


def clear(cursor):
    cursor.execute("DELETE FROM search_posting")


def rebuild(connection):
    """Build every posting from the documents (after a rebuild has inserted them all)."""
    with connection.cursor() as cursor:
        lock(cursor)
        clear(cursor)
    for tier, terms_sql in TIER_ARRAYS.items():
        rows = []
        with connection.chunked_cursor() as reader:
            reader.execute(
                f"SELECT t, array_agg(d.id) FROM search_searchdocument d, unnest({terms_sql}) t GROUP BY t"
            )
            while batch := reader.fetchmany(2000):
                rows.extend((tier, term, *encode(bitmap(ids))) for term, ids in batch)
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 2000):
                cursor.executemany(
                    "INSERT INTO search_posting (tier, term, base, data, dense) VALUES (%s, %s, %s, %s, %s)",
                    rows[start : start + 2000],
                )


# ---------------------------------------------------------------------------------- reading


class Unsupported(ValueError):
    """A query the bitmaps cannot answer exactly (phrases, negation): use the SQL path."""


_TOKEN_RE = re.compile(r"\s*(?:(\|)|(&)|(!)|(<\d*-?>)|(\()|(\))|'((?:[^']|'')*)'(:[*A-Da-d]+)?)")


def parse_tsquery(text):
    """PostgreSQL's text form of a tsquery as a tree: ("or"|"and", [children]), ("word"|"prefix", term).

    Returns None for an empty query. Raises ``Unsupported`` for operators whose answer a set of
    documents per word cannot give (``!``, ``<->``) and for weight-restricted words.
    """
    tokens = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN_RE.match(text, position)
        if not match or match.end() == position:
            raise Unsupported(f"uventet tsquery: {text!r}")
        position = match.end()
        bar, amp, bang, phrase, opening, closing, word, suffix = match.groups()
        if bang or phrase:
            raise Unsupported("negation or phrase")
        if word is not None:
            if suffix and suffix.strip(":*"):
                raise Unsupported("weights")
            tokens.append(("prefix" if suffix else "word", word.replace("''", "'")))
        else:
            tokens.append(bar or amp or opening or closing)
    if not tokens:
        return None
    tree, rest = _parse_or(tokens)
    if rest:
        raise Unsupported(f"uventet tsquery: {text!r}")
    return tree


def _parse_or(tokens):
    return _parse_chain(tokens, "|", "or", _parse_and)


def _parse_and(tokens):
    return _parse_chain(tokens, "&", "and", _parse_atom)


def _parse_chain(tokens, operator, name, parse_operand):
    """Operands joined by one operator (``&`` binds tighter than ``|``)."""
    left, tokens = parse_operand(tokens)
    children = [left]
    while tokens and tokens[0] == operator:
        right, tokens = parse_operand(tokens[1:])
        children.append(right)
    return (children[0] if len(children) == 1 else (name, children)), tokens


def _parse_atom(tokens):
    if not tokens:
        raise Unsupported("ufullstendig tsquery")
    head = tokens[0]
    if head == "(":
        tree, rest = _parse_or(tokens[1:])
        if not rest or rest[0] != ")":
            raise Unsupported("ubalanserte parenteser")
        return tree, rest[1:]
    if isinstance(head, tuple):
        return head, tokens[1:]
    raise Unsupported(f"uventet {head!r}")


def leaves(tree):
    if tree is None:
        return
    if tree[0] in ("word", "prefix"):
        yield tree
    else:
        for child in tree[1]:
            yield from leaves(child)


def _like_prefix(term):
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def word_bitmaps(cursor, trees, origin=0):
    """{tier: {term: bitmap}} for every word of the trees and every word a prefix of them covers."""
    words, prefixes = set(), set()
    for tree in trees:
        for kind, term in leaves(tree):
            (prefixes if kind == "prefix" else words).add(term)
    found = {tier: {} for tier in WORD_TIERS}
    if not words and not prefixes:
        return found
    clauses, params = [], [list(WORD_TIERS)]
    if words:
        clauses.append("term = ANY(%s)")
        params.append(sorted(words))
    for prefix in sorted(prefixes):
        clauses.append("term LIKE %s")
        params.append(_like_prefix(prefix))
    cursor.execute(
        f"SELECT tier, term, base, data, dense FROM search_posting WHERE tier = ANY(%s) AND ({' OR '.join(clauses)})",
        params,
    )
    for tier, term, base, data, dense in cursor.fetchall():
        found[tier][term] = decode(base, data, dense, origin)
    return found


def evaluate(tree, bitmaps):
    """The documents matching ``tree`` given ``bitmaps`` ({term: bitmap}) of one tier."""
    if tree is None:
        return 0
    kind = tree[0]
    if kind == "word":
        return bitmaps.get(tree[1], 0)
    if kind == "prefix":
        return union(bits for term, bits in bitmaps.items() if term.startswith(tree[1]))
    results = [evaluate(child, bitmaps) for child in tree[1]]
    out = results[0]
    for bits in results[1:]:
        out = out & bits if kind == "and" else out | bits
    return out


def facet_bitmaps(cursor, origin=0):
    """{"name:value": bitmap} for every facet value in the index."""
    cursor.execute("SELECT term, base, data, dense FROM search_posting WHERE tier = %s", [FACET])
    return {term: decode(base, data, dense, origin) for term, base, data, dense in cursor.fetchall()}


def origin(cursor):
    """The lowest document id, rounded down to a byte: where a search's bitmaps start."""
    cursor.execute("SELECT MIN(id) FROM search_searchdocument")
    return (cursor.fetchone()[0] or 0) & ~7
