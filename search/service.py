"""The search behind the search page, the autocomplete endpoint and the JSON API.

``run_search()`` takes what a reader asked for (``search.params`` reads it from GET parameters)
and returns everything either view shows (``search.results``): hits with highlighted snippets,
facet counts, a «Mente du …?» suggestion (``search.spelling``) and the editors' promoted results
(``search.promotions``); a search that finds nothing is counted for the editors
(``search.zero_hits``). The backend in use answers (``search.backends``).
"""

from search import backends, fingerprint, queries
from search.analysis import STOP_WORDS, clean_query, words
from search.backends import database
from search.params import PER_PAGE, facet_labels
from search.promotions import promoted_results
from search.results import SearchResult, Suggestions, facet_values, hits, url_maker
from search.spelling import suggest
from search.zero_hits import log_zero_hits

# Fewer hits than this, and spelling help is looked for.
FEW_HITS = 3


def run_search(raw_query, *, filters=None, scope=None, page=1, per_page=PER_PAGE, request=None, labels=None):
    with database.one_version():
        query = clean_query(raw_query)
        labels = labels or facet_labels()
        filters = filters or {}
        scope = list(scope or [])
        offset = (page - 1) * per_page
        parsed = queries.parse(query)
        found = backends.find(parsed, filters, scope, offset, per_page)
        loosened = parsed.loosened() if found["total"] == 0 else None
        if loosened is not None:
            found = backends.find(loosened, filters, scope, offset, per_page)
            if found["total"] == 0:
                # A claimed expression must not make the query narrower than its words alone:
                # without a group, «depresjon eldre» finds the pages with either word.
                found = backends.find(queries.parse(query, phrases=False), filters, scope, offset, per_page)
        counted_without_hits = query if query and found["total"] == 0 else ""
        if counted_without_hits:
            log_zero_hits(query)
        suggestion = corrected_from = ""
        if query and not parsed.is_empty and found["total"] < FEW_HITS:
            suggestion = suggest(query)
            if suggestion and found["total"] == 0:
                corrected = backends.find(queries.parse(suggestion), filters, scope, offset, per_page)
                if corrected["total"]:
                    found, corrected_from = corrected, query
        result = SearchResult(
            query=query,
            total=found["total"],
            page=page,
            per_page=per_page,
            hits=hits(found, request),
            facets=facet_values(found["facets"], labels, filters),
            suggestion=suggestion,
            corrected_from=corrected_from,
            scope=scope,
            backend=found["backend"],
            counted_without_hits=counted_without_hits,
        )
        if query and page == 1:
            result.promoted = promoted_results(query, request)
        if query and parsed.is_empty:
            result.message = "Søket inneholder ingen ord vi kan søke etter. Prøv med andre ord."
        return result


# A search of common words, for ``warm_up``.
WARM_UP_QUERY = "legemidler ved utskrivning"


def warm_up():
    """Load what the first search of a process would otherwise load while a reader waits: the
    analysis chain's word lists and the compound splitter's, the synonym groups, the digest that
    snippets are kept under and the URL configuration. About 0.35 s on the demo, once per server
    process (core.warmup). Unlike ``run_search`` it counts nothing: no search without hits is
    logged, no statistics are kept."""
    with database.one_version():
        found = backends.find(queries.parse(WARM_UP_QUERY), {}, [], 0, 1)
        hits(found)
        fingerprint.database()


def autocomplete(raw_query, *, scope=None, request=None, limit=8):
    """Up to ``limit`` titles that start with or contain words starting with what was typed
    (``Suggestions``)."""
    query = clean_query(raw_query)[:100]
    tokens = words(query)
    tokens = [w for w in tokens[:-1] if w not in STOP_WORDS] + tokens[-1:]
    tokens = tokens[-6:]
    if not tokens or len(query.strip()) < 2:
        return Suggestions([])
    url_for = url_maker(request)
    found = backends.titles(query, tokens, scope or [], limit)
    return Suggestions(
        [{"title": title["title"], "url": url_for(title["url_path"])} for title in found["titles"]],
        backend=found["backend"],
    )
