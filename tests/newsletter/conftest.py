"""Each newsletter test module builds its world once (its ``build()``), and each test gets it
fresh from the database (tests/worlds.py)."""

import pytest

from tests.worlds import built_once, fresh


@pytest.fixture(scope="module")
def _world(request, django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield request.module.build()


@pytest.fixture
def world(_world, db):
    return fresh(_world)
