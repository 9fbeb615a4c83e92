"""Shared fixtures: the seeded vocabulary and portal home come from the migrations."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from core import pagecache
from kompetanse.communities import ensure_community
from tests import template_db
from tests.browser import _live_server_answers_before_the_flush, browser  # noqa: F401 (fixtures)
from tests.task_queue import DATABASE_QUEUE


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """pytest-django's per-worker database names, then the test database from a migrated
    template when `.ci/run` made one (tests/template_db.py)."""
    return template_db.prepare()


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings):
    """A database copied from the template is the test database: Django keeps it as it is."""
    return bool(request.config.getvalue("reuse_db") or django_db_modify_db_settings)


@pytest.fixture(autouse=True)
def empty_caches():
    """Cached reader pages are keyed on the content version, which each test's rollback sets
    back: a page that one test cached must not answer the next one (core/pagecache.py). Nor may
    what the search backends remember past changes to the index (how many pages have a concept,
    ``params.COUNTS_SECONDS``): the next test searches other pages in a database of the same name."""
    pagecache.clear()
    cache.clear()


@pytest.fixture
def oslo(db):
    return ensure_community("oslo", "Helsefellesskap Oslo")


@pytest.fixture
def sentral(db):
    return ensure_community("sentral")


@pytest.fixture(scope="module", autouse=True)
def _wagtail_search_index(request):
    """Wagtail's own search index kept up to date on every save, as in production, for the
    modules marked ``wagtail_search`` (tests of the admin's search, the choosers and the read
    API's ``search=``): the test settings leave it off (settings/test.py). Module-wide, and before
    the module's own fixtures, so that the data they build once is indexed too."""
    if not request.node.get_closest_marker("wagtail_search"):
        yield
        return
    backends = {
        name: {**backend, "AUTO_UPDATE": True} for name, backend in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        yield


# The tests whose outcome depends on the database engine: raw SQL and full-text search, locks and
# the task queue's row locking, all-or-nothing and bulk imports, database faults, dates and times
# compared in queries. CI runs the whole suite on SQLite (the embedded default) and these on
# PostgreSQL (production's engine) as well; the rest goes through the ORM alone and behaves the
# same on both. `make test` locally runs everything, on SQLite.
ENGINE_DEPENDENT = (
    "tests/search/",
    "tests/core/test_faults.py",
    "tests/core/test_fuzz.py",
    "tests/core/test_ratelimit.py",
    "tests/kompetanse/test_import_content.py",
    "tests/kompetanse/test_import_speed.py",
    "tests/kompetanse/test_events.py",
    "tests/reuse/test_export_import.py",
    "tests/reuse/test_api_bad_input.py",
    "tests/reuse/test_live_copy_tasks.py",
    "tests/lifecycle/test_change_notice_tasks.py",
    "tests/newsletter/test_compose.py",
    "tests/newsletter/test_sending.py",
)
# Not here: tests/kompetanse/test_learning.py and test_topics.py. Most of their tests check forms,
# pages and permissions through the ORM; the ones that reach search, packages (all-or-nothing
# imports), durations (an interval on PostgreSQL) or event times carry the marker themselves.
# Not here: tests/demo. The demo is loaded through the content-package importer, whose engine
# paths (all-or-nothing imports, bulk writes, search indexing) the import tests above run on both
# engines; the demo's own tests check its content, and loading the whole demo once more on
# PostgreSQL cost CI time for no other answer.


def pytest_collection_modifyitems(config, items):
    """Tests marked ``empties_database`` run after all others.

    They break the database connection on purpose, so they run outside a transaction and end with
    Django's flush. Only the tests that ask for serialized rollback get the migrated data (the
    portal home, the vocabulary) back afterwards; running these last keeps any other test from
    meeting an empty database. pytest-django has already ordered the items (plain, then
    transactional); this keeps its order.
    """
    root = config.rootpath
    for item in items:
        if item.path.relative_to(root).as_posix().startswith(ENGINE_DEPENDENT):
            item.add_marker(pytest.mark.engine)
    last = [item for item in items if item.get_closest_marker("empties_database")]
    if last:
        items[:] = [item for item in items if item not in last] + last


@pytest.fixture
def database_task_queue(settings):
    """Tasks queued in the database as in production (tests/task_queue.py, ``on_the_database_queue``)."""
    settings.TASKS = DATABASE_QUEUE
