"""bench/es_differences.py's table: Elasticsearch ahead or behind a database, by the size of the
difference."""

import pytest

from tests.search.conftest import bench_script


@pytest.fixture(scope="module")
def es_differences():
    return bench_script("es_differences")


def test_many_small_losses_and_a_few_large_gains_are_counted_apart(es_differences):
    differences = [0.3, 0.12, -0.01, -0.01, -0.03, 0.06, -0.07, 0.0001, 0.0]
    assert es_differences.buckets(differences) == [
        ("0.0005 to 0.02", 0, 2),
        ("0.02 to 0.05", 0, 1),
        ("0.05 to 0.1", 1, 1),
        ("0.1 or more", 2, 0),
    ]


def test_the_development_files_are_pooled_and_no_unseen_part_is(es_differences):
    names = [path.name for path in es_differences.development_files()]
    assert "development_judged.json" in names and "community_judged.json" in names
    assert not any("relevance_collection" in name for name in names)
