"""The Elasticsearch backend: index changes, alias-swapping rebuilds, searches and spelling help.

Every call may raise (cluster down, timeouts); callers log and fall back to the database.
"""

import contextlib
import datetime
import functools
import html
import time

from django.conf import settings
from elasticsearch import BadRequestError, ConflictError, Elasticsearch, NotFoundError, helpers

from search import queries
from search.documents import PageDocument, alias, build_index

TIMEOUT_SECONDS = 3  # a reader waits no longer before search falls back to the database
ADMIN_TIMEOUT_SECONDS = 120  # creating indexes, bulk writes and alias swaps may take longer
# A rebuild holds a lock document while it builds and swaps; one left by a rebuild that died is
# taken over after this long.
REBUILD_LOCK_SECONDS = 30 * 60


class RebuildRunning(RuntimeError):
    """Another rebuild of the same index is under way."""


def node_urls(setting):
    """ELASTICSEARCH_URL may name several nodes of one cluster, comma-separated."""
    return [url.strip() for url in setting.split(",") if url.strip()]


@functools.lru_cache(maxsize=4)
def _client(url):
    # Retries go to another node of the cluster (a node that stopped answers with a connection error).
    return Elasticsearch(
        node_urls(url), request_timeout=TIMEOUT_SECONDS, max_retries=2, retry_on_timeout=False
    )


def client():
    return _client(settings.ELASTICSEARCH_URL)


def admin_client():
    """The client for writes and index management, which may wait for a busy cluster."""
    return client().options(request_timeout=ADMIN_TIMEOUT_SECONDS)


def _action(doc, index):
    data = PageDocument.from_data(doc).to_dict(include_meta=False)
    return {"_op_type": "index", "_index": index, "_id": doc["page_id"], "_source": data}


def ensure_index():
    """Create a first index behind the alias if there is none."""
    es = admin_client()
    if not es.indices.exists_alias(name=alias()):
        name = new_index_name()
        build_index(name).create(using=es)
        try:
            es.indices.put_alias(index=name, name=alias())
        except Exception:
            es.indices.delete(index=name, ignore_unavailable=True)
            raise


def index_documents(docs, refresh="wait_for"):
    """Write documents; by default return once a search sees them. ``refresh=False`` (the worker,
    search/tasks.py) returns at once: a search sees them at the cluster's next refresh, within a
    second, and the worker goes on to the next task instead of waiting for it."""
    ensure_index()
    helpers.bulk(admin_client(), (_action(doc, alias()) for doc in docs), refresh=refresh)


def remove_documents(page_ids, refresh="wait_for"):
    actions = ({"_op_type": "delete", "_index": alias(), "_id": pk} for pk in page_ids)
    helpers.bulk(admin_client(), actions, raise_on_error=False, refresh=refresh)


def new_index_name():
    return f"{alias()}-{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S%f}"


def _lock_index():
    return f"{alias()}-lock"


@contextlib.contextmanager
def rebuild_lock():
    """Only one rebuild of an index at a time, across processes and machines.

    The lock is a document created with ``op_type=create`` (fails if it exists), so two rebuilds
    started at once never drop each other's new index. A lock older than REBUILD_LOCK_SECONDS was
    left by a rebuild that died and is taken over.
    """
    es = admin_client()
    if not es.indices.exists(index=_lock_index()):
        with contextlib.suppress(BadRequestError):  # created by a rebuild starting at the same moment
            es.indices.create(
                index=_lock_index(), settings={"number_of_shards": 1, "auto_expand_replicas": "0-1"}
            )
    now = time.time()
    try:
        es.create(index=_lock_index(), id="rebuild", document={"since": now})
    except ConflictError:
        held = es.get(index=_lock_index(), id="rebuild")
        if now - held["_source"].get("since", 0) < REBUILD_LOCK_SECONDS:
            raise RebuildRunning(f"En annen gjenoppbygging av {alias()} pågår allerede.") from None
        es.index(
            index=_lock_index(),
            id="rebuild",
            document={"since": now},
            if_seq_no=held["_seq_no"],
            if_primary_term=held["_primary_term"],
        )
    try:
        yield
    finally:
        with contextlib.suppress(NotFoundError):
            es.delete(index=_lock_index(), id="rebuild")


