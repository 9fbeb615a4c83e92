"""The real browser for the tests marked ``browser``: Debian's chromium, headless, driven by
Playwright (never a downloaded browser); tests/conftest.py offers it to every test."""

import os
from pathlib import Path

import pytest
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
