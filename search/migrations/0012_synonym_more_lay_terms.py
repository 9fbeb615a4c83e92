"""More synonym groups for issue #16 (lay words, older and umbrella terms, written from general
Norwegian health language, not from any query), written into an existing portal's list.

As 0010: a fresh portal gets them from migration 0009, which reads search/data/synonymer.csv as it
is; a portal migrated before they were added gets them here. Only terms that are missing are
added: an existing term is the editors' and is left alone. Running it again changes nothing.
"""

from django.db import migrations

from search import synonym_list

ADDED = (
    "aldersdemens",
    "grå stær",
    "grønn stær",
    "makuladegenerasjon",
    "høreapparat",
    "alkoholiker",
    "stoffmisbruk",
    "sinnssykdom",
    "hyperaktivitet",
    "spiseproblemer",
    "småbarn",
    "cerebral parese",
    "tung pust",
    "penicillin",
    "hjemsendelse",
    "epileptiker",
    "diabetiker",
    "astmatiker",
    "revmatiker",
    "sengeliggende",
    "pleietrengende",
    "hukommelsestap",
    "blærekatarr",
    "luftveisinfeksjon",
    "oppkast",
    "magesjau",
    "besvimelse",
    "koldbrann",
    "hudsykdom",
    "utslett",
    "sorggruppe",
    "støttekontakt",
    "uføretrygd",
    "sykepenger",
    "arbeidsavklaringspenger",
    "sosialhjelp",
    "mage-tarmsykdom",
    "tarmbetennelse",
    "stoffskiftesykdom",
    "lavt stoffskifte",
    "høyt stoffskifte",
    "sansetap",
    "nedsatt syn",
    "nedsatt hørsel",
    "nervemedisin",
    "psykofarmaka",
    "atferdsvansker",
    "språkvansker",
    "nervesammenbrudd",
    "utbrenthet",
    "søvnløshet",
    "hjelpemiddelsentral",
    "matombringing",
    "dagsenter",
    "traumer",
    "lungesyk",
    "leversyk",
    "psykisk syk",
)


def load(apps, schema_editor):
    synonym_list.add_missing_starting_groups(apps.get_model("search", "Synonym"), ADDED)


class Migration(migrations.Migration):
    dependencies = [("search", "0011_postgres_full_text")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
