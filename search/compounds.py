"""Norwegian compounds: split a word into the words it is made of, for every search backend.

Norwegian writes compounds as one word (``fallforebygging``, ``trakeostomistell``) where a reader
may write the parts apart («forebygging av fall», «stell av trakeostomi»), and the other way
round. A compound is split here into known words, with the linking letters Norwegian puts between
them (``barn-e-palliasjon``, ``hverdag-s-rehabilitering``), and never into a part that is not a
word: «known» means on the curated list of health words shipped with the portal
(``search/data/helseord.txt``) or in the portal's own vocabulary (the words of the indexed
content, ``SearchTerm``, at query time; the page's own words at index time).

- At index time every backend indexes a page's compounds *and* their parts (``parts_text``): the
  database backends append the parts to each column, Elasticsearch keeps them in a field of their
  own. A query's parts then find a page's compound.
- At query time a compound in the query is searched as itself *or* all of its parts
  (``search.queries``): it finds pages that use the parts apart. A page with the compound itself
  matches both, so it still ranks above a page that only has the parts.

Why our own: Lucene's ``dictionary_decompounder`` splits by a fixed list and emits every
dictionary word found inside a token (``sykehus`` → ``syke``, ``hus``), and PostgreSQL and
SQLite have no splitter; one splitter in Python gives all three the same parts from the same list.
"""

import functools
from pathlib import Path

from django.db import connection

from search.analysis import STOP_WORDS, stem, words
from search.models import SearchTerm

WORD_LIST = Path(__file__).parent / "data" / "helseord.txt"

MIN_COMPOUND = 7  # shorter words are left whole
MIN_PART = 3  # «sår», «rus», «fot»
MAX_PARTS = 3
# A word longer than this is split without the memo (``split``) and looked up in the vocabulary
# with its first and last parts only (``query_vocabulary``): its candidates grow with the square
# of its length (a token of 1,000 letters in a page: 500,000 strings, 2 s and 207 MB kept), a
# compound of three parts is shorter («hverdagsrehabiliteringsteam» has 27 letters), and nine
# nonsense words of 60 letters made a query look up 12,000 middle parts on PostgreSQL (47 ms; 5
# so bounded, 4 with first and last parts alone; twelve words of 30 letters take 12).
MAX_KEPT_WORD = 30
LINKS = ("", "s", "e")  # Norwegian linking letters: hverdag-s-rehabilitering, barn-e-palliasjon
# Words that begin many words without being their first part (prefixes and particles).
NOT_PARTS = frozenset(
    """
    all andre annen bak for fore gjen inn mis opp over sam sammen til tilbake ut under uten van
    med mot etter ned hel halv selv egen eget ikke
    """.split()
)


@functools.lru_cache(maxsize=1)
def _word_list():
    """The curated list, folded: (every word, the words marked «!» that are never split)."""
    every, whole = set(), set()
    for line in WORD_LIST.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        found = words(line)
        every.update(found)
        if line.endswith("!"):
            whole.update(found)
    return frozenset(every), frozenset(whole)


def health_words():
    """The curated list's words, folded."""
    return _word_list()[0]


@functools.lru_cache(maxsize=1)
def _health_stems():
    return frozenset(stem(w) for w in health_words())


@functools.lru_cache(maxsize=1)
def _whole_stems():
    return frozenset(stem(w) for w in _word_list()[1])


def is_part(word, vocabulary=()):
    """Whether ``word`` may be a part of a compound: a known word of at least MIN_PART letters."""
    if len(word) < MIN_PART or word in STOP_WORDS or word in NOT_PARTS or not word.isalpha():
        return False
    return word in health_words() or word in vocabulary


def _is_tail(word, vocabulary):
    # The last part carries the inflection: «fallforebyggingen», «legemiddellistene».
    return is_part(word, vocabulary) or (
        len(word) >= MIN_PART and word not in NOT_PARTS and stem(word) in _health_stems()
    )


# Kept for the most used words only: a long word's candidates are up to a hundred strings (a few
# kilobytes), and a portal's vocabulary has tens of thousands of long words.
@functools.lru_cache(maxsize=1 << 12)
def candidates(word):
    """Every substring of ``word`` that ``split`` might ask about: what to look up in the vocabulary.

    A part of MIN_PART letters or more that leaves room for the others: a first part, a last part,
    and a middle part between them. Without the middle ones, a compound of three whose middle part
    only the portal's vocabulary knows («demens|kafe|tilbud») was split at index time, where the
    page's own words count, and not at query time, so the query missed pages with its parts apart.
    """
    length = len(word)
    return frozenset(
        word[start:end]
        for start in range(0, length - MIN_PART + 1)
        for end in range(start + MIN_PART, length + 1)
        if (start == 0 or start >= MIN_PART)
        and (end == length or end <= length - MIN_PART)
        and (start, end) != (0, length)
    )


