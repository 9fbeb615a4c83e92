"""The Elasticsearch backend: a reader's search, autocomplete and spelling help, from the
requests (``request``), what the index knows of the words (``words``) and the index on the nodes
(``nodes``).

Every call may raise (cluster down, timeouts); callers log and fall back to the database.
"""

import datetime
import types

from search import params, snippets
from search.backends.elastic.nodes import (
    TIMEOUT_SECONDS,
    RebuildRunning,
    admin_client,
    built_fingerprint,
    client,
    current_fingerprint,
    ensure_index,
    index_documents,
    indexes_to_drop,
    merge_live_index,
    merge_to_one_segment,
    new_index_name,
    node_urls,
    rebuild,
    rebuild_lock,
    remove_documents,
    searched_segments,
)
from search.backends.elastic.request import (
    COMMON_RARITY,
    FACET_FIELDS,
    FIELDS,
    FUZZINESS,
    NARROWED,
    PAIR_FIELDS,
    PAIR_WINDOW,
    PAIR_WORDS,
    PHRASE_WORDS,
    PLACE_SHARE,
    PREFIX_REWRITE,
    READ_FIELDS,
    SATURATE,
    SATURATION,
    WEIGHED_SATURATE,
    autocomplete_request,
    concept_rarities,
    expression_weights,
    near_words,
    per_word,
    prose_prefix,
    search_request,
    spelling_request,
)
from search.backends.elastic.words import (
    WordCounts,
    concept_key,
    counted_words,
    known_words_request,
    typed_words,
    weighed_stems,
    what_the_index_knows,
    word_counts,
)
from search.documents import alias

# What the rest of the portal, the benchmarks and the tests use of the backend's rooms.
__all__ = [
    "COMMON_RARITY",
    "FACET_FIELDS",
    "FIELDS",
    "FUZZINESS",
    "NARROWED",
    "PAIR_FIELDS",
    "PAIR_WINDOW",
    "PAIR_WORDS",
    "PHRASE_WORDS",
    "PLACE_SHARE",
    "PREFIX_REWRITE",
    "READ_FIELDS",
    "SATURATE",
    "SATURATION",
    "TIMEOUT_SECONDS",
    "RebuildRunning",
    "WEIGHED_SATURATE",
    "WordCounts",
    "admin_client",
    "alias",
    "autocomplete",
    "autocomplete_request",
    "built_fingerprint",
    "client",
    "concept_key",
    "concept_rarities",
    "counted_words",
    "current_fingerprint",
    "ensure_index",
    "expression_weights",
    "index_documents",
    "indexes_to_drop",
    "known_words_request",
    "merge_live_index",
    "merge_to_one_segment",
    "near_words",
    "new_index_name",
    "node_urls",
    "per_word",
    "prose_prefix",
    "rebuild",
    "rebuild_lock",
    "remove_documents",
    "search",
    "search_request",
    "searched_segments",
    "spelling",
    "spelling_request",
    "typed_words",
    "weighed_stems",
    "what_the_index_knows",
    "word_counts",
]


def _date(value):
    if not value:
        return None
    return datetime.date.fromisoformat(str(value)[:10])


def search(parsed, filters, scope, offset, limit):
    counts, fuzzy = what_the_index_knows(parsed)
    request = search_request(parsed, filters, scope, offset, limit, index=alias(), fuzzy=fuzzy, counts=counts)
    response = request.using(client()).execute()
    texts = [
        types.SimpleNamespace(
            pk=hit.page_id, summary=getattr(hit, "summary", ""), body=getattr(hit, "snippet_body", "")
        )
        for hit in response.hits
    ]
    made = snippets.snippets(texts, parsed.highlight_stems(), parsed.highlight_prefixes()) if texts else {}
    hits = []
    for hit in response.hits:
        hits.append(
            {
                "page_id": hit.page_id,
                "title": hit.title,
                "url_path": hit.url_path,
                "kind": hit.kind,
                "community": hit.community,
                "community_name": getattr(hit, "community_name", ""),
                "snippet": made[hit.page_id],
                "last_reviewed": _date(getattr(hit, "last_reviewed", None)),
                "next_review": _date(getattr(hit, "next_review", None)),
            }
        )
    facets = {}
    aggregations = response.aggregations
    for name in FACET_FIELDS:
        if name in aggregations:
            agg = aggregations[name]
            buckets = agg["values"].buckets if "values" in agg else agg.buckets
        else:
            buckets = aggregations[NARROWED][name].buckets
        facets[name] = {bucket.key: bucket.doc_count for bucket in buckets}
    return {"hits": hits, "total": response.hits.total.value, "facets": facets}


def autocomplete(text, scope, limit):
    """Titles starting with what was typed, within the reader's communities (a completion context);
    without a scope, in every community's context. Elasticsearch 7 and later refuse a completion
    query without a context on a field that has one; a context of every community that each title
    had as well doubled the field (54.7 of the index's 281.8 MB at 100,000 pages,
    docs/benchmarks.md), where asking the communities' contexts, 4 or 20, costs the node as little
    as asking one."""
    communities = list(scope) or sorted(params.facet_labels()["community"])
    if not communities:
        return []
    response = autocomplete_request(text, communities, limit, index=alias()).using(client()).execute()
    return [
        {"title": option._source.title, "url_path": option._source.url_path}
        for option in response.suggest["titles"][0].options
    ][:limit]


def spelling(words):
    """For each word Elasticsearch does not know, its best known neighbour: {word: correction}.

    Elasticsearch's term suggester over the unstemmed ``spell`` field: candidates within the
    edits a word may have (``params.allowed_edits``, as on the database), the most similar first
    and then the most frequent.
    """
    if not words:
        return {}
    response = spelling_request(words, index=alias()).using(client()).execute()
    out = {}
    for suggester in response.suggest:
        for entry in response.suggest[suggester]:
            if entry.options:
                out[entry.text] = entry.options[0].text
    return out
