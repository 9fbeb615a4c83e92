"""Answering searches: the cached answer from the backend of the database in use, then the documents.

Each database's query syntax is its own module's (``postgres``, ``sqlite``); the rest of the
portal hands over a parsed query (``queries.parse``) or the words typed.
"""

import collections
import difflib

from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import F

from search import compounds
from search.analysis import stem
from search.backends.database import postgres, sqlite
from search.backends.database.common import is_postgres
from search.backends.database.versions import cached
from search.models import SearchDocument, SearchTerm
from search.params import allowed_edits, preferred_community
from search.results import HIT_FIELDS
from search.snippets import snippets

NOTHING = {"hits": [], "total": 0, "facets": {}}


def _placeholders(values):
    return ", ".join(["%s"] * len(values))


def find(parsed, filters, scope, offset, limit):
    """One page of hits for a parsed query, with snippets, the total and the facet counts: the
    same shape as ``backends.elastic.search``. An empty query lists everything within filters and
    scope; with no filters either it finds nothing."""
    if parsed.is_empty and not filters:
        return NOTHING
    rank = None
    if parsed.is_empty:
        match = None
    elif is_postgres():
        match, rank = postgres.expressions(parsed)
    else:
        match = sqlite.match_expression(parsed)
    if match == "":
        return NOTHING
    found = search(match, filters, scope, offset, limit, rank=rank, parsed=parsed)
    stems, prefixes = parsed.highlight_stems(), parsed.highlight_prefixes()
    documents = found["documents"]
    if not documents:  # nothing found, or a page past the last: no snippets to make or cache
        return {"hits": [], "total": found["total"], "facets": found["facets"]}
    made = snippets(documents, stems, prefixes)
    return {
        "hits": [_hit(d, made[d.pk]) for d in documents],
        "total": found["total"],
        "facets": found["facets"],
    }


def _hit(document, snippet):
    return {**{field: getattr(document, field) for field in HIT_FIELDS}, "snippet": snippet}


def search(match, filters, scope, offset, limit, rank=None, parsed=None):
    """Documents for one page of results, the total and disjunctive facet counts.

    ``match`` is a backend expression from ``sqlite.match_expression``/``postgres.tsquery`` or None to
    list everything within filters and scope (ordered by title); ``rank`` (PostgreSQL) is the
    expression to rank by, when it adds to ``match`` (the phrase of a query of several words): a
    tsquery expression, or what ``postgres.ranking`` makes of a parsed query. ``parsed`` (SQLite),
    the query ``match`` was made of: FTS5 is given it without the terms no page has
    (``sqlite.absent_terms``), which finds and ranks as ``match`` does. The answer is kept under
    ``match``, so a repeated search asks nothing about its terms.
    """
    rank = rank or match
    key = (
        "search",
        connection.settings_dict["NAME"],
        match,
        rank,
        sorted(filters.items()),
        sorted(scope),
        preferred_community(scope),
        offset,
        limit,
    )
    if is_postgres():
        answer = cached(key, lambda: postgres.answer(match, rank, filters, scope, offset, limit))
    else:
        answer = cached(key, lambda: _sqlite_answer(match, parsed, filters, scope, offset, limit))
    documents = _shown_live(answer["ids"])
    return {
        "documents": [documents[pk] for pk in answer["ids"] if pk in documents],
        "total": answer["total"],
        "facets": answer["facets"],
    }


def _sqlite_answer(match, parsed, filters, scope, offset, limit):
    """``sqlite.answer``, given ``match`` without the terms no page has when ``parsed`` is known
    (``sqlite.absent_terms``); with none of its terms on any page, nothing."""
    if parsed is not None:
        match = sqlite.match_expression(parsed, sqlite.absent_terms(parsed))
        if not match:
            return {"ids": [], "total": 0, "facets": {}}
    return sqlite.answer(match, filters, scope, offset, limit)


# What a hit shows of a document (``results.HIT_FIELDS``) and what its snippet reads.
_SHOWN_COLUMNS = ("id", *HIT_FIELDS, "summary", "body")


class ShownDocument(collections.namedtuple("ShownDocument", _SHOWN_COLUMNS)):
    """A document's row as search shows it: ``SearchDocument``'s columns of the same names."""

    __slots__ = ()

    @property
    def pk(self):
        return self.id


_SHOWN_SQL = (
    "SELECT "
    + ", ".join(f"d.{column}" for column in _SHOWN_COLUMNS)
    + " FROM search_searchdocument d JOIN wagtailcore_page p ON p.id = d.page_id"
    + " WHERE p.live = %s AND d.id IN ({})"
)


def _shown_live(ids):
    """{id: ShownDocument} of the documents ``ids`` whose pages are live. Only live pages, whatever
    the index holds (it is kept in step, but a page made private or unpublished by a script that
    sends no signal must not be shown).

    Plain SQL, not the ORM, like ``core.models.read_token``: this runs on every search that is not
    answered from the cache, and building the query (``filter(pk__in=…, page__live=True)``, the
    join, the deferred vectors) and ten model instances through the ORM cost about 0.45 ms of a
    4.2 ms cold search at 1,000 pages on SQLite, more than the query itself. Dates come back as dates on
    both databases (Django declares the columns ``date``, which its SQLite connection converts).
    """
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_SHOWN_SQL.format(_placeholders(ids)), [True, *ids])
        return {row[0]: ShownDocument._make(row) for row in cursor.fetchall()}


