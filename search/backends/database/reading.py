"""Answering searches: the cached answer from the backend of the database in use, then the documents."""

from django.db import connection

from search.backends.database import postgres, sqlite
from search.backends.database.common import is_postgres
from search.backends.database.versions import cached
from search.models import SearchDocument, SearchTerm


def _placeholders(values):
    return ", ".join(["%s"] * len(values))


def search(match, filters, scope, offset, limit, rank=None, concepts=None):
    """Documents for one page of results, the total and disjunctive facet counts.

    ``match`` is a backend expression from ``queries.fts5_match``/``queries.tsquery`` or None to
    list everything within filters and scope (ordered by title); ``rank`` (PostgreSQL) is the
    expression to rank by, when it adds to ``match`` (the phrase of a query of several words);
    ``concepts`` (PostgreSQL) are ``match``'s parts, one per concept of the query.
    """
    rank = rank or match
    key = (
        "search",
        connection.settings_dict["NAME"],
        match,
        rank,
        sorted(filters.items()),
        sorted(scope),
        offset,
        limit,
    )
    if is_postgres():
        answer = cached(key, lambda: postgres.answer(match, rank, filters, scope, offset, limit, concepts))
    else:
        answer = cached(key, lambda: sqlite.answer(match, filters, scope, offset, limit))
    # Only live pages, whatever the index holds (it is kept in step, but a page made private or
    # unpublished by a script that sends no signal must not be shown).
    documents = SearchDocument.objects.filter(pk__in=answer["ids"], page__live=True).in_bulk()
    return {
        "documents": [documents[pk] for pk in answer["ids"] if pk in documents],
        "total": answer["total"],
        "facets": answer["facets"],
    }


def autocomplete(match, scope, limit):
    """Titles whose words start with what the reader has typed (``match`` limited to titles)."""
    base = "search_searchdocument d JOIN wagtailcore_page p ON p.id = d.page_id"
    where, params = "p.live = %s", [True]
    if scope:
        where += f" AND d.community IN ({_placeholders(scope)})"
        params += list(scope)
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(
                f"SELECT d.id FROM {base} WHERE d.search_vector @@ to_tsquery('simple', %s) AND {where}"
                " ORDER BY ts_rank(d.search_vector, to_tsquery('simple', %s)) DESC, d.title LIMIT %s",
                [match, *params, match, limit],
            )
        else:
            cursor.execute(
                "SELECT d.id FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid"
                f" JOIN wagtailcore_page p ON p.id = d.page_id WHERE search_fts MATCH %s AND {where} ORDER BY bm25(search_fts), d.title LIMIT %s",
                [match, *params, limit],
            )
        ids = [row[0] for row in cursor.fetchall()]
    documents = SearchDocument.objects.in_bulk(ids)
    return [documents[pk] for pk in ids if pk in documents]


def vocabulary_candidates(word):
    """Known words that could be what the reader meant by ``word``."""
    n = len(word)
    return list(
        SearchTerm.objects.filter(first__in={word[0], word[1:2] or word[0]}, length__range=(n - 2, n + 2))
        .order_by("-frequency")
        .values_list("word", "frequency")[:5000]
    )


def known_words(candidates):
    return set(SearchTerm.objects.filter(word__in=list(candidates)).values_list("word", flat=True))
