"""The embedded search backend: SQLite FTS5 or PostgreSQL full-text search, same features.

Both are fed the same words: the Norwegian stems of title, summary, taxonomy and body from the
Python analysis chain (``search.analysis``, compounds' parts included).
SQLite: an FTS5 table ``search_fts`` (rowid = SearchDocument id); ranked by BM25 with per-column
weights.
PostgreSQL: ``SearchDocument.search_vector``, a weighted tsvector with a GIN index ('simple'
configuration: PostgreSQL only splits the stems), ranked by ts_rank with the same weight order,
and ``title_vector`` for choosing what to rank when a query matches very many pages.
Both count facets by grouping the matches on ``SearchDocument.facet_key``.

The rooms: ``writing`` keeps the index, ``versions`` retires cached answers when it changes,
``reading`` answers through ``postgres`` or ``sqlite``; ``common`` holds what they share.
This module is the interface the rest of the portal uses.
"""

from search.backends.database.common import FACET_FIELDS, facet_key, facet_values, is_postgres
from search.backends.database.reading import autocomplete, corrections, find, search
from search.backends.database.versions import CACHE_SECONDS, cached, index_version, note_change, one_version
from search.backends.database.writing import (
    bulk_add_documents,
    clear,
    finish_rebuild,
    index_documents,
    indexed_page_ids,
    remove_documents,
    shared_rows_last,
    vacuum_after_rebuild,
)

__all__ = [
    "CACHE_SECONDS",
    "FACET_FIELDS",
    "autocomplete",
    "bulk_add_documents",
    "cached",
    "clear",
    "corrections",
    "facet_key",
    "facet_values",
    "find",
    "finish_rebuild",
    "index_documents",
    "index_version",
    "indexed_page_ids",
    "is_postgres",
    "note_change",
    "one_version",
    "remove_documents",
    "search",
    "shared_rows_last",
    "vacuum_after_rebuild",
]
