"""Keeping the database index: documents, their full-text part, facets, vocabulary."""

import contextlib
import contextvars

from django.db import connection, transaction
from django.db.models import F

from search.analysis import analyzed_text, vocabulary_words
from search.backends.database import postgres
from search.backends.database.common import facet_key, facet_values, is_postgres
from search.backends.database.versions import note_change
from search.compounds import document_parts, with_parts
from search.models import SearchDocument, SearchTerm

MAX_BODY_CHARS = 200_000


def _model_fields(doc):
    return {
        "kind": doc["kind"],
        "community": doc["community"],
        "community_name": doc["community_name"][:255],
        "path": doc["path"],
        "url_path": doc["url_path"],
        "title": doc["title"][:255],
        "summary": doc["summary"],
        "body": doc["body"][:MAX_BODY_CHARS],
        "last_reviewed": doc["last_reviewed"],
        "next_review": doc["next_review"],
        "facet_key": facet_key(facet_values(doc)),
    }


# What an upsert writes when the page has a document already (the vectors too, on PostgreSQL).
UPDATE_FIELDS = [
    "kind",
    "community",
    "community_name",
    "path",
    "url_path",
    "title",
    "summary",
    "body",
    "last_reviewed",
    "next_review",
    "facet_key",
    "updated_at",
]
VECTOR_FIELDS = ["search_vector", "title_vector"]


def _analyzed_texts(doc):
    """Title, summary, taxonomy and body as indexed, the same on both databases: each with its
    compounds' parts after it (search.compounds), so that «fall» finds «fallforebygging», and
    reduced to the analysis chain's stems (search.analysis)."""
    parts = document_parts(doc, MAX_BODY_CHARS)
    return [
        analyzed_text(with_parts(doc["title"], parts["title"])),
        analyzed_text(with_parts(doc["summary"], parts["summary"])),
        analyzed_text(with_parts(doc["taxonomy"], parts["taxonomy"])),
        analyzed_text(with_parts(doc["body"][:MAX_BODY_CHARS], parts["body"])),
    ]


def _documents(docs):
    """Unsaved ``SearchDocument``s for the docs, with their vectors on PostgreSQL, and the texts
    SQLite's FTS5 table needs: [(document, analysed texts)]."""
    out = []
    for doc in docs:
        texts = _analyzed_texts(doc)
        vectors = postgres.vectors(*texts) if is_postgres() else {}
        out.append((SearchDocument(page_id=doc["page_id"], **_model_fields(doc), **vectors), texts))
    return out


def _fts_rows(pairs):
    """SQLite: write the full-text rows for [(document, analysed texts)]."""
    if is_postgres() or not pairs:
        return
    with connection.cursor() as cursor:
        cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(d.pk,) for d, _ in pairs])
        cursor.executemany(
            "INSERT INTO search_fts (rowid, title, summary, taxonomy, body) VALUES (%s, %s, %s, %s, %s)",
            [(d.pk, *texts) for d, texts in pairs],
        )


def _vocabulary_counts(docs, counts=None):
    counts = {} if counts is None else counts
    for doc in docs:
        for word in vocabulary_words(doc):
            counts[word] = counts.get(word, 0) + 1
    return counts


def _add_vocabulary(docs):
    _write_vocabulary(_vocabulary_counts(docs))


