"""SQLite: an index holding what the ranking query reads of each match (``sqlite.answer``).

The query joins every page FTS5 matches to its ``SearchDocument`` row for the facet key, the
community and the kind. Those rows hold the whole summary and body, and ``facet_key`` is their last
column: looked up by id in this narrow index instead, the ranking query of the question «hvem har
ansvar for legemiddelsamstemming ved utskrivning?» (876 matches of 1,000 generated pages) took
1.8 ms instead of 2.1 (best of 30). SQLite's planner chooses it once ANALYZE has run, which
``core.database.refresh_statistics`` does after migrations, imports and rebuilds. PostgreSQL finds
its matches with the GIN index and gets nothing from it.
"""

from django.db import migrations

INDEX = "search_document_match_columns"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_searchdocument (id, facet_key, community, kind)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0014_synonym_lay_language")]

    operations = [migrations.RunPython(forwards, backwards)]
