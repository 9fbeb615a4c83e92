"""The Elasticsearch backend's nodes and index: clients, index changes, alias-swapping rebuilds
under a lock.

Every call may raise (cluster down, timeouts); callers log and fall back to the database.
"""

import contextlib
import datetime
import functools
import logging
import time

from django.conf import settings
from elasticsearch import (
    BadRequestError,
    ConflictError,
    ConnectionTimeout,
    Elasticsearch,
    NotFoundError,
    helpers,
)

from search.documents import PageDocument, alias, build_index, recorded_fingerprint

logger = logging.getLogger("search")

TIMEOUT_SECONDS = 3  # a reader waits no longer before search falls back to the database
ADMIN_TIMEOUT_SECONDS = 120  # creating indexes, bulk writes and alias swaps may take longer
# A rebuild holds a lock document while it builds and swaps; one left by a rebuild that died is
# taken over after this long.
REBUILD_LOCK_SECONDS = 30 * 60
# A rebuild waits this long for the new index's merge into one segment (``merge_to_one_segment``).
MERGE_TIMEOUT_SECONDS = 10 * 60


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


def built_fingerprint():
    """The analysis fingerprint (``search.fingerprint``) the index behind the alias was built
    with; None when there is no index, or it was built before indexes recorded one."""
    es = admin_client()
    if not es.indices.exists_alias(name=alias()):
        return None
    mappings = es.indices.get_mapping(index=alias())
    return next((recorded_fingerprint(found["mappings"]) for found in mappings.values()), None)


def current_fingerprint():
    """The fingerprint an index built by the running code records."""
    return recorded_fingerprint(build_index(alias()).to_dict()["mappings"])


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
        merge_to_one_segment(es, name)
        old = list(es.indices.get_alias(name=alias()).keys()) if es.indices.exists_alias(name=alias()) else []
        actions = [{"remove": {"index": index, "alias": alias()}} for index in old]
        actions.append({"add": {"index": name, "alias": alias()}})
        es.indices.update_aliases(actions=actions)
        existing = es.indices.get(index=f"{alias()}-*", ignore_unavailable=True, allow_no_indices=True)
        for index in indexes_to_drop(list(existing.keys()) + old, name):
            es.indices.delete(index=index, ignore_unavailable=True)
    return name


def merge_to_one_segment(es, name):
    """Merge a freshly built index into one segment before readers are sent to it; True when the
    merge ended within MERGE_TIMEOUT_SECONDS.

    A bulk rebuild leaves a dozen or more segments, and every search visits each of them: at
    100,000 pages the question of bench/search_bench.py took the node 27 ms on the rebuilt index
    and 21 ms once merged (bench/es_breakdown.py, the same run). The whole portal is one shard of
    a few hundred megabytes, far under the 5 GB at which a merged segment would stop taking part
    in the merges later writes need. The merge goes on in the node if the request times out; the
    index is complete either way, so the rebuild goes on to the swap.
    """
    try:
        es.options(request_timeout=MERGE_TIMEOUT_SECONDS).indices.forcemerge(index=name, max_num_segments=1)
    except ConnectionTimeout:
        logger.warning("Elasticsearch: the merge of %s is still running; the index is used as it is.", name)
        return False
    return True


def merge_live_index():
    """Merge the index readers search (the alias's) into one segment, as a rebuild leaves it:
    (its name, searched segments before, after, whether the merge ended within its wait).

    Run each night (``manage.py merge_search_index``). The merge policy keeps publishes to a few
    segments (``documents.MERGE_POLICY``), but the segments beside the large one grow, and a page
    published again leaves its old copy in the segment it was in, marked deleted, which searches
    step over until a merge drops it (the node keeps such copies a little while for its history of
    changes). At 100,000 pages, after 8,000 single-page publishes, the long query took the node
    40-45 ms against 32-35 merged, and a merge of 7-8 s gave that back (docs/benchmarks.md, «Weeks
    of publishes, and a nightly merge»). Readers search on meanwhile, and a page published during
    the merge is searchable as usual.
    """
    es = admin_client()
    name = next(iter(es.indices.get_alias(name=alias())))
    before = searched_segments(es, name)
    finished = merge_to_one_segment(es, name)
    return name, before, searched_segments(es, name), finished


def searched_segments(es, name):
    """How many segments a search of index ``name`` visits (on each primary, added up)."""
    shards = es.indices.segments(index=name)["indices"][name]["shards"]
    return sum(
        sum(1 for segment in copy["segments"].values() if segment["search"])
        for copies in shards.values()
        for copy in copies
        if copy["routing"]["primary"]
    )


def indexes_to_drop(names, current):
    """Our indexes other than ``current``: the one the alias left, and any that a rebuild which
    was interrupted before its swap left behind (never aliased, never read, taking disk)."""
    prefix = f"{alias()}-"
    return sorted({n for n in names if n != current and n.startswith(prefix) and n[len(prefix) :].isdigit()})
