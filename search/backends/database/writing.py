"""Keeping the database index: documents, their full-text part, facets, vocabulary, postings."""

import contextlib
import contextvars

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from search.analysis import analyzed_text, fold, vocabulary_words
from search.backends.database import postings
from search.backends.database.common import facet_key, facet_values, is_postgres
from search.backends.database.versions import note_change
from search.compounds import document_parts, with_parts
from search.models import SearchDocument, SearchTerm

# PostgreSQL's head vector (title, summary, taxonomy): it ranks many matches cheaply (migration
# 0005); the full vector is it plus the body (weight D). Parameters: title, summary, taxonomy.
HEAD_VECTOR_SQL = (
    "setweight(to_tsvector('norwegian', %s), 'A') || setweight(to_tsvector('norwegian', %s), 'B')"
    " || setweight(to_tsvector('norwegian', %s), 'C')"
)
BODY_VECTOR_SQL = "setweight(to_tsvector('norwegian', %s), 'D')"
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


def _texts(doc):
    """Title, summary, taxonomy and body as indexed: each with its compounds' parts after it
    (search.compounds), so that «fall» finds «fallforebygging» on every backend."""
    parts = document_parts(doc, MAX_BODY_CHARS)
    return [
        with_parts(doc["title"], parts["title"]),
        with_parts(doc["summary"], parts["summary"]),
        with_parts(doc["taxonomy"], parts["taxonomy"]),
        with_parts(doc["body"][:MAX_BODY_CHARS], parts["body"]),
    ]


def _folded_texts(doc):
    """PostgreSQL's input to to_tsvector: ``_texts`` folded (title, summary, taxonomy, body)."""
    return [fold(text) for text in _texts(doc)]


