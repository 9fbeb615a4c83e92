"""The lifecycle tests' people and places: Oslo, its publishing team, a publisher and an owner.

They come from ``world``. Here it is built for each test alone, which the task-queue tests need:
they commit, so they cannot use data built once in a transaction. A module whose tests share a
starting point overrides ``world`` with data built once for the module (``tests.worlds``), holding
these keys and the module's own pages.
"""

import pytest
from django.core.cache import cache

from tests.lifecycle.helpers import oslo_publishing_team


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return oslo_publishing_team()


@pytest.fixture
def oslo(world):
    return world["oslo"]


@pytest.fixture
def oslo_team(world):
    return world["oslo_team"]


@pytest.fixture
def publisher(world):
    return world["publisher"]


@pytest.fixture
def owner(world):
    return world["owner"]
