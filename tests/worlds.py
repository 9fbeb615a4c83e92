"""Data built once per test module, for the modules whose tests share the same starting point.

Publishing pages, setting up teams and importing packages is what the suite spends its time on;
a module whose tests all start from the same portal builds it once::

    @pytest.fixture(scope="module")
    def _portal(django_db_setup, django_db_blocker):
        with built_once(django_db_blocker):
            yield build_portal()

    @pytest.fixture
    def portal(_portal, db):
        return fresh(_portal)

The data is built inside a transaction that is rolled back when the module ends; each test runs
in a savepoint inside it (pytest-django's ``db``), so a test may change the data freely and the
next test starts from the same state again. A transactional test (``transaction=True``,
``live_server``) cannot use such data: it commits, and the module's transaction is still open.
"""

from contextlib import contextmanager

from django.core.cache import cache
from django.db import models, transaction


@contextmanager
def built_once(django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    # Wagtail caches site root paths and the portal caches fragments: nothing of the rolled-back
    # data may outlive it.
    cache.clear()


def fresh(value):
    """``value`` with every model instance in it read again from the database.

    A test that changes an instance changes the Python object the next test would get; its
    savepoint only undoes the database. Dicts, lists, tuples and dataclass-like objects with a
    ``__dict__`` of model instances are copied with fresh instances.
    """
    if isinstance(value, models.Model):
        return type(value)._default_manager.get(pk=value.pk)
    if isinstance(value, dict):
        return {key: fresh(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(fresh(item) for item in value)
    return value