def _fulltext_rows(pairs):
    """Write the full-text part for [(document id, doc dict)]."""
    if not pairs:
        return
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.executemany(
                f"UPDATE search_searchdocument SET head_vector = h.v, search_vector = h.v || {BODY_VECTOR_SQL},"
                f" facet_values = %s FROM (SELECT {HEAD_VECTOR_SQL} AS v) h WHERE id = %s",
                [
                    (body, facet_values(doc), *head, pk)
                    for pk, doc in pairs
                    for *head, body in [_folded_texts(doc)]
                ],
            )
        else:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk, _ in pairs])
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, summary, taxonomy, body) VALUES (%s, %s, %s, %s, %s)",
                [(pk, *(analyzed_text(text) for text in _texts(doc))) for pk, doc in pairs],
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
    keys = list(counts)
    for i in range(0, len(keys), 500):
        existing.update(SearchTerm.objects.filter(word__in=keys[i : i + 500]).values_list("word", flat=True))
    SearchTerm.objects.bulk_create(
        [
            SearchTerm(word=w, first=w[0], length=len(w), frequency=n)
            for w, n in counts.items()
            if w not in existing
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    # Existing words only grow; the list is rebuilt from scratch by rebuild_search_index.
    for n in set(counts[w] for w in existing):
        words_n = [w for w in existing if counts[w] == n]
        SearchTerm.objects.filter(word__in=words_n).update(frequency=F("frequency") + n)


# Rows every page shares: the postings of common words and facet values (PostgreSQL) and the
# vocabulary counts. A writer holds them until its transaction ends, and other writers wait. In
# one long transaction (an import of a thousand pages) ``shared_rows_last`` collects their
# changes and writes them once at its end, so that a publish meanwhile waits seconds, not minutes.
_deferred = contextvars.ContextVar("search_deferred_shared_rows", default=None)


@contextlib.contextmanager
def shared_rows_last():
    """Inside one transaction: write the shared rows (see above) when the block ends."""
    if not connection.in_atomic_block:
        raise RuntimeError("shared_rows_last() needs a transaction around it")
    if _deferred.get() is not None:  # nested: the outermost block writes
        yield
        return
    state = {"vocabulary": {}, "postings": {}}
    token = _deferred.set(state)
    try:
        yield
    finally:
        _deferred.reset(token)
    _write_vocabulary(state["vocabulary"])
    if is_postgres() and state["postings"]:
        with connection.cursor() as cursor:
            postings.lock(cursor)
            postings.apply(cursor, state["postings"])


def _shared_rows(before, after, docs):
    """Postings and vocabulary for documents that went from ``before`` to ``after``."""
    deferred = _deferred.get()
    if deferred is None:
        if is_postgres():
            with connection.cursor() as cursor:
                postings.update(cursor, before, after)
        _add_vocabulary(docs)
    else:
        if is_postgres():
            postings.changes(before, after, into=deferred["postings"])
        _vocabulary_counts(docs, deferred["vocabulary"])


def _lock_documents(page_ids):
    """PostgreSQL: lock the pages' documents, then take the postings lock; their ids.

    Every writer takes its locks in this order. An import holds its documents' rows for its
    whole transaction and takes the postings lock only at its end (``shared_rows_last``); a
    publish of one of its pages meanwhile waits for the row *before* it holds the postings lock,
    so the two cannot deadlock. The ids are read again under the postings lock: a document
    another writer created and committed meanwhile is then seen, and its terms read as "before".
    """
    list(
        SearchDocument.objects.select_for_update()
        .filter(page_id__in=page_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if _deferred.get() is None:
        with connection.cursor() as cursor:
            postings.lock(cursor)
    return list(SearchDocument.objects.filter(page_id__in=page_ids).values_list("pk", flat=True))


@transaction.atomic
def index_documents(docs):
    """Add or replace documents (dicts from ``indexing.document_for``)."""
    before = {}
    if is_postgres():
        with connection.cursor() as cursor:
            ids = _lock_documents([doc["page_id"] for doc in docs])
            before = postings.terms_of(cursor, ids)
    pairs = []
    for doc in docs:
        document, _ = SearchDocument.objects.update_or_create(
            page_id=doc["page_id"], defaults=_model_fields(doc)
        )
        pairs.append((document.pk, doc))
    _fulltext_rows(pairs)
    after = {}
    if is_postgres():
        with connection.cursor() as cursor:
            after = postings.terms_of(cursor, [pk for pk, _ in pairs])
    note_change()
    _shared_rows(before, after, docs)  # last: nothing after it can fail and leave it half-noted


@transaction.atomic
def bulk_add_documents(docs, *, deferred):
    """A rebuild: insert documents known to be new (after ``clear()``) with fewer queries.

    What every document shares waits for ``finish_rebuild(deferred)``, which the rebuild calls
    once all documents are in: the vocabulary counts collected in ``deferred`` are then written
    once (not updated batch after batch, which on PostgreSQL leaves a dead row per update), the
    postings are built in one pass, and the index version changes once.
    """
    if is_postgres():
        _insert_complete_rows(docs)
    else:
        documents = SearchDocument.objects.bulk_create(
            [SearchDocument(page_id=doc["page_id"], **_model_fields(doc)) for doc in docs]
        )
        _fulltext_rows([(document.pk, doc) for document, doc in zip(documents, docs, strict=True)])
    _vocabulary_counts(docs, deferred)


@transaction.atomic
def finish_rebuild(deferred):
    """After ``clear()`` and ``bulk_add_documents(..., deferred=deferred)``: write what waited."""
    _write_vocabulary(deferred)
    if is_postgres():
        postings.rebuild(connection)
    note_change()


def _insert_complete_rows(docs):
    """PostgreSQL: each row written once, vectors included. An INSERT followed by an UPDATE would
    leave a dead copy of every row between the live ones, and searches that read many rows would
    read twice as many pages."""
    fields = [f for f in SearchDocument._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(f.column for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    now = timezone.now()
    rows = []
    for doc in docs:
        document = SearchDocument(page_id=doc["page_id"], updated_at=now, **_model_fields(doc))
        texts = _folded_texts(doc)
        head_text = texts[:3]
        rows.append(
            [f.get_db_prep_save(getattr(document, f.attname), connection) for f in fields]
            + head_text
            + head_text
            + [texts[3], facet_values(doc)]
        )
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO search_searchdocument ({columns}, head_vector, search_vector, facet_values)"
            f" VALUES ({placeholders}, {HEAD_VECTOR_SQL}, {HEAD_VECTOR_SQL} || {BODY_VECTOR_SQL}, %s)",
            rows,
        )


@transaction.atomic
def remove_documents(page_ids):
    # Also for pages that were never indexed (listings, community homes): the version stands
    # for the published page tree as a whole (kompetanse.caching.until_content_changes).
    note_change()
    with connection.cursor() as cursor:
        if is_postgres():
            ids = _lock_documents(page_ids)
        else:
            ids = list(SearchDocument.objects.filter(page_id__in=page_ids).values_list("pk", flat=True))
        if not ids:
            return
        if is_postgres():
            before = postings.terms_of(cursor, ids)
        else:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk in ids])
    SearchDocument.objects.filter(pk__in=ids).delete()
    if is_postgres():
        _shared_rows(before, {}, [])


@transaction.atomic
def clear():
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    with connection.cursor() as cursor:
        if is_postgres():
            postings.lock(cursor)
            postings.clear(cursor)
        else:
            cursor.execute("DELETE FROM search_fts")
    note_change()


def indexed_page_ids():
    return set(SearchDocument.objects.values_list("page_id", flat=True))
