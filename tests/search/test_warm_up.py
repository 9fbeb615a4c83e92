"""A server process loads what its first search needs before it serves (search.service.warm_up)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import warmup
from search import fingerprint, queries, service


def test_the_search_app_registers_its_warm_up():
    assert service.warm_up in warmup._steps


def test_after_the_warm_up_the_first_search_reads_no_synonym_and_makes_no_digest(pages):
    # A new process: nothing of the search's own loaded yet.
    queries.forget_groups()
    fingerprint.database.cache_clear()
    warmup.run()
    made = fingerprint.database.cache_info().misses
    with CaptureQueriesContext(connection) as queried:
        result = service.run_search("legemiddelsamstemming")
    assert result.hits
    assert [q["sql"] for q in queried.captured_queries if "search_synonym" in q["sql"]] == []
    assert fingerprint.database.cache_info().misses == made
