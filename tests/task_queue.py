"""The database task queue in tests: a test on it, the worker run once, the tasks it holds.

The suite runs tasks at once (settings.test). A test marked ``on_the_database_queue`` queues
them in the database as production does, and runs outside a transaction of its own, so that
``transaction.on_commit`` fires when the publish commits and the worker, run in the test's
process by ``run_worker``, reads what was committed.
"""

import datetime
import io
import logging
import signal

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


def on_the_database_queue(test):
    """Run ``test`` on the database queue (the ``database_task_queue`` fixture, tests/conftest.py).

    Through pytest-django's ``settings`` fixture, not ``override_settings`` around the test: a test
    that also changed a setting with that fixture (the mail server) had its change restored after
    the decorator's, which put back the settings as they were inside the decorator, queue
    included. Every later test in the process then queued its tasks in the database and ran none
    (the newsletter's browser test found no confirmation mail).
    """
    # serialized_rollback: the migrations' data (portal home, vocabulary) is back for later tests.
    test = pytest.mark.usefixtures("database_task_queue")(test)
    return pytest.mark.django_db(transaction=True, serialized_rollback=True)(test)


def queued(task):
    """The queue's rows for ``task``, oldest first."""
    return DBTaskResult.objects.filter(task_path=task.module_path).order_by("enqueued_at")


def run_worker():
    """The package's worker, once over every task that is due (``db_worker --batch``).

    The worker installs its own signal handlers and log levels for a long-running process;
    the test process gets its own back.
    """
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    loggers = {name: logging.getLogger(name).level for name in ("django_tasks", "django_tasks_db")}
    try:
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0, stdout=io.StringIO()
        )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        for name, level in loggers.items():
            logging.getLogger(name).setLevel(level)


def make_due(row):
    """The clock moved past a task's ``run_after``: the next worker run takes it."""
    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now() - datetime.timedelta(seconds=1))


def seconds_until(row):
    return (row.run_after - timezone.now()).total_seconds()
