"""bench/relevance_gap.py's reading of how much a kind's comparison can tell (``precision``)."""

import pytest

from tests.search.conftest import bench_script


@pytest.fixture(scope="module")
def relevance_gap():
    return bench_script("relevance_gap")


def test_twenty_queries_that_differ_by_a_tenth_cannot_bound_a_kind_within_a_hundredth(relevance_gap):
    # Half the queries a tenth ahead, half a tenth behind: a mean of 0 that twenty queries know
    # only within about ±0.04; 285 would know it within ±0.01 (90 %).
    differences = [0.1, -0.1] * 10
    sd, se, needed = relevance_gap.precision(differences)
    assert sd == pytest.approx(0.1026, abs=1e-4)
    assert se == pytest.approx(sd / 20**0.5)
    assert needed == 285


def test_queries_that_all_differ_alike_need_no_more_of_them(relevance_gap):
    assert relevance_gap.precision([0.02] * 12) == (0.0, 0.0, 0)
    # A kind of one query tells nothing of the spread.
    assert relevance_gap.precision([0.3]) == (0.0, 0.0, 0)
