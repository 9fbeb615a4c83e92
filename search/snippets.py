"""The snippet under each hit: a window of its summary or body with the query's words marked.

One rule for every backend. The database backends and Elasticsearch hand over the hits' texts and
the query's stems and prefixes (``ParsedQuery.highlight_stems`` and ``highlight_prefixes``), and
``analysis.highlight`` marks a word by the portal's own chain: its stem, a typed prefix of its
stem, or the stem of one of its compound parts. Elasticsearch's highlighter marked by the node's
chain and by the request's highlight query, so the same search showed other snippets there: it
did not mark a word its body prefixes found («norskkunnskaper» for «norsk»,
``elastic.prose_prefix``) nor a compound by its parts, and it cost the node 2-4 ms a search at
100,000 pages (docs/benchmarks.md, «Snippets made by the portal on every backend»).
"""

import hashlib

from django.core.cache import cache

from search import compounds, fingerprint
from search.analysis import highlight
from search.backends.database.versions import CACHE_SECONDS

# The best snippet window is looked for in the first part of the body: enough for a snippet.
SNIPPET_SOURCE_CHARS = 6000
SNIPPET_LENGTH = 260


def snippets(documents, stems, prefixes):
    """{document's ``pk``: snippet} for the hits of one search; ``documents`` have ``pk``,
    ``summary`` and ``body``.

    A snippet depends on nothing but the document's summary and body, the query's stems and
    prefixes and the analysis chain, so a page of hits' snippets is cached under exactly those (a
    digest of the documents' ids and texts, the query's words and the chain's fingerprint), not
    under the index version as the answer is: a publish retires every answer, yet when it changed
    none of these pages their snippets stay right, and the same words searched after it reuse them
    instead of making them again (0.7 ms of a 3.6 ms cold search of the question at 1,000 pages on
    SQLite). A page whose text changed changes the digest; a release that changes the stems or
    compound parts changes the fingerprint. One entry per page of hits: the per-process default
    cache holds 300.
    """
    digest = hashlib.blake2b(repr((fingerprint.database(), sorted(stems), sorted(prefixes))).encode())
    for d in documents:
        digest.update(f"\0{d.pk}\0{d.summary}\0{d.body[:SNIPPET_SOURCE_CHARS]}".encode())
    cache_key = "search:snippets:" + digest.hexdigest()
    made = cache.get(cache_key)
    if made is None:
        seen = {}  # the hits share one record of which words match (``highlight``'s ``seen``)
        made = {d.pk: snippet(d, stems, prefixes, seen) for d in documents}
        # As long as a page of answers is kept: a snippet outlives no answer that showed it by much.
        cache.set(cache_key, made, CACHE_SECONDS)
    return made


def snippet(document, stems, prefixes, seen=None):
    """The summary's window with the query's words marked, or the body's if only it has them."""
    split = compounds.split_known
    made = highlight(document.summary, stems, prefixes, length=SNIPPET_LENGTH, split=split, seen=seen)
    if "<mark>" not in made and document.body:
        body_snippet = highlight(
            document.body[:SNIPPET_SOURCE_CHARS],
            stems,
            prefixes,
            length=SNIPPET_LENGTH,
            split=split,
            seen=seen,
        )
        if "<mark>" in body_snippet:
            made = body_snippet
    return made
