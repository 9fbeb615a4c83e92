"""PostgreSQL search on its own full-text index: the per-word bitmaps and their columns go.

The search backend no longer keeps an index of its own on PostgreSQL (``search_posting``, migration
0006, with its lock) nor the columns only raw SQL knew (``head_vector``, ``facet_values``,
migration 0005). What stays is ordinary PostgreSQL full text, as model fields: ``search_vector``
(title, summary, taxonomy and body, weights A–D) and ``title_vector`` (the title), each with a GIN
index, both made from the Python analysis chain's stems with the 'simple' configuration, so that
PostgreSQL indexes the same words as SQLite's FTS5 (``search.analysis``).

Existing documents get vectors from their title, summary and body here; ``rebuild_search_index``
adds the taxonomy and the compounds' parts (run it after upgrading). On SQLite the two fields
are added as empty columns: FTS5 (``search_fts``) remains its index.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

POSTGRES_FORWARDS = [
    "DROP TABLE IF EXISTS search_posting",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS head_vector,"
    " DROP COLUMN IF EXISTS facet_values,"
    " ADD COLUMN IF NOT EXISTS search_vector tsvector NULL,"
    " ADD COLUMN IF NOT EXISTS title_vector tsvector NULL",
    # Column storage is beyond Django's schema API. Counting facets reads ``facet_key`` of every
    # match: it stays in the row (MAIN), while the full vector and the body, read only for the few
    # documents ranked in full or shown, live out of line (EXTERNAL, set by migration 0005).
    "ALTER TABLE search_searchdocument ALTER COLUMN facet_key SET STORAGE MAIN,"
    " ALTER COLUMN title_vector SET STORAGE MAIN",
    "CREATE INDEX IF NOT EXISTS search_document_vector ON search_searchdocument USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS search_document_title_vector ON search_searchdocument USING gin (title_vector)",
]
POSTGRES_BACKWARDS = [
    # The bitmap table comes back empty (the code that filled it is gone from this version).
    'CREATE TABLE IF NOT EXISTS search_posting (tier smallint NOT NULL, term text COLLATE "C" NOT NULL,'
    " base bigint NOT NULL, data bytea NOT NULL, dense boolean NOT NULL, PRIMARY KEY (tier, term))",
    "DROP INDEX IF EXISTS search_document_title_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS title_vector,"
    " ADD COLUMN IF NOT EXISTS head_vector tsvector,"
    " ADD COLUMN IF NOT EXISTS facet_values text[] NOT NULL DEFAULT '{}'",
]
SQLITE_FORWARDS = [
    'ALTER TABLE search_searchdocument ADD COLUMN "search_vector" tsvector NULL',
    'ALTER TABLE search_searchdocument ADD COLUMN "title_vector" tsvector NULL',
]
SQLITE_BACKWARDS = [
    'ALTER TABLE search_searchdocument DROP COLUMN "search_vector"',
    'ALTER TABLE search_searchdocument DROP COLUMN "title_vector"',
]
VECTORS_SQL = (
    "UPDATE search_searchdocument SET search_vector = setweight(to_tsvector('simple', %s), 'A')"
    " || setweight(to_tsvector('simple', %s), 'B') || setweight(to_tsvector('simple', %s), 'D'),"
    " title_vector = to_tsvector('simple', %s) WHERE id = %s"
)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_FORWARDS:
            schema_editor.execute(statement)
    if vendor != "postgresql":
        return
    for statement in POSTGRES_FORWARDS:
        schema_editor.execute(statement)
    from search.analysis import analyzed_text

    SearchDocument = apps.get_model("search", "SearchDocument")
    rows = SearchDocument.objects.order_by("pk").values_list("pk", "title", "summary", "body")
    batch = []
    for pk, title, summary, body in rows.iterator(chunk_size=500):
        title = analyzed_text(title)
        batch.append((title, analyzed_text(summary), analyzed_text(body), title, pk))
        if len(batch) == 500:
            schema_editor.connection.cursor().executemany(VECTORS_SQL, batch)
            batch = []
    if batch:
        schema_editor.connection.cursor().executemany(VECTORS_SQL, batch)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_BACKWARDS, "sqlite": SQLITE_BACKWARDS}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0010_synonym_lay_terms")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="searchdocument",
                    name="search_vector",
                    field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
                ),
                migrations.AddField(
                    model_name="searchdocument",
                    name="title_vector",
                    field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
                ),
                migrations.AddIndex(
                    model_name="searchdocument",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["search_vector"], name="search_document_vector"
                    ),
                ),
                migrations.AddIndex(
                    model_name="searchdocument",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["title_vector"], name="search_document_title_vector"
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        )
    ]
