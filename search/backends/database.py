"""The embedded search backend: SQLite FTS5 or PostgreSQL full-text search, same features.

SQLite: an FTS5 table ``search_fts`` (rowid = SearchDocument id) holds the Norwegian stems of
title, summary, taxonomy and body; ranked by BM25 with per-column weights.
PostgreSQL: ``search_searchdocument.search_vector`` is a weighted tsvector built with the
'norwegian' configuration from accent-folded text (æ, ø, å kept), with a GIN index; ranked by
ts_rank with the same weight order.
"""

import collections
import contextlib
import contextvars
import hashlib
import heapq
import json
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from search.analysis import analyzed_text, fold
from search.backends import postings
from search.models import IndexVersion, SearchDocument, SearchTerm

# Column weights: title, summary, taxonomy (topics, target groups, community), body.
WEIGHTS = (10.0, 4.0, 3.0, 1.0)
# PostgreSQL's head vector (title, summary, taxonomy): it ranks many matches cheaply (migration
# 0005); the full vector is it plus the body (weight D). Parameters: title, summary, taxonomy.
HEAD_VECTOR_SQL = (
    "setweight(to_tsvector('norwegian', %s), 'A') || setweight(to_tsvector('norwegian', %s), 'B')"
    " || setweight(to_tsvector('norwegian', %s), 'C')"
)
BODY_VECTOR_SQL = "setweight(to_tsvector('norwegian', %s), 'D')"
MAX_BODY_CHARS = 200_000
FACET_FIELDS = {"type": "kind", "community": "community", "target_group": "target_groups", "topic": "topics"}


def is_postgres():
    return connection.vendor == "postgresql"


# ---------------------------------------------------------------------------------- writing


def _facet_pairs(doc):
    rows = [("type", doc["kind"]), ("community", doc["community"])]
    rows += [("target_group", slug) for slug in doc["target_groups"]]
    rows += [("topic", slug) for slug in doc["topics"]]
    return [(name, value) for name, value in rows if value]


def facet_values(doc):
    """The document's facets as "name:value" strings (PostgreSQL's ``facet_values`` column)."""
    return [f"{name}:{value}" for name, value in _facet_pairs(doc)]


def facet_key(values):
    """Facet values as one text, the same for documents with the same facets: SQLite counts
    facets by grouping the matches on it (``SearchDocument.facet_key``)."""
    return "\n".join(sorted(set(values)))


# Within one reading request the index version is looked up once: the request shows one state of
# the content, and every cached part of a page (search answer, navigation, related pages) would
# otherwise ask again.
_request_version = contextvars.ContextVar("search_index_version", default=None)


@contextlib.contextmanager
def one_version():
    """Read the index version at most once inside the block (for requests that do not write)."""
    reset = _request_version.set({})
    try:
        yield
    finally:
        _request_version.reset(reset)


def _changed():
    """Note a change to the index: cached answers computed before it are no longer used."""
    memo = _request_version.get()
    if memo is not None:
        memo.clear()
    token = uuid.uuid4().hex
    if not IndexVersion.objects.filter(pk=1).update(token=token):
        IndexVersion.objects.bulk_create([IndexVersion(pk=1, token=token)], ignore_conflicts=True)


def index_version():
    memo = _request_version.get()
    if memo is not None and "token" in memo:
        return memo["token"]
    token = IndexVersion.objects.filter(pk=1).values_list("token", flat=True).first() or ""
    if memo is not None:
        memo["token"] = token
    return token


def cached(key, compute, seconds=None):
    """``compute()``, cached under ``key`` until the index version changes (or ``seconds`` pass).

    Search answers, spelling help and the shared parts of reader pages are cached this way: the
    version changes with every index write, on every app server at once, whether the cache is
    shared (Redis) or per process.
    """
    cache_key = "versioned:" + hashlib.sha256(repr(key).encode()).hexdigest()
    version = index_version()
    hit = cache.get(cache_key)
    if hit is not None and hit[0] == version:
        return hit[1]
    value = compute()
    cache.set(cache_key, (version, value), CACHE_SECONDS if seconds is None else seconds)
    return value


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
                    (
                        fold(doc["body"][:MAX_BODY_CHARS]),
                        facet_values(doc),
                        fold(doc["title"]),
                        fold(doc["summary"]),
                        fold(doc["taxonomy"]),
                        pk,
                    )
                    for pk, doc in pairs
                ],
            )
        else:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk, _ in pairs])
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, summary, taxonomy, body) VALUES (%s, %s, %s, %s, %s)",
                [
                    (
                        pk,
                        analyzed_text(doc["title"]),
                        analyzed_text(doc["summary"]),
                        analyzed_text(doc["taxonomy"]),
                        analyzed_text(doc["body"][:MAX_BODY_CHARS]),
                    )
                    for pk, doc in pairs
                ],
            )