def _write_vocabulary(counts):
    if not counts:
        return
    existing = set()
    keys = sorted(counts)
    for i in range(0, len(keys), 500):
        existing.update(SearchTerm.objects.filter(word__in=keys[i : i + 500]).values_list("word", flat=True))
    # In one order (the words'), so that two writers adding the same new words cannot deadlock.
    SearchTerm.objects.bulk_create(
        [
            SearchTerm(word=w, first=w[0], length=len(w), frequency=counts[w])
            for w in keys
            if w not in existing
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    # Existing words only grow; the list is rebuilt from scratch by rebuild_search_index.
    for n in sorted(set(counts[w] for w in existing)):
        words_n = sorted(w for w in existing if counts[w] == n)
        SearchTerm.objects.filter(word__in=words_n).update(frequency=F("frequency") + n)


# The vocabulary counts are rows every page shares: a writer holds the ones it changed until its
# transaction ends, and other writers wait for them. In one long transaction (an import of a
# thousand pages) ``shared_rows_last`` collects the counts and writes them once at its end, so
# that a publish meanwhile waits for them seconds, not minutes.
_deferred = contextvars.ContextVar("search_deferred_shared_rows", default=None)


@contextlib.contextmanager
def shared_rows_last():
    """Inside one transaction: write the shared rows (see above) when the block ends."""
    if not connection.in_atomic_block:
        raise RuntimeError("shared_rows_last() needs a transaction around it")
    if _deferred.get() is not None:  # nested: the outermost block writes
        yield
        return
    counts = {}
    token = _deferred.set(counts)
    try:
        yield
    finally:
        _deferred.reset(token)
    _write_vocabulary(counts)


def _shared_rows(docs):
    """The vocabulary counts of new or changed documents: now, or at the end of ``shared_rows_last``."""
    deferred = _deferred.get()
    if deferred is None:
        _add_vocabulary(docs)
    else:
        _vocabulary_counts(docs, deferred)


def _upsert(docs):
    """Insert or replace the documents of ``docs`` in one statement per batch; [(document, texts)].

    Rows are written in page order: two writers whose batches share pages lock them in the same
    order and cannot deadlock. PostgreSQL needs no lock of its own beyond the rows: its full-text
    index (GIN) is kept by PostgreSQL in the same transaction.
    """
    latest = {doc["page_id"]: doc for doc in docs}  # a page twice in one batch: its last version
    pairs = _documents([latest[page_id] for page_id in sorted(latest)])
    SearchDocument.objects.bulk_create(
        [document for document, _ in pairs],
        update_conflicts=True,
        unique_fields=["page"],
        update_fields=UPDATE_FIELDS + (VECTOR_FIELDS if is_postgres() else []),
        batch_size=500,
    )
    _fts_rows(pairs)
    return pairs


@transaction.atomic
def index_documents(docs):
    """Add or replace documents (dicts from ``indexing.document_for``)."""
    if not docs:
        return
    _upsert(docs)
    # Every writer changes the index version (one row) before the shared vocabulary rows, so
    # writers reach those one at a time.
    note_change()
    _shared_rows(docs)  # last: nothing after it can fail and leave it half-noted


@transaction.atomic
def bulk_add_documents(docs, *, deferred):
    """A rebuild: insert documents known to be new (after ``clear()``), one statement per batch.

    What every document shares waits for ``finish_rebuild(deferred)``, which the rebuild calls
    once all documents are in: the vocabulary counts collected in ``deferred`` are then written
    once (not updated batch after batch, which on PostgreSQL leaves a dead row per update), and
    the index version changes once. Each row is written once, vectors included (an INSERT and
    then an UPDATE would leave a dead copy of every row between the live ones on PostgreSQL).
    """
    pairs = _documents(docs)
    SearchDocument.objects.bulk_create([document for document, _ in pairs], batch_size=500)
    _fts_rows(pairs)
    _vocabulary_counts(docs, deferred)


@transaction.atomic
def finish_rebuild(deferred):
    """After ``clear()`` and ``bulk_add_documents(..., deferred=deferred)``: write what waited."""
    _write_vocabulary(deferred)
    note_change()


def vacuum_after_rebuild():
    """PostgreSQL, after a rebuild has committed: vacuum and analyse the documents' table.

    A rebuild deletes every row and inserts it again. Until the dead rows are vacuumed, a search
    that reads every match (the facets' GROUP BY) reads them too: at 20,000 pages p95 went from
    40–75 ms to 20–60 ms after a vacuum (docs/benchmarks.md). Autovacuum would get there later.
    Raw SQL: the ORM has no VACUUM, which cannot run inside a transaction (then it is left out).
    """
    if is_postgres() and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_searchdocument")


@transaction.atomic
def remove_documents(page_ids):
    # Also for pages that were never indexed (listings, community homes): the version stands
    # for the published page tree as a whole (kompetanse.caching.until_content_changes).
    note_change()
    ids = list(SearchDocument.objects.filter(page_id__in=page_ids).values_list("pk", flat=True))
    if not ids:
        return
    if not is_postgres():
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk in ids])
    SearchDocument.objects.filter(pk__in=ids).delete()


@transaction.atomic
def clear():
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    if not is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
    note_change()


def indexed_page_ids():
    return set(SearchDocument.objects.values_list("page_id", flat=True))
