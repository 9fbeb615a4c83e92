"""Lay words of a second round for issue #16, written from general health language where lay
queries about the portal's subjects missed: older and everyday names («alderdomsdiabetes»,
«overliggere», «svanger», «detter»), lay words for things the portal's pages name professionally
(«pilleliste», «pillerull», «huskeproblemer», «hjemmetrening», «barnehospice», «oksygen i blodet»,
«terminal pleie», «brev fra sykehuset», «sjekke medisinene», «ernæringsrådgiver», «munnpleie»,
«mamma» and «pappa» for «forelder»), older names («senil», «dødsleie», «telemedisin»,
«voksenpsykiatri»), short names and abbreviations («Asperger», «NIV»), the geriatric patient
(«geriatrisk pasient» → skrøpelige eldre), withdrawal in the newborn, and the compression stockings
by their lay name («støttestrømper»). A lay word that is narrower or vaguer than the professional
words it reaches finds them one way.

As 0014 and 0016: a fresh portal gets them from migration 0009, which reads
search/data/synonymer.csv as it is; a portal migrated before they were added gets them here. Only
terms that are missing are added: an existing term is the editors' and is left alone. Running it
again changes nothing.

It also changes one shipped group, only as shipped (an editor's is left alone):
«kompresjonsbehandling» is the umbrella term of the stockings and the bandage and finds them one
way (it found «støttestrømper» both ways, so that a search for the stockings searched for every
compression treatment); the stockings' own names are a group of their own, both ways.
"""

from django.db import migrations

from search import synonym_list

ADDED = (
    "kompresjonsstrømper",
    "alderdomsdiabetes",
    "overliggere",
    "pilleliste",
    "pillerull",
    "huskeproblemer",
    "hjemmetrening",
    "barnehospice",
    "svanger",
    "detter",
    "oksygen i blodet",
    "terminal pleie",
    "mamma",
    "pappa",
    "telemedisin",
    "NIV",
    "dødsleie",
    "senil",
    "ernæringsrådgiver",
    "Asperger",
    "munnpleie",
    "brev fra sykehuset",
    "sjekke medisinene",
    "neonatalt abstinenssyndrom",
    "geriatrisk pasient",
    "voksenpsykiatri",
)

# Shipped groups changed in this round: the term, (its synonyms and direction as shipped, as now).
CHANGED = {
    "kompresjonsbehandling": (
        ("støttestrømper\nkompresjonsstrømper", False),
        ("kompresjonsstrømper\nstøttestrømper\nkompresjonsbandasje", True),
    ),
}


def load(apps, schema_editor):
    model = apps.get_model("search", "Synonym")
    synonym_list.add_missing_starting_groups(model, ADDED)
    synonym_list.change_shipped_groups(model, CHANGED)


class Migration(migrations.Migration):
    dependencies = [("search", "0017_index_analysis")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
