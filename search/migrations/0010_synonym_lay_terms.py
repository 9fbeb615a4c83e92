"""The synonym groups added to the starting list for issue #16 (lay words, older and umbrella terms
for the content's subjects), written into an existing portal's list.

A fresh portal gets them from migration 0009, which reads search/data/synonymer.csv as it is; a
portal migrated before they were added gets them here. Only terms that are missing are added: an
existing term is the editors' and is left alone. Running it again changes nothing.
"""

from django.db import migrations

from search import synonym_list

ADDED = (
    "superbakterie",
    "pustemaskin",
    "hjemmerespirator",
    "luftrørsnitt",
    "døende",
    "hjertesyk",
    "nyresyk",
    "kreftsyk",
    "rusmisbruker",
    "dårlig ernæring",
    "avmagring",
    "kostholdsekspert",
    "tilbakelæring",
    "medisindosett",
    "tidlig støttet utskrivning",
    "akutt funksjonssvikt",
    "glemsk",
    "type 2-diabetes",
    "hjemmeboende eldre",
    "sosialarbeider",
    "overflytting",
    "utviklingsforsinkelse",
    "ventetid",
    "henvisningsbrev",
    "samtale om livets slutt",
    "ambulant team",
    "pasientreise",
    "barnesykdom",
)


def load(apps, schema_editor):
    synonym_list.add_missing_starting_groups(apps.get_model("search", "Synonym"), ADDED)


class Migration(migrations.Migration):
    dependencies = [("search", "0009_synonym_starting_list")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
