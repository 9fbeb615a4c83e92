"""The rate limits' counts: in the database table every app process reads, for the whole window."""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection, connections
from django.utils import timezone

from core.ratelimit import Limit

pytestmark = pytest.mark.django_db

TABLE = "core_ratelimit_cache"


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("redaktor", "r@example.no", "riktig-passord-123")


def fail_login(client, times, ip="203.0.113.66"):
    for _ in range(times):
        response = client.post("/admin/login/", {"username": "redaktor", "password": "feil"}, REMOTE_ADDR=ip)
        assert response.status_code == 200


def stored_keys():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {TABLE}")
        # Stored as "<prefix>:<version>:<key>".
        return [stored.split(":", 2)[2] for (stored,) in cursor.fetchall()]


def test_counts_are_kept_in_the_database_table_where_another_worker_reads_them(client, editor):
    fail_login(client, 3)
    other_worker = caches.create_connection("ratelimit")  # a cache object of its own
    # One count per address and user name, one per address.
    assert sorted(other_worker.get_many(stored_keys()).values()) == [3, 3]
    fail_login(client, 2)
    blocked = client.post(
        "/admin/login/",
        {"username": "redaktor", "password": "riktig-passord-123"},
        REMOTE_ADDR="203.0.113.66",
    )
    assert blocked.status_code == 429


def test_counting_keeps_the_end_of_the_window(client, editor, settings):
    settings.LOGIN_FAILURE_WINDOW = 15 * 60
    fail_login(client, 5)
    soon = timezone.now() + datetime.timedelta(minutes=14)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {TABLE} WHERE expires < %s",
            [connection.ops.adapt_datetimefield_value(soon)],
        )
        assert cursor.fetchone()[0] == 0  # no count forgotten before the 15 minutes are up


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite lets one writer in at a time (IMMEDIATE transactions)"
)
def test_workers_counting_at_the_same_moment_lose_no_count():
    # Each thread has its own database connection, as each gunicorn worker has, and commits on
    # its own; the key is this test's alone.
    limit = Limit("test:concurrent", 1000, 60)
    threads, hits = 8, 25

    def count():
        try:
            for _ in range(hits):
                limit.hit("198.51.100.1")
        finally:
            connections.close_all()

    workers = [threading.Thread(target=count) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert limit.hit("198.51.100.1") == threads * hits + 1
