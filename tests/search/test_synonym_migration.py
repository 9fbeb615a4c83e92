"""Search's migration 0012 writes the synonym groups added to the starting list for issue #16 into
a portal whose list was loaded before they were, and leaves the editors' own groups alone."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from search.models import Synonym

pytestmark = pytest.mark.django_db

migration = importlib.import_module("search.migrations.0012_synonym_more_lay_terms")


def test_missing_groups_are_added_and_an_editors_group_is_left_alone():
    apps = MigrationExecutor(connection).loader.project_state(("search", "0011_postgres_full_text")).apps
    # A portal migrated before the groups came: two of them missing, one an editor wrote first.
    Synonym.objects.filter(term__in=["diabetiker", "grå stær"]).delete()
    Synonym.objects.filter(term="lungesyk").update(synonyms="KOLS", one_way=False)

    migration.load(apps, None)
    assert Synonym.objects.get(term="diabetiker").synonyms == "diabetes\ndiabetespasient"
    assert Synonym.objects.get(term="grå stær").synonyms == "katarakt"
    lungesyk = Synonym.objects.get(term="lungesyk")
    assert (lungesyk.synonyms, lungesyk.one_way) == ("KOLS", False)

    count = Synonym.objects.count()
    migration.load(apps, None)
    assert Synonym.objects.count() == count
