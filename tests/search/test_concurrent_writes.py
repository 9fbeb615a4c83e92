"""Two publishes at once: the database index needs no lock of its own (the bitmap index's global
lock is gone), and writers that share rows (the vocabulary) neither deadlock nor lose a count.

A module of its own: its writers run in transactions of their own, which a fixture holding an open
transaction in the same module (tests/search/conftest.py's pages) would block.
"""

import threading

import pytest
from django.db import connection, connections, transaction  # noqa: F401 - connection: the skipif

from search import indexing
from search.backends import database
from search.models import SearchDocument, SearchTerm
from search.service import run_search
from tests.search.conftest import publish_page


# SQLite lets one writer at a time have the database and the test database is in memory: the
# question is PostgreSQL's, where writers of different pages run side by side.
@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_publishes_at_once_both_land():
    """Two writers in their own transactions index pages that share words (the vocabulary rows)
    at the same time: both commit, nothing deadlocks, and both pages are found."""
    pages = [
        publish_page("procedure", "oslo", "Sondeernæring i kommunen", "Felles rutine for sondeernæring."),
        publish_page("procedure", "ahus", "Sondeernæring på sykehjem", "Felles rutine for sondeernæring."),
    ]
    documents = [indexing.document_for(page) for page in pages]
    database.clear()
    both_inside = threading.Barrier(2, timeout=10)
    errors = []

    def publish(document):
        try:
            with transaction.atomic():
                # Both hold their own document row before either changes the shared rows.
                SearchDocument.objects.filter(page_id=document["page_id"]).exists()
                both_inside.wait()
                database.index_documents([document])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(doc,)) for doc in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert run_search("sondeernæring").total == 2
    assert SearchTerm.objects.get(word="sondeernæring").frequency == 2
