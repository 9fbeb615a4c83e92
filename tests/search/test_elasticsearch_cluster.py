"""Search on a cluster of three real Elasticsearch nodes while nodes stop and start.

These tests stop and start nodes of the cluster that `make elasticsearch-cluster` runs (through the
launcher's control folder, TEST_ELASTICSEARCH_CONTROL), so they run on their own, after the rest of
the suite (`.ci/run`); the rest of the suite deselects them with ``-m "not elasticsearch_cluster"``.
"""

import pathlib
import threading
import time

import pytest

from search import queries
from tests.search.conftest import required_environment

pytestmark = [pytest.mark.elasticsearch, pytest.mark.elasticsearch_cluster]


@pytest.fixture
def cluster(elasticsearch, settings):
    control = required_environment("TEST_ELASTICSEARCH_CONTROL", "testen trenger make elasticsearch-cluster")
    assert len(settings.ELASTICSEARCH_URL.split(",")) == 3, "TEST_ELASTICSEARCH_URL must name the three nodes"
    settings.ELASTICSEARCH_REPLICAS = 1
    nodes = Nodes(pathlib.Path(control), elasticsearch)
    assert nodes.count() == 3
    yield nodes
    for n in (1, 2, 3):
        nodes.start(n)
    nodes.wait_for(3, "green")


class Nodes:
    def __init__(self, control, client):
        self.control, self.client = control, client

    def count(self):
        return len(self.client.cat.nodes(format="json"))

    def _command(self, command):
        path = self.control / command
        path.touch()
        deadline = time.monotonic() + 90
        while path.exists():  # the launcher removes the file once it has done it
            assert time.monotonic() < deadline, f"the launcher did not carry out {command}"
            time.sleep(0.2)

    def stop(self, n):
        self._command(f"stop-{n}")

    def start(self, n):
        self._command(f"start-{n}")

    def wait_for(self, count, status):
        health = self.client.options(request_timeout=120).cluster.health(
            wait_for_nodes=str(count), wait_for_status=status, timeout="90s"
        )
        assert health["number_of_nodes"] == count and not health["timed_out"]


@pytest.fixture
def indexed_on_cluster(pages, cluster):
    from search import indexing
    from search.backends import elastic

    name = elastic.rebuild(indexing.document_for(page) for page in indexing.searchable_pages())
    settings_ = cluster.client.indices.get_settings(index=name)[name]["settings"]["index"]
    assert settings_["number_of_replicas"] == "1"
    cluster.wait_for(3, "green")
    return pages


def test_readers_keep_finding_pages_while_one_node_of_three_is_stopped(indexed_on_cluster, cluster):
    from search.backends import elastic

    # What is under test is that no search fails while a node is away, not how fast each is: on a
    # busy CI machine the first searches of a fresh index can pass the reader's 3 s, so allow more.
    es = elastic.client().options(request_timeout=20)
    request = elastic.search_request(queries.parse("legemiddel"), {}, [], 0, 10).using(es)
    expected = request.execute().hits.total.value
    assert expected >= 2
    totals, errors, done = [], [], threading.Event()

    def read():
        while not done.is_set():
            try:
                totals.append(request.execute().hits.total.value)
            except Exception as exc:  # every failed search counts
                errors.append(repr(exc))

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        time.sleep(1)
        before = len(totals)
        cluster.stop(2)
        cluster.wait_for(2, "yellow")
        time.sleep(3)
        during = len(totals) - before
    finally:
        done.set()
        for reader in readers:
            reader.join()
    assert errors == []
    assert during > 10, "the readers stopped searching while the node was down"
    assert set(totals) == {expected}


def test_with_the_whole_cluster_down_search_answers_from_the_database(indexed_on_cluster, cluster, client):
    from search import backends, service

    for n in (1, 2, 3):
        cluster.stop(n)
    backends._es_down_until = 0.0
    result = service.run_search("BUP")
    assert result.backend == "database"
    assert [hit.title for hit in result.hits] == ["Henvisning til BUP"]
    health = client.get("/healthz").json()
    assert health["status"] == "redusert" and health["search"]["backend"] == "database (reserve)"
    for n in (1, 2, 3):
        cluster.start(n)
    cluster.wait_for(3, "green")
    backends._es_down_until = 0.0
    assert service.run_search("BUP").backend == "elasticsearch"