def split(word, vocabulary=()):
    """The parts of a compound, or () when ``word`` is not one (or is marked whole on the list).

    Two parts are preferred to three; among splits with as many parts, the one whose shortest part
    is longest (``legemiddel|samstemming``, not ``lege|…``). Every part is a known word (see
    ``is_part``); a linking -s- or -e- between two parts is dropped.
    """
    if len(word) < MIN_COMPOUND or not word.isalpha() or word in STOP_WORDS:
        return ()
    if len(word) > MAX_KEPT_WORD:
        return _split.__wrapped__(word, vocabulary)
    # Of the vocabulary, only the word's candidates can change its parts: with them the split is
    # kept (``_split``), so that a word is split once, not on every page that has it.
    return _split(word, candidates(word).intersection(vocabulary))


# Our own memo rather than Django's cache: a pure function of its arguments, called for every long
# word of every page indexed. Building a page's Elasticsearch document and database texts took
# 2.2 ms without it, 0.8 with it, most of it splitting (bench/index_texts.py, docs/benchmarks.md).
@functools.lru_cache(maxsize=1 << 14)
def _split(word, known):
    if stem(word) in _whole_stems():
        return ()
    return _two(word, known) or _three(word, known)


@functools.lru_cache(maxsize=65536)
def split_known(word):
    """``split`` against the curated list alone, cached: for marking compounds in snippets."""
    return split(word)


def _two(word, vocabulary, *, last=True):
    best, best_key = (), None
    for head, tail in _cuts(word):
        if not is_part(head, vocabulary):
            continue
        if not (_is_tail(tail, vocabulary) if last else is_part(tail, vocabulary)):
            continue
        key = (min(len(head), len(tail)), len(tail))
        if best_key is None or key > best_key:
            best, best_key = (head, tail), key
    return best


def _three(word, vocabulary):
    best, best_key = (), None
    for head, rest in _cuts(word):
        if is_part(head, vocabulary):
            inner = _two(rest, vocabulary)
            if inner:
                parts = (head, *inner)
                key = min(len(p) for p in parts)
                if best_key is None or key > best_key:
                    best, best_key = parts, key
    for rest, tail in _cuts(word):
        if _is_tail(tail, vocabulary):
            inner = _two(rest, vocabulary, last=False)
            if inner:
                parts = (*inner, tail)
                key = min(len(p) for p in parts)
                if best_key is None or key > best_key:
                    best, best_key = parts, key
    return best


def _cuts(word):
    """(head, tail) for every place the word can be cut, with and without a linking letter."""
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        head, rest = word[:i], word[i:]
        for link in LINKS:
            if rest.startswith(link) and len(rest) - len(link) >= MIN_PART:
                yield head, rest[len(link) :]


def parts_text(text, vocabulary=None):
    """The parts of the compounds of a text, as words separated by spaces, compound by compound.

    What the index keeps beside the text itself. ``vocabulary`` defaults to the text's own words:
    at index time a page's words count as known words for splitting its own compounds.
    """
    found = words(text)
    if vocabulary is None:
        vocabulary = frozenset(found)
    out, seen = [], set()
    for word in found:
        if len(word) < MIN_COMPOUND or word in seen:
            continue
        seen.add(word)
        out.extend(split(word, vocabulary))
    return " ".join(out)


TEXT_FIELDS = ("title", "summary", "taxonomy", "body")


def document_parts(doc, max_body_chars=None):
    """The parts of the compounds of each text field of an index document (``indexing.document_for``):
    {field: parts text}. The page's own words count as known words for all of its fields."""
    body = doc["body"] if max_body_chars is None else doc["body"][:max_body_chars]
    texts = {field: doc[field] for field in TEXT_FIELDS if field != "body"}
    texts["body"] = body
    vocabulary = frozenset(words(" ".join(texts.values())))
    return {field: parts_text(text, vocabulary) for field, text in texts.items()}


def with_parts(text, parts):
    """A field's text with its compounds' parts after it: what the database backends index."""
    return f"{text} {parts}" if parts else text


def query_vocabulary(query_words):
    """The words of the portal's vocabulary (``SearchTerm``) that the query's words could be
    split into: one query for all candidate parts."""
    wanted = set()
    for word in query_words:
        if len(word) > MAX_KEPT_WORD:
            for cut in range(MIN_PART, len(word) - MIN_PART + 1):
                wanted.update((word[:cut], word[cut:]))
        elif len(word) >= MIN_COMPOUND:
            wanted |= candidates(word)
    return known_words(sorted(wanted))


def known_words(candidates):
    """Those of ``candidates`` (folded words) that are in the portal's vocabulary (``SearchTerm``).

    Plain SQL: it runs on every search not answered from the cache (a query's compounds) and for
    spelling help, and the ORM's building of ``filter(word__in=…)`` took longer than SQLite's answer
    (about 0.1 ms a query).
    """
    candidates = list(candidates)
    if not candidates:
        return frozenset()
    found = set()
    with connection.cursor() as cursor:
        # In slices: a long word has many substrings, and SQLite before 3.32 allows 999 parameters.
        for i in range(0, len(candidates), 500):
            chunk = candidates[i : i + 500]
            cursor.execute(
                f"SELECT word FROM {SearchTerm._meta.db_table} WHERE word IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            found.update(row[0] for row in cursor.fetchall())
    return frozenset(found)
