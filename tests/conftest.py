"""Shared fixtures: the seeded vocabulary and portal home come from the migrations."""

import pytest

from kompetanse.communities import ensure_community


@pytest.fixture
def oslo(db):
    return ensure_community("oslo", "Helsefellesskap Oslo")


@pytest.fixture
def sentral(db):
    return ensure_community("sentral")


def pytest_collection_modifyitems(items):
    """Tests marked ``empties_database`` run after all others.

    They break the database connection on purpose, so they run outside a transaction and end with
    Django's flush. pytest-django's serialized rollback should then reload the migrated data (the
    portal home, the vocabulary) for the next transactional test, but here it did not (seen on
    PostgreSQL with the browser test), so nothing that needs that data may come after them.
    pytest-django has already ordered the items (plain, then transactional); this keeps its order.
    """
    last = [item for item in items if item.get_closest_marker("empties_database")]
    if last:
        items[:] = [item for item in items if item not in last] + last
    # The browser tests build their site in a module-scoped fixture, before serialized rollback
    # restores the migrated data for the test: they go first among the transactional tests, while
    # the database still holds that data, whatever order the command line gave.
    transactional = [i for i, item in enumerate(items) if _is_transactional(item)]
    browser = [item for item in items if item.get_closest_marker("browser")]
    if transactional and browser:
        rest = [item for item in items if item not in browser]
        first = (
            next(i for i, item in enumerate(rest) if _is_transactional(item))
            if any(_is_transactional(item) for item in rest)
            else len(rest)
        )
        items[:] = rest[:first] + browser + rest[first:]


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))
