"""After a rebuild has committed, PostgreSQL's documents' table is vacuumed: the rebuild deleted and
inserted every row, and a search that reads every match would read the dead rows too.

A module of its own: VACUUM runs outside any transaction, so the test needs a transactional
database and no other module's fixture holding a transaction open (tests/search/conftest.py).
"""

import pytest
from django.core.management import call_command
from django.db import connection

from search.service import run_search
from tests.search.conftest import publish_page


def vacuums():
    """How many times the documents' table was vacuumed by hand (autovacuum counts apart)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'search_searchdocument'")
        return cursor.fetchone()[0]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rebuild_vacuums_the_documents_table_once_it_has_committed():
    for n in range(3):
        publish_page("procedure", "oslo", f"Sondeernæring {n}", "Felles rutine for sondeernæring.")
    before = vacuums()
    call_command("rebuild_search_index", no_progress=True, stdout=open("/dev/null", "w"))
    assert vacuums() == before + 1
    assert run_search("sondeernæring").total == 3