def _vocabulary_counts(docs, counts=None):
    from search.indexing import vocabulary_words

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


@transaction.atomic
def index_documents(docs):
    """Add or replace documents (dicts from ``indexing.document_for``)."""
    before = {}
    if is_postgres():
        with connection.cursor() as cursor:
            if _deferred.get() is None:
                postings.lock(cursor)
            # Locked, so that no other writer changes them between reading and writing.
            existing = SearchDocument.objects.select_for_update().filter(
                page_id__in=[doc["page_id"] for doc in docs]
            )
            before = postings.terms_of(cursor, list(existing.values_list("pk", flat=True)))
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
    _changed()
    _shared_rows(before, after, docs)  # last: nothing after it can fail and leave it half-noted


@transaction.atomic
def bulk_add_documents(docs, *, deferred=None):
    """Insert documents known to be new (a rebuild after ``clear()``): fewer queries.

    A rebuild passes a dict as ``deferred`` and calls ``finish_rebuild(deferred)`` once all
    documents are in: the vocabulary counts are then written once (not updated batch after
    batch, which on PostgreSQL leaves a dead row per update), and the postings built in one pass.
    """
    if is_postgres():
        documents = _insert_complete_rows(docs)
        if deferred is None:
            with connection.cursor() as cursor:
                postings.lock(cursor)
                postings.update(cursor, {}, postings.terms_of(cursor, [d.pk for d in documents]))
    else:
        documents = SearchDocument.objects.bulk_create(
            [SearchDocument(page_id=doc["page_id"], **_model_fields(doc)) for doc in docs]
        )
        _fulltext_rows([(document.pk, doc) for document, doc in zip(documents, docs, strict=True)])
    if deferred is None:
        _add_vocabulary(docs)
    else:
        _vocabulary_counts(docs, deferred)
    _changed()


@transaction.atomic
def finish_rebuild(deferred):
    """After ``clear()`` and ``bulk_add_documents(..., deferred=deferred)``: write what waited."""
    _write_vocabulary(deferred)
    if is_postgres():
        postings.rebuild(connection)
    _changed()


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
        head_text = [fold(doc["title"]), fold(doc["summary"]), fold(doc["taxonomy"])]
        rows.append(
            [f.get_db_prep_save(getattr(document, f.attname), connection) for f in fields]
            + head_text
            + head_text
            + [fold(doc["body"][:MAX_BODY_CHARS]), facet_values(doc)]
        )
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO search_searchdocument ({columns}, head_vector, search_vector, facet_values)"
            f" VALUES ({placeholders}, {HEAD_VECTOR_SQL}, {HEAD_VECTOR_SQL} || {BODY_VECTOR_SQL}, %s)",
            rows,
        )
    written = SearchDocument.objects.filter(page_id__in=[doc["page_id"] for doc in docs]).only(
        "pk", "page_id"
    )
    by_page = {document.page_id: document for document in written}
    return [by_page[doc["page_id"]] for doc in docs]


@transaction.atomic
def remove_documents(page_ids):
    # Also for pages that were never indexed (listings, community homes): the version stands
    # for the published page tree as a whole (kompetanse.caching.until_content_changes).
    _changed()
    with connection.cursor() as cursor:
        if is_postgres() and _deferred.get() is None:
            postings.lock(cursor)
        documents = SearchDocument.objects.select_for_update().filter(page_id__in=page_ids)
        ids = list(documents.values_list("pk", flat=True))
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
    _changed()


def indexed_page_ids():
    return set(SearchDocument.objects.values_list("page_id", flat=True))


# ---------------------------------------------------------------------------------- reading

# Answers (ids of one page of hits, total, facet counts) are cached under the index version, so
# a repeated search costs two small queries, and any change to the index retires them at once.
CACHE_SECONDS = 600
# PostgreSQL ranks every match with the full vector up to EXACT_RANK_LIMIT matches. Beyond, doing
# so would read each match's full vector out of line (half the collection for a common word); it
# first takes the RANK_CANDIDATES best by the small head vector (title, summary, taxonomy, where a
# word weighs 3 to 10 times more than in the body) and ranks those in full. A page with the words
# only in its body may then miss the first pages of a very common query; the total and the facet
# counts stay exact.
EXACT_RANK_LIMIT = 1000
RANK_CANDIDATES = 200


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
        answer = cached(key, lambda: _search_postgres(match, rank, filters, scope, offset, limit, concepts))
    else:
        answer = cached(key, lambda: _search_sqlite(match, filters, scope, offset, limit))
    # Only live pages, whatever the index holds (it is kept in step, but a page made private or
    # unpublished by a script that sends no signal must not be shown).
    documents = SearchDocument.objects.filter(pk__in=answer["ids"], page__live=True).in_bulk()
    return {
        "documents": [documents[pk] for pk in answer["ids"] if pk in documents],
        "total": answer["total"],
        "facets": answer["facets"],
    }


