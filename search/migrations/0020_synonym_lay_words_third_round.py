"""Lay words of the third round of lay queries for issue #16 (bench/lay_queries.csv, the last 45,
written from the demo's subjects before any was run). Of the words those queries showed missing,
two are general language and not a phrasing of one query:

- *pusteapparat*, an everyday name of the respirator, both ways with the list's *pustemaskin*;
- *klar til å reise hjem*, what the ward tells the patient and the family, one way to
  *utskrivningsklar* (its words, *klar*, *reise* and *hjem*, are common: both ways, every search for
  utskrivningsklare pasienter would search them, as «hjem fra sykehuset» did, docs/benchmarks.md).

The other misses were phrasings (*hvordan snakke med demente* for communication, *beskjed til
kommunen* for PLO-meldinger, *leker ikke med andre* for autism), which a synonym would only patch
for one query.

As 0014, 0016, 0018 and 0019: a fresh portal gets them from migration 0009, which reads
search/data/synonymer.csv as it is; a portal migrated before they were added gets them here. Only
terms that are missing are added: an existing term is the editors' and is left alone. Running it
again changes nothing.
"""

from django.db import migrations

from search import synonym_list

ADDED = ("pusteapparat", "klar til å reise hjem")


def load(apps, schema_editor):
    synonym_list.add_missing_starting_groups(apps.get_model("search", "Synonym"), ADDED)


class Migration(migrations.Migration):
    dependencies = [("search", "0019_synonym_general_health_language")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
