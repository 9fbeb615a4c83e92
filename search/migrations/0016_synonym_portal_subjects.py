"""Five more lay phrasings for issue #16, for subjects of the portal's own pages that the lists
missed: going through the medicines when a patient goes home («gå gjennom medisinene» →
legemiddelsamstemming), ready-packed medicines («ferdigpakkede medisiner» → multidose), frequent
hospital stays («hyppige sykehusinnleggelser» → storbruker), the asthma inhaler («astmapumpe») and
help to breathe («pustehjelp» → pustemaskin, respirator). The lay phrases find the professional
words one way, except «astmapumpe», which is the same thing as «inhalator».

As 0014: a fresh portal gets them from migration 0009, which reads search/data/synonymer.csv as it
is; a portal migrated before they were added gets them here. Only terms that are missing are added:
an existing term is the editors' and is left alone. Running it again changes nothing.
"""

from django.db import migrations

from search import synonym_list

ADDED = (
    "gå gjennom medisinene",
    "ferdigpakkede medisiner",
    "hyppige sykehusinnleggelser",
    "astmapumpe",
    "pustehjelp",
)


def load(apps, schema_editor):
    synonym_list.add_missing_starting_groups(apps.get_model("search", "Synonym"), ADDED)


class Migration(migrations.Migration):
    dependencies = [("search", "0015_sqlite_match_columns")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
