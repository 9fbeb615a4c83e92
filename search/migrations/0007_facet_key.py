"""Facet values move from ``SearchFacet`` rows into one ``facet_key`` per document: SQLite counts
facets by grouping the matches on it, in the same pass that ranks them."""

from django.db import migrations, models


def fill_facet_keys(apps, schema_editor):
    SearchDocument = apps.get_model("search", "SearchDocument")
    SearchFacet = apps.get_model("search", "SearchFacet")
    values = {}
    for document_id, name, value in SearchFacet.objects.values_list("document_id", "name", "value"):
        values.setdefault(document_id, set()).add(f"{name}:{value}")
    documents = list(SearchDocument.objects.filter(pk__in=list(values)).only("pk"))
    for document in documents:
        document.facet_key = "\n".join(sorted(values[document.pk]))
    SearchDocument.objects.bulk_update(documents, ["facet_key"], batch_size=1000)
    if schema_editor.connection.vendor == "postgresql":
        # PostgreSQL has them in ``facet_values`` too (byte order is Python's code point order).
        schema_editor.execute(
            "UPDATE search_searchdocument SET facet_key = array_to_string("
            "ARRAY(SELECT v FROM unnest(facet_values) v ORDER BY v COLLATE \"C\"), E'\\n') WHERE facet_key = ''"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0006_postgres_postings")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="facet_key",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(fill_facet_keys, migrations.RunPython.noop),
        migrations.DeleteModel(name="SearchFacet"),
    ]