def rebuild(docs, progress=None):
    """Build a complete new index, then point the alias at it in one step and drop the old ones.

    Readers keep searching the old index until the swap (one atomic alias update), so search never
    goes empty; the lock keeps a second rebuild from dropping this one's index.
    """
    es = admin_client()
    with rebuild_lock():
        name = new_index_name()
        build_index(name).create(using=es)
        done = 0
        for _ok, _ in helpers.streaming_bulk(es, (_action(doc, name) for doc in docs), chunk_size=500):
            done += 1
            if progress and done % 100 == 0:
                progress(done)
        es.indices.refresh(index=name)
        old = list(es.indices.get_alias(name=alias()).keys()) if es.indices.exists_alias(name=alias()) else []
        actions = [{"remove": {"index": index, "alias": alias()}} for index in old]
        actions.append({"add": {"index": name, "alias": alias()}})
        es.indices.update_aliases(actions=actions)
        existing = es.indices.get(index=f"{alias()}-*", ignore_unavailable=True, allow_no_indices=True)
        for index in indexes_to_drop(list(existing.keys()) + old, name):
            es.indices.delete(index=index, ignore_unavailable=True)
    return name


def indexes_to_drop(names, current):
    """Our indexes other than ``current``: the one the alias left, and any that a rebuild which
    was interrupted before its swap left behind (never aliased, never read, taking disk)."""
    prefix = f"{alias()}-"
    return sorted({n for n in names if n != current and n.startswith(prefix) and n[len(prefix) :].isdigit()})


def _date(value):
    if not value:
        return None
    return datetime.date.fromisoformat(str(value)[:10])


def search(parsed, filters, scope, offset, limit):
    response = (
        queries.es_search(parsed, filters, scope, offset, limit, index=alias()).using(client()).execute()
    )
    hits = []
    for hit in response.hits:
        fragments = getattr(hit.meta, "highlight", None)
        snippet = ""
        if fragments is not None:
            for field in ("summary", "body"):
                if field in fragments and "<mark>" in fragments[field][0]:
                    snippet = fragments[field][0]
                    break
            if not snippet and "summary" in fragments:
                snippet = fragments["summary"][0]
        hits.append(
            {
                "page_id": hit.page_id,
                "title": hit.title,
                "url_path": hit.url_path,
                "kind": hit.kind,
                "community": hit.community,
                "community_name": getattr(hit, "community_name", ""),
                "snippet": snippet or html.escape(""),
                "last_reviewed": _date(getattr(hit, "last_reviewed", None)),
                "next_review": _date(getattr(hit, "next_review", None)),
            }
        )
    facets = {
        name: {bucket.key: bucket.doc_count for bucket in response.aggregations[name]["values"].buckets}
        for name in queries.ES_FACET_FIELDS
    }
    return {"hits": hits, "total": response.hits.total.value, "facets": facets}


def autocomplete(text, scope, limit):
    """Titles starting with what was typed, within the reader's communities (a completion context)."""
    response = queries.es_autocomplete(text, scope, limit, index=alias()).using(client()).execute()
    return [
        {"title": option._source.title, "url_path": option._source.url_path}
        for option in response.suggest["titles"][0].options
    ][:limit]


def spelling(words):
    """For each word Elasticsearch does not know, its best known neighbour: {word: correction}.

    Elasticsearch's term suggester over the unstemmed ``spell`` field: candidates within two edits,
    the most similar first and then the most frequent.
    """
    if not words:
        return {}
    response = queries.es_spelling(words, index=alias()).using(client()).execute()
    out = {}
    for entry in response.suggest["spelling"]:
        if entry.options:
            out[entry.text] = entry.options[0].text
    return out
