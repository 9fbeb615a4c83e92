"""PostgreSQL: the table of per-word bitmaps the search backend kept until migration 0011, which
drops it (the backend now uses PostgreSQL's own full-text index). It used to be filled here from
the documents already indexed; that code is gone, so the table is created empty. A no-op on SQLite."""

from django.db import migrations

FORWARDS = [
    'CREATE TABLE IF NOT EXISTS search_posting (tier smallint NOT NULL, term text COLLATE "C" NOT NULL,'
    " base bigint NOT NULL, data bytea NOT NULL, dense boolean NOT NULL, PRIMARY KEY (tier, term))",
    # Dense bitmaps of common words do not compress: keep them out of line, uncompressed.
    "ALTER TABLE search_posting ALTER COLUMN data SET STORAGE EXTERNAL",
]
BACKWARDS = ["DROP TABLE IF EXISTS search_posting"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARDS:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARDS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_postgres_ranking_layout")]

    operations = [migrations.RunPython(forwards, backwards)]
