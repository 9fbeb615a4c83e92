"""SQLite: FTS5's vocabulary as a table (``fts5vocab``), to ask which terms some page has.

``sqlite.absent_terms`` leaves the terms of a query that no page has out of its MATCH expression.
The table holds nothing of its own: it reads the full-text index ``search_fts``.
"""

from django.db import migrations

CREATE = "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_vocab USING fts5vocab(search_fts, 'row')"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts_vocab")


class Migration(migrations.Migration):
    dependencies = [("search", "0020_synonym_lay_words_third_round")]

    operations = [migrations.RunPython(forwards, backwards)]