def _total(facets, filters):
    # Every document has exactly one type, and the type counts ignore only the type filter: the
    # total is the sum over the chosen types (or all types), without another full-text query.
    chosen_types = filters.get("type")
    return sum(n for value, n in facets["type"].items() if not chosen_types or value in chosen_types)


# ---- PostgreSQL


def _pg_conditions(filters, scope):
    clauses, params = [], []
    if scope:
        clauses.append("d.community = ANY(%s)")
        params.append(list(scope))
    for name, values in filters.items():
        if values:
            clauses.append("d.facet_values && %s::text[]")
            params.append([f"{name}:{value}" for value in values])
    return clauses, params


def _search_postgres(match, rank, filters, scope, offset, limit, concepts=None):
    with transaction.atomic(), connection.cursor() as cursor:
        # The planner does not know that evaluating @@ row by row means reading each full vector
        # out of line: for common words it would scan the table. The GIN index answers @@ exactly.
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            answer = _search_postings(cursor, match, rank, filters, scope, offset, limit, concepts)
        except postings.Unsupported:
            answer = None
        if answer is not None:
            return answer
        match_clause, match_params = [], []
        if match is not None:
            match_clause, match_params = ["d.search_vector @@ to_tsquery('norwegian', %s)"], [match]
        facets = _facet_counts_postgres(cursor, match_clause, match_params, filters, scope)
        total = _total(facets, filters)
        ids = []
        if total and offset < total:
            clauses, params = _pg_conditions(filters, scope)
            where = " AND ".join(match_clause + clauses) or "TRUE"
            ids = _ranked_ids(cursor, where, match_params + params, match and rank, total, offset, limit)
    return {"ids": ids, "total": total, "facets": facets}


# Ranking a query that matches more than EXACT_RANK_LIMIT pages looks at no more than
# CANDIDATE_LIMIT of them: the pages with the most of the query's concepts in the title, then in
# title, summary and taxonomy, then anywhere (the most recently indexed first within a tier that
# does not fit).
CANDIDATE_LIMIT = 2000


def _search_postings(cursor, match, rank, filters, scope, offset, limit, concepts):
    """The answer from the postings (``postings.py``), or None where they cannot give it exactly."""
    origin = postings.origin(cursor)
    facet_bits = postings.facet_bitmaps(cursor, origin)

    def ids_of(bits):
        return [position + origin for position in postings.ids_of(bits)]

    everything = 0
    for term, bits in facet_bits.items():
        if term.startswith("type:"):  # every document has exactly one type
            everything |= bits
    if match is None:
        tiers = None
        matched = everything
    else:
        cursor.execute(
            "SELECT to_tsquery('norwegian', c)::text FROM unnest(%s::text[]) WITH ORDINALITY u(c, n) ORDER BY n",
            [list(concepts or [match])],
        )
        trees = [postings.parse_tsquery(row[0]) for row in cursor.fetchall()]
        words = postings.word_bitmaps(cursor, trees, origin)
        tiers = {
            tier: [postings.evaluate(tree, words[tier]) for tree in trees] for tier in postings.WORD_TIERS
        }
        matched = 0
        for bits in tiers[postings.ANYWHERE]:
            matched |= bits
    if scope:
        in_scope = 0
        for community in scope:
            in_scope |= facet_bits.get(f"community:{community}", 0)
        matched &= in_scope
    chosen = {}
    for name, values in filters.items():
        if values:
            bits = 0
            for value in values:
                bits |= facet_bits.get(f"{name}:{value}", 0)
            chosen[name] = bits
    facets = _bitmap_facet_counts(matched, chosen, facet_bits)
    found = matched
    for bits in chosen.values():
        found &= bits
    total = found.bit_count()
    if not total or offset >= total:
        return {"ids": [], "total": total, "facets": facets}
    if tiers is None:  # everything within the filters, by title
        clauses, params = _pg_conditions(filters, scope)
        ids = _ranked_ids(cursor, " AND ".join(clauses) or "TRUE", params, None, total, offset, limit)
    elif total <= EXACT_RANK_LIMIT:
        ids = _ranked_ids(cursor, "d.id = ANY(%s)", [ids_of(found)], rank, total, offset, limit)
    else:
        # The best RANK_CANDIDATES of the candidates come first, ranked in full; the rest of the
        # matches follow by head rank (SQL, only for pages that far down). The order is the same
        # for every page, so paging through shows each match exactly once.
        ordered_tiers = [tiers[t] for t in (postings.TITLE, postings.HEAD, postings.ANYWHERE)]
        candidates = ids_of(_candidates(found, ordered_tiers))
        top = _ranked_ids(cursor, "d.id = ANY(%s)", [candidates], rank, len(candidates), 0, RANK_CANDIDATES)
        ids = top[offset : offset + limit]
        if offset + limit > len(top):
            # Further down, the rest in tier order (most recently indexed first within a level):
            # no ranking, but pages deep in a very common query cost as little as the first.
            rest = found & ~postings.bitmap(position - origin for position in top)
            start = max(offset, len(top))
            ids += [
                position + origin
                for position in _in_tier_order(rest, ordered_tiers, start - len(top), offset + limit - start)
            ]
    return {"ids": ids, "total": total, "facets": facets}


