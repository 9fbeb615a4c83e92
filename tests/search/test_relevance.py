"""Relevance on the demo content: nDCG@10 over a judged set of Norwegian queries.

The floor only moves up. Stock Wagtail search is scored on the same data for comparison (the
figures for both are in docs/benchmarks.md).
"""

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from kompetanse.demo.loader import DemoLoader
from tests.search.relevance import JUDGMENTS, evaluate, portal_ranking, wagtail_ranking

pytestmark = pytest.mark.django_db

# Measured when this was written: SQLite 0.969, PostgreSQL see docs/benchmarks.md.
FLOOR = {"sqlite": 0.93, "postgresql": 0.90}


@pytest.fixture(scope="module")
def _module_demo(django_db_setup, django_db_blocker):
    """The demo portal, loaded once for this module and rolled back at its end (as tests/search/conftest.py)."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            DemoLoader().run()
            yield
            transaction.set_rollback(True)
    cache.clear()


@pytest.fixture
def demo(_module_demo, db):
    yield
    cache.clear()


def test_the_collection_is_large_enough():
    assert len(JUDGMENTS) >= 25
    assert all(max(judged.values()) >= 2 for judged in JUDGMENTS.values())


def test_portal_search_beats_the_floor_and_stock_wagtail_on_the_demo_content(demo):
    portal, per_query = evaluate(portal_ranking)
    wagtail, _ = evaluate(wagtail_ranking)
    print(f"\nnDCG@10 on {connection.vendor}: portal {portal:.3f}, stock Wagtail {wagtail:.3f}")
    weakest = sorted(per_query.items(), key=lambda item: item[1])[:3]
    assert portal >= FLOOR[connection.vendor], f"nDCG@10 {portal:.3f}; weakest: {weakest}"
    assert portal > wagtail


@pytest.mark.elasticsearch
def test_elasticsearch_scores_at_least_as_well_as_the_database(demo, elasticsearch, settings):
    """The same judged queries over the same demo content, on both backends of this run."""
    from search import indexing, service
    from search.backends import elastic

    url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = None
    database, database_per_query = evaluate(portal_ranking)
    settings.ELASTICSEARCH_URL = url
    elastic.rebuild(indexing.document_for(page) for page in indexing.searchable_pages())
    service._es_down_until = 0.0
    es, es_per_query = evaluate(portal_ranking)
    print(f"\nnDCG@10 on Elasticsearch: {es:.3f}, database ({connection.vendor}) {database:.3f}")
    worse = {q: (round(es_per_query[q], 3), round(database_per_query[q], 3)) for q in JUDGMENTS}
    worse = {q: pair for q, pair in worse.items() if pair[0] < pair[1] - 0.05}
    print(f"Queries where Elasticsearch ranks worse (Elasticsearch, database): {worse}")
    assert es >= database - 0.005, f"Elasticsearch {es:.3f} < database {database:.3f}; worse: {worse}"
