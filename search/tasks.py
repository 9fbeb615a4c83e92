"""Background work of the search app: bringing Elasticsearch level with the pages as saved.

The database index is written in the publishing transaction (``search.indexing``); this task
repeats the change in Elasticsearch afterwards, from a worker, so that publishing never waits
for the cluster. It takes page ids, not documents, and reads each page as it is saved when it
runs: running it twice, late or out of order gives the same index.
"""

import logging

from django_tasks import task
from elastic_transport import SerializationError, TransportError
from elasticsearch import ApiError
from elasticsearch.helpers import BulkIndexError

from core.background import enqueue_on_commit, retry_later
from search import backends, indexing
from search.backends import elastic

logger = logging.getLogger("search")


def enqueue_elasticsearch(page_ids):
    """Queue the pages for Elasticsearch when the current transaction commits (if configured)."""
    if backends.elasticsearch_enabled():
        enqueue_on_commit(update_elasticsearch, list(page_ids))


def _unavailable(status):
    # Too many requests, or the cluster (or a shard) not ready: the same request works later.
    return status == 429 or status >= 500


def is_transient(exc):
    """True for errors that go away when the cluster answers again; False for a bad request."""
    if isinstance(exc, BulkIndexError):
        return all(_unavailable(next(iter(item.values())).get("status", 500)) for item in exc.errors)
    if isinstance(exc, ApiError):
        return _unavailable(exc.status_code)
    return isinstance(exc, TransportError) and not isinstance(exc, SerializationError)


# Before Wagtail's own tasks (reference and admin search index, three or more per publish):
# readers wait for this one.
PRIORITY = 10


@task(priority=PRIORITY)
def update_elasticsearch(page_ids, attempt=1):
    """Index the pages among ``page_ids`` that may be found and remove the rest, in Elasticsearch.

    When the cluster cannot be reached the task enqueues itself again with a back-off
    (``core.background.retry_later``) and returns what it scheduled; the writes replay once
    the cluster is back. A request the cluster refuses as such fails the task (no retry).
    """
    if not backends.elasticsearch_enabled():
        return {"skipped": "ELASTICSEARCH_URL is not set"}
    searchable, gone = indexing.saved_state(page_ids)
    try:
        if searchable:
            elastic.index_documents([indexing.document_for(page) for page in searchable], refresh=False)
        if gone:
            elastic.remove_documents(gone, refresh=False)
    except Exception as exc:
        if not is_transient(exc):
            raise
        run_after = retry_later(update_elasticsearch, attempt, page_ids)
        if run_after is None:
            logger.warning(
                "Elasticsearch could not be updated for pages %s (%s); this task backend cannot "
                "retry later: run rebuild_search_index once the cluster answers.",
                page_ids,
                exc,
            )
            return {"error": repr(exc), "retry_at": None}
        logger.warning(
            "Elasticsearch could not be updated for pages %s (attempt %s: %s); trying again at %s.",
            page_ids,
            attempt,
            exc,
            run_after.isoformat(),
        )
        return {"error": repr(exc), "retry_at": run_after.isoformat(), "next_attempt": attempt + 1}
    return {"indexed": [page.pk for page in searchable], "removed": gone}
