"""bench/community_judged.json, the graded community development queries, against the demo
content it was judged on, and bench/judged_dev.py's reading of a judged file."""

import csv
import json
from pathlib import Path

import pytest

from demo.loader import page_modules
from tests.search.conftest import bench_script

ROOT = Path(__file__).resolve().parents[2]


def judged_dev():
    return bench_script("judged_dev")


def demo_keys():
    return {f"{community}/{page['slug']}" for community, pages in page_modules().items() for page in pages}


def test_every_judged_page_is_a_demo_page_and_each_query_has_its_answer():
    judged = judged_dev().load(ROOT / "bench" / "community_judged.json")
    assert len(judged) == 24
    keys = demo_keys()
    for query, grades in judged.items():
        assert set(grades) <= keys, (query, set(grades) - keys)
        assert 3 in grades.values(), query


def test_the_queries_are_not_the_older_development_queries():
    older = set()
    for path in (ROOT / "bench").glob("*.csv"):
        with open(path, encoding="utf-8") as file:
            older |= {row[0].strip().lower() for row in csv.reader(file, delimiter=";") if row}
    judged = judged_dev().load(ROOT / "bench" / "community_judged.json")
    assert not {query.lower() for query in judged} & older


@pytest.mark.parametrize(
    "items, fault",
    [
        ([{"query": "KAD Asker", "judgments": {"vestre-viken/kad": 5}}], "graded 0-3"),
        ([{"query": "KAD Asker", "judgments": {"kad": 3}}], "community/slug"),
        ([{"query": "KAD Asker", "judgments": {"vestre-viken/kad": 1}}], "no page graded 2 or 3"),
        ([{"query": "", "judgments": {"vestre-viken/kad": 3}}], "missing, empty or given twice"),
        ({"query": "KAD Asker"}, "needs a query and its judgments"),
    ],
)
def test_a_bad_judged_file_is_refused_with_the_fault_named(tmp_path, items, fault):
    path = tmp_path / "judged.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    with pytest.raises(ValueError, match=fault):
        judged_dev().load(path)


def test_every_development_set_is_judged_on_demo_pages_and_repeats_no_other_query():
    """bench/development_judged*.json: each query asked once across the sets and the relevance
    collection (a repeat would count one query twice, or look at a held-out one)."""
    collection = json.loads((ROOT / "tests" / "search" / "relevance_collection.json").read_text("utf-8"))
    asked = {item["query"].strip().lower() for item in collection}
    keys = demo_keys()
    script = judged_dev()
    files = script.development_sets()
    assert [path.name for path in files][-1] == "development_judged_5.json"
    for path in files:
        judged = script.load(path)
        for query, grades in judged.items():
            assert set(grades) <= keys, (path.name, query, set(grades) - keys)
            assert query.strip().lower() not in asked, (path.name, query)
            asked.add(query.strip().lower())