def _bitmap_facet_counts(matched, chosen, facet_bits):
    """Each facet value's count among ``matched``, with every *other* facet's ``chosen`` filter."""
    facets = {name: {} for name in FACET_FIELDS}
    for name in FACET_FIELDS:
        others = matched
        for other, bits in chosen.items():
            if other != name:
                others &= bits
        prefix = name + ":"
        for term, bits in facet_bits.items():
            if term.startswith(prefix):
                count = (others & bits).bit_count()
                if count:
                    facets[name][term[len(prefix) :]] = count
    return facets


def _candidates(found, tiers):
    """Up to CANDIDATE_LIMIT of ``found`` worth ranking, in tiers (see CANDIDATE_LIMIT), as a bitmap."""
    chosen, count = 0, 0
    for concept_bits in tiers:
        for level in reversed(_at_least(found & bits for bits in concept_bits)):
            level &= ~chosen
            n = level.bit_count()
            if not n:
                continue
            if count + n > CANDIDATE_LIMIT:
                return chosen | postings.bitmap(postings.ids_of(level, CANDIDATE_LIMIT - count))
            chosen |= level
            count += n
        if count >= RANK_CANDIDATES:
            break
    return chosen


def _in_tier_order(found, tiers, skip, take):
    """Positions ``skip`` to ``skip + take`` of ``found`` in the order candidates are chosen."""
    out, seen = [], 0
    for concept_bits in tiers:
        for level in reversed(_at_least(found & bits for bits in concept_bits)):
            level &= ~seen
            n = level.bit_count()
            if skip >= n:
                skip -= n
            else:
                out += postings.ids_of(level, skip + take)[skip:]
                take -= min(take, n - skip)
                skip = 0
            seen |= level
            if not take:
                return out
    return out


def _at_least(sets):
    """[documents in at least 1 of ``sets``, in at least 2, …]."""
    sets = list(sets)
    levels = [-1] + [0] * len(sets)  # -1: every bit set
    for bits in sets:
        for k in range(len(sets), 0, -1):
            levels[k] |= levels[k - 1] & bits
    return levels[1:]


RANK_WEIGHTS = "{" + ", ".join(str(w / WEIGHTS[0]) for w in reversed(WEIGHTS)) + "}"
RANK_BY = "ts_rank(%s, {}, to_tsquery('norwegian', %s), 1) DESC"


def _fetch_ids(cursor, sql, params):
    cursor.execute(sql, params)
    return [row[0] for row in cursor.fetchall()]


def _ranked_ids(cursor, where, params, rank, total, offset, limit):
    source = f"FROM search_searchdocument d WHERE {where}"
    if rank is None:
        return _fetch_ids(
            cursor,
            f"SELECT d.id {source} ORDER BY d.title, d.id LIMIT %s OFFSET %s",
            params + [limit, offset],
        )
    if total <= EXACT_RANK_LIMIT:
        return _fetch_ids(
            cursor,
            f"SELECT d.id {source} ORDER BY {RANK_BY.format('d.search_vector')}, d.id LIMIT %s OFFSET %s",
            params + [RANK_WEIGHTS, rank, limit, offset],
        )
    # The order: the candidates ranked in full, then the rest by head rank. It is the same for
    # every page, so paging through shows each match exactly once.
    ids = []
    if offset < RANK_CANDIDATES:
        ids = _fetch_ids(
            cursor,
            f"SELECT c.id FROM (SELECT d.id, d.search_vector {source}"
            f" ORDER BY {RANK_BY.format('d.head_vector')}, d.id LIMIT %s) c"
            f" ORDER BY {RANK_BY.format('c.search_vector')}, c.id LIMIT %s OFFSET %s",
            params + [RANK_WEIGHTS, rank, RANK_CANDIDATES, RANK_WEIGHTS, rank, limit, offset],
        )
    if offset + limit > RANK_CANDIDATES:
        start = max(offset, RANK_CANDIDATES)
        ids += _head_ordered_ids(cursor, where, params, rank, start, offset + limit - start)
    return ids


