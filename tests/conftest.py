"""Shared fixtures: the seeded vocabulary and portal home come from the migrations."""

import pytest

from kompetanse.communities import ensure_community
from tests.browser import browser  # noqa: F401 (the fixture for tests marked browser)


@pytest.fixture
def oslo(db):
    return ensure_community("oslo", "Helsefellesskap Oslo")


@pytest.fixture
def sentral(db):
    return ensure_community("sentral")


def pytest_collection_modifyitems(items):
    """Tests marked ``empties_database`` run after all others.

    They break the database connection on purpose, so they run outside a transaction and end with
    Django's flush. Only the tests that ask for serialized rollback get the migrated data (the
    portal home, the vocabulary) back afterwards; running these last keeps any other test from
    meeting an empty database. pytest-django has already ordered the items (plain, then
    transactional); this keeps its order.
    """
    last = [item for item in items if item.get_closest_marker("empties_database")]
    if last:
        items[:] = [item for item in items if item not in last] + last
