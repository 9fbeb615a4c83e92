import pytest
from django.core.cache import cache

from kompetanse.factories import ContentOwnerFactory
from tests.lifecycle.helpers import make_user, team_group


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def oslo_team(oslo):
    return team_group("Oslo publiserere", oslo)


@pytest.fixture
def publisher(oslo_team):
    return make_user("publiserer", email="publiserer@oslo.example.no", groups=[oslo_team])


@pytest.fixture
def owner(db):
    return ContentOwnerFactory(name="Kari Fagansvarlig", email="kari@example.no")