def _head_ordered_ids(cursor, where, params, rank, offset, limit):
    return _fetch_ids(
        cursor,
        f"SELECT d.id FROM search_searchdocument d WHERE {where}"
        f" ORDER BY {RANK_BY.format('d.head_vector')}, d.id LIMIT %s OFFSET %s",
        params + [RANK_WEIGHTS, rank, limit, offset],
    )


def _facet_counts_postgres(cursor, match_clause, match_params, filters, scope):
    """Every facet's counts in one pass over the matches: each "name:value" of a matching
    document counts if the document passes the other facets' filters (not its own)."""
    clauses, params = _pg_conditions({}, scope)
    for name, values in filters.items():
        if values:
            clauses.append("(starts_with(f, %s) OR d.facet_values && %s::text[])")
            params += [f"{name}:", [f"{name}:{value}" for value in values]]
    where = " AND ".join(match_clause + clauses) or "TRUE"
    cursor.execute(
        f"SELECT f, COUNT(*) FROM search_searchdocument d, unnest(d.facet_values) f WHERE {where} GROUP BY f",
        match_params + params,
    )
    counts = {name: {} for name in FACET_FIELDS}
    for facet, count in cursor.fetchall():
        name, _, value = facet.partition(":")
        if name in counts:
            counts[name][value] = count
    return counts


# ---- SQLite


def _search_sqlite(match, filters, scope, offset, limit):
    with connection.cursor() as cursor:
        if match is None:
            cursor.execute("SELECT facet_key, COUNT(*) FROM search_searchdocument GROUP BY facet_key")
            groups = dict(cursor.fetchall())
        else:
            # One pass over the matches gives the ranking and every facet count: FTS5 evaluates
            # the MATCH once, not once for the hits and again for each facet.
            weights = ", ".join(str(w) for w in WEIGHTS)
            cursor.execute(
                f"SELECT d.id, d.facet_key, bm25(search_fts, {weights}) FROM search_fts"
                " JOIN search_searchdocument d ON d.id = search_fts.rowid WHERE search_fts MATCH %s",
                [match],
            )
            rows = cursor.fetchall()
            groups = collections.Counter(key for _, key, _ in rows)
        facets, allowed = _grouped_facet_counts(groups, filters, scope)
        total = sum(n for key, n in groups.items() if key in allowed)
        ids = []
        if total and offset < total:
            if match is None:
                cursor.execute(
                    "SELECT d.id FROM search_searchdocument d WHERE d.facet_key IN (SELECT value FROM json_each(%s))"
                    " ORDER BY d.title, d.id LIMIT %s OFFSET %s",
                    [json.dumps(sorted(allowed)), limit, offset],
                )
                ids = [row[0] for row in cursor.fetchall()]
            else:
                passing = (row for row in rows if row[1] in allowed)
                best = heapq.nsmallest(offset + limit, passing, key=lambda row: (row[2], row[0]))
                ids = [row[0] for row in best[offset:]]
    return {"ids": ids, "total": total, "facets": facets}


def _grouped_facet_counts(groups, filters, scope):
    """Disjunctive facet counts from {facet_key: matches}, and the keys that pass every filter.

    A document counts for a facet's values when it passes the *other* facets' filters, so that
    a facet's own selection does not narrow its own counts.
    """
    counts = {name: {} for name in FACET_FIELDS}
    chosen = {name: set(values) for name, values in filters.items() if values}
    scope = set(scope)
    allowed = set()
    for key, n in groups.items():
        values = {}
        for item in key.split("\n") if key else ():
            name, _, value = item.partition(":")
            values.setdefault(name, set()).add(value)
        if scope and not values.get("community", set()) & scope:
            continue
        failing = [name for name, wanted in chosen.items() if not values.get(name, set()) & wanted]
        if not failing:
            allowed.add(key)
        elif len(failing) > 1:
            continue
        for name in failing or FACET_FIELDS:
            for value in values.get(name, ()):
                counts[name][value] = counts[name].get(value, 0) + n
    return counts, allowed


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
