"""The real browser for the tests marked ``browser``: Debian's chromium, headless, driven by
Playwright (never a downloaded browser); tests/conftest.py offers it to every test."""

import os
import threading
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser(django_db_setup):
    """One chromium per test module.

    Playwright's sync API marks its event loop as running in this thread between calls, and
    Django (asgiref's thread-critical local) then hands this thread a second set of database
    connections, kept for async code. Those connections lack the migrated data that pytest-django
    serialized when it built the test database, so its serialized rollback restored nothing and
    every transactional test after a browser test met an empty database (no tree root). The
    browser's connections get that data here, and the loop is released when the module ends, so
    later modules have the ordinary connections back.
    """
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} mangler: installer Debians chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    serialized = {
        connection.alias: connection._test_serialized_contents
        for connection in connections.all()
        if hasattr(connection, "_test_serialized_contents")
    }
    # The ORM calls the tests make between browser steps are ordinary synchronous calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        for connection in connections.all(initialized_only=True):
            # An in-memory SQLite database lives as long as a connection to it: leave those open.
            if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
                connection.close()


class _Requests:
    """The requests the live server's threads are answering, seen through Django's own signals (an
    idle keep-alive connection is no request). The test's own thread, where the test client
    answers, is not counted: a streamed response the test never reads would never finish."""

    def __init__(self):
        self.threads = set()
        self.changed = threading.Condition()

    def started(self, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            with self.changed:
                self.threads.add(threading.get_ident())

    def finished(self, **kwargs):
        with self.changed:
            self.threads.discard(threading.get_ident())
            self.changed.notify_all()

    def wait_until_none(self, timeout):
        with self.changed:
            return self.changed.wait_for(lambda: not self.threads, timeout=timeout)


IN_FLIGHT = _Requests()
request_started.connect(IN_FLIGHT.started, dispatch_uid="tests.browser.started")
request_finished.connect(IN_FLIGHT.finished, dispatch_uid="tests.browser.finished")
# Longer than any page of the portal takes to answer on a loaded machine.
REQUESTS_DONE_SECONDS = 10


@pytest.fixture(autouse=True)
def _live_server_answers_before_the_flush(request):
    """A test with the live server ends only when the server has answered every request.

    The live server runs in a thread of its own for the whole session, and a page may still be
    answering a request the browser made as the test closed its context (the reader page's
    offline status, a suggestion): the flush after the test then met «database table is locked»
    on SQLite and left the database unflushed for the next test (seen once in CI, 3 December
    2026). The database fixture is taken first here, so this waits before it flushes."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    assert IN_FLIGHT.wait_until_none(REQUESTS_DONE_SECONDS), "the live server is still answering a request"
