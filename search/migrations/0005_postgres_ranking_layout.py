"""PostgreSQL: a narrow row for matching, counting and ranking many documents quickly.

Searches that match half the collection read every matching row. The row keeps only what that
needs inline (type, community, facet values, a small title/summary/taxonomy vector for a first
ranking); the full vector and the body go out of line (TOAST) and are read only for the few
documents that are ranked in full or shown. ``facet_values`` ("type:procedure", "topic:demens",
...) lets one pass count every facet. Rows written before this migration get a vector from title
and summary and their facet values here; ``rebuild_search_index`` adds the taxonomy. A no-op on
SQLite, whose FTS5 index keeps its own compact structures.
"""

from django.db import migrations

FORWARDS = [
    "ALTER TABLE search_searchdocument ADD COLUMN IF NOT EXISTS head_vector tsvector",
    "ALTER TABLE search_searchdocument ADD COLUMN IF NOT EXISTS facet_values text[] NOT NULL DEFAULT '{}'",
    "ALTER TABLE search_searchdocument SET (toast_tuple_target = 128)",
    "ALTER TABLE search_searchdocument"
    " ALTER COLUMN search_vector SET STORAGE EXTERNAL,"
    " ALTER COLUMN body SET STORAGE EXTERNAL,"
    " ALTER COLUMN head_vector SET STORAGE MAIN,"
    " ALTER COLUMN facet_values SET STORAGE MAIN,"
    " ALTER COLUMN kind SET STORAGE MAIN,"
    " ALTER COLUMN community SET STORAGE MAIN",
    # Rewrites every row, so the storage above applies to existing documents too.
    "UPDATE search_searchdocument d SET"
    " head_vector = setweight(to_tsvector('norwegian', d.title), 'A')"
    " || setweight(to_tsvector('norwegian', d.summary), 'B'),"
    " facet_values = ARRAY(SELECT f.name || ':' || f.value FROM search_searchfacet f"
    " WHERE f.document_id = d.id ORDER BY f.name, f.value)",
]
BACKWARDS = [
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS head_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS facet_values",
    "ALTER TABLE search_searchdocument RESET (toast_tuple_target)",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0004_index_version")]

    operations = [migrations.RunPython(run(FORWARDS), run(BACKWARDS))]
