"""PostgreSQL: the full-text indexes move a page's new words into the index after 64 kB of them.

A GIN index keeps the entries of new and rewritten rows in a pending list (``fastupdate``) until
the list reaches ``gin_pending_list_limit`` (4 MB by default) or a vacuum runs, and every search
of the index reads the whole list. Publishes between two autovacuums left some 650 documents'
entries there, and the long query of bench/search_bench.py took 58 ms at p50 on 20,000 pages
instead of 48 with the list empty. At 64 kB (the least PostgreSQL allows) the list holds a few
documents: the search as with it empty, and one publish in a few moves the list into the index
(7 ms at p95 of 200 single rewrites, 0.6 ms before). docs/benchmarks.md, «The GIN pending list».

Index options are beyond Django's schema editor (an index's options changed is a new index to it,
built again); ``ALTER INDEX … SET`` changes them in place, and the list is emptied at once.
"""

import django.contrib.postgres.indexes
from django.db import migrations

INDEXES = ("search_document_vector", "search_document_title_vector")
LIMIT_KB = 64


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} SET (gin_pending_list_limit = {LIMIT_KB})")
        schema_editor.execute(f"SELECT gin_clean_pending_list('{name}'::regclass)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} RESET (gin_pending_list_limit)")


def _gin(field, name, **options):
    return django.contrib.postgres.indexes.GinIndex(fields=[field], name=name, **options)


class Migration(migrations.Migration):
    dependencies = [("search", "0021_sqlite_vocabulary")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="searchdocument", name="search_document_vector"),
                migrations.RemoveIndex(model_name="searchdocument", name="search_document_title_vector"),
                migrations.AddIndex(
                    model_name="searchdocument",
                    index=_gin("search_vector", "search_document_vector", gin_pending_list_limit=LIMIT_KB),
                ),
                migrations.AddIndex(
                    model_name="searchdocument",
                    index=_gin(
                        "title_vector", "search_document_title_vector", gin_pending_list_limit=LIMIT_KB
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        )
    ]
