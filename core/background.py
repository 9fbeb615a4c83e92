"""Work that runs off the request: enqueued when the transaction commits, tried again later.

The apps keep their tasks in their own ``tasks.py`` (search, lifecycle, reuse); these two helpers
are what they share. The queue is the ``TASKS`` setting: the database backend with a
``db_worker`` process in production, tasks run at once in the tests.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger("core")

# Seconds before the next attempt after attempt 1, 2, 3, …; the last one repeats.
BACKOFF_SECONDS = (10, 30, 2 * 60, 10 * 60, 30 * 60, 60 * 60)


def enqueue_on_commit(task, *args, **kwargs):
    """Enqueue ``task`` once the current transaction commits (at once outside a transaction).

    A worker then reads what was committed, never a state that may still roll back, and a
    publish that rolls back enqueues nothing. ``robust``: a queue that cannot be written is
    logged; the publish has committed by then and must not turn into an error page.
    """
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs), robust=True)


def retry_later(task, attempt, *args, **kwargs):
    """Enqueue ``task`` again as attempt ``attempt + 1``, after a back-off; return when it runs.

    django-tasks has no retries of its own: a task that fails is recorded as failed and never
    run again. A task that met a service that is down (Elasticsearch, the mail server) calls
    this instead, and the queue keeps the work until the service answers. Only a backend that
    can hold a task until later (``supports_defer``, as the database backend does) can do
    this; with the immediate backend there is no later, and this returns None.
    """
    if not task.get_backend().supports_defer:
        return None
    delay = BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS)) - 1]
    run_after = timezone.now() + datetime.timedelta(seconds=delay)
    task.using(run_after=run_after).enqueue(*args, attempt=attempt + 1, **kwargs)
    return run_after