def _shown():
    """Documents as search shows them: without their vectors (PostgreSQL), which only it reads."""
    return SearchDocument.objects.defer("search_vector", "title_vector")


def autocomplete(tokens, scope, limit):
    """Documents whose titles have words starting with each of the words typed (or their stems)."""
    alternatives = [{word, stem(word)} if len(word) >= 3 else {word} for word in tokens]
    if is_postgres():
        match = postgres.query(postgres.title_prefixes(alternatives))
        documents = SearchDocument.objects.filter(title_vector=match, page__live=True)
        if scope:
            documents = documents.filter(community__in=list(scope))
        ranked = documents.annotate(score=SearchRank(F("title_vector"), match)).order_by("-score", "title")
        ids = list(ranked.values_list("pk", flat=True)[:limit])
    else:
        where, params = "p.live = %s", [True]
        if scope:
            where += f" AND d.community IN ({_placeholders(scope)})"
            params += list(scope)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.id FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid"
                f" JOIN wagtailcore_page p ON p.id = d.page_id WHERE search_fts MATCH %s AND {where}"
                " ORDER BY bm25(search_fts), d.title LIMIT %s",
                [sqlite.title_prefixes(alternatives), *params, limit],
            )
            ids = [row[0] for row in cursor.fetchall()]
    documents = _shown().in_bulk(ids)
    return [documents[pk] for pk in ids if pk in documents]


def corrections(words):
    """For each word the vocabulary does not know, the closest known word: {word: correction}.

    Cached under the index version (the vocabulary only changes with it).
    """
    return cached(("spelling", tuple(words)), lambda: _corrections(words))


def _corrections(words):
    known = compounds.known_words(words)
    out = {}
    for word in words:
        if word not in known:
            best = closest(word, _vocabulary_candidates(word))
            if best:
                out[word] = best
    return out


def closest(word, candidates):
    """The candidate nearest to ``word`` (fewest edits, then the most frequent), or None.

    A candidate may be one edit from a word of up to five letters, two from a longer one
    (``params.allowed_edits``); a letter
    missing, extra or wrong, or two neighbouring letters swapped, each count as one edit, counted
    on ``difflib``'s alignment of the two words (``edits``). A candidate with the word's own stem
    (the word inflected) means there is nothing to correct.
    """
    allowed = allowed_edits(word)
    letters = difflib.SequenceMatcher(b=word, autojunk=False)
    best, best_key = None, None
    for candidate, frequency in candidates:  # the most frequent first
        if stem(candidate) == stem(word):
            return None
        if abs(len(candidate) - len(word)) > allowed:
            continue
        # Every letter the two do not share is an edit: most candidates are ruled out cheaply.
        letters.set_seq1(candidate)
        shared = round(letters.quick_ratio() * (len(candidate) + len(word)) / 2)
        if max(len(candidate), len(word)) - shared > allowed:
            continue
        distance = edits(candidate, word)
        if distance <= allowed and (best_key is None or (distance, -frequency) < best_key):
            best, best_key = candidate, (distance, -frequency)
    return best


def edits(a, b):
    """The edits between two words along difflib's alignment of them (the better of both ways).

    Each letter replaced, inserted or deleted is one edit. A letter moved past its neighbour
    (``ab`` → ``ba``) or changed beside a letter the alignment matched elsewhere is one too:
    difflib aligns by the longest common blocks, which splits such a change in two.
    """
    return min(_edits(a, b), _edits(b, a))


def _edits(a, b):
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    count, i = 0, 0
    while i < len(opcodes):
        tag, a1, a2, b1, b2 = opcodes[i]
        if tag == "equal":
            i += 1
            continue
        if i + 2 < len(opcodes) and opcodes[i + 1][0] == "equal" and opcodes[i + 2][0] != "equal":
            a3, b3 = opcodes[i + 2][2], opcodes[i + 2][4]
            here, there = a[a1:a3], b[b1:b3]
            if len(here) == len(there) == 2 and (
                here == there[::-1] or here[0] == there[0] or here[1] == there[1]
            ):
                count += 1
                i += 3
                continue
        count += max(a2 - a1, b2 - b1)
        i += 1
    return count


def _vocabulary_candidates(word):
    """Known words that could be what the reader meant by ``word``, the most frequent first."""
    n = len(word)
    firsts = sorted({word[0], word[1:2] or word[0]})
    # Plain SQL (the ORM's query building cost more than the query): the same as
    # ``SearchTerm.objects.filter(first__in=…, length__range=…).order_by("-frequency")``.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word, frequency FROM {SearchTerm._meta.db_table}"
            f" WHERE first IN ({_placeholders(firsts)}) AND length BETWEEN %s AND %s"
            " ORDER BY frequency DESC LIMIT 5000",
            [*firsts, n - 2, n + 2],
        )
        return cursor.fetchall()
