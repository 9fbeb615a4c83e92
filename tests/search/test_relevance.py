"""Relevance on the demo content: nDCG@10 over a judged set of Norwegian queries.

The floor only moves up. Stock Wagtail search is scored on the same data for comparison (the
figures for both are in docs/benchmarks.md).
"""

import pytest
from django.db import connection

from kompetanse.demo.loader import DemoLoader
from tests.search.relevance import JUDGMENTS, evaluate, portal_ranking, wagtail_ranking

pytestmark = pytest.mark.django_db

# Measured when this was written: SQLite 0.969, PostgreSQL see docs/benchmarks.md.
FLOOR = {"sqlite": 0.93, "postgresql": 0.90}


def test_the_collection_is_large_enough():
    assert len(JUDGMENTS) >= 25
    assert all(max(judged.values()) >= 2 for judged in JUDGMENTS.values())


def test_portal_search_beats_the_floor_and_stock_wagtail_on_the_demo_content():
    DemoLoader().run()
    portal, per_query = evaluate(portal_ranking)
    wagtail, _ = evaluate(wagtail_ranking)
    print(f"\nnDCG@10 on {connection.vendor}: portal {portal:.3f}, stock Wagtail {wagtail:.3f}")
    weakest = sorted(per_query.items(), key=lambda item: item[1])[:3]
    assert portal >= FLOOR[connection.vendor], f"nDCG@10 {portal:.3f}; weakest: {weakest}"
    assert portal > wagtail
