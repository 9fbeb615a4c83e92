"""173 more synonym groups for issue #16: lay Norwegian against the professional words, written from
general health language across the health communities' four priority groups, written into an
existing portal's list. Lay phrasings of conditions and symptoms («vann i lungene», «blodpropp i
hjernen», «vondt i hodet», «svie ved vannlating», «lavt oksygen»), everyday words for illness,
mood and substance use («kortpustet», «forvirret», «nervøs», «narkoman», «alkis»), older and
newer names of services and professions («trygdekontor», «sosialkontor», «distriktssykepleier»,
«sykegymnast», «attføring», «huslege», «trygdebolig», «kommunal akuttplass»), the lay names of
specialists («barnelege», «hjertelege», «kreftlege»), everyday names of kinds of medicine
(«vannpiller», «sovepiller», «blodtrykksmedisin») and common medicines by brand and substance
(Albyl-E/acetylsalisylsyre, Sobril/oksazepam, Eliquis/apiksaban, Selo-Zok/metoprolol, …), and lay
words for the portal's subjects («rus og psykiatri», «barn av psykisk syke», «livstestament»,
«selvinnleggelse», «opptrening hjemme», «omsorg for døende», «plutselig dårligere», «medisinposer»,
«hjem fra sykehuset», «følges opp hjemme», «alvorlig syke barn»). A lay phrase of words the portal
uses on almost every page («hjem fra sykehuset»: hjem, sykehus) is one way: it finds the
professional words, but a search for «utskrivning» does not search the phrase, whose words
anywhere (as PostgreSQL finds a phrase before ranking it) would find almost every page. A lay word
for a symptom reaches the condition's pages one way («hukommelsesproblemer», «dårlig hukommelse»,
«glemsomhet» → demens; «dårlig matlyst» → underernæring): its own group had only other words for the
symptom, which no page about the condition uses.

As 0010, 0012 and 0013: a fresh portal gets them from migration 0009, which reads
search/data/synonymer.csv as it is; a portal migrated before they were added gets them here. Only
terms that are missing are added: an existing term is the editors' and is left alone. Running it
again changes nothing.

It also takes an expression that is one common word once its stop words go out of two shipped
groups: «mange innleggelser» out of «storbruker» (since migration 0012; «mange» is a stop word, so
every query with «innleggelse» also searched the storbruker group's words, and «storbruker» every
page about an admission) and «de nærmeste» out of «pårørende» («nærmeste leder», «nærmeste
legevakt» searched the words for relatives). Only a group exactly as shipped is changed; an
editor's is left alone.
"""

from django.db import migrations

from search import synonym_list

ADDED = (
    "vann i lungene",
    "blodpropp i hjernen",
    "hjerneblødning",
    "vondt i hodet",
    "vondt i halsen",
    "vondt i øret",
    "vondt i kneet",
    "vondt i skulderen",
    "vondt i hoften",
    "svie ved vannlating",
    "kortpustet",
    "trøtthet",
    "nattesvette",
    "forvirret",
    "hører stemmer",
    "trist",
    "nervøs",
    "ta livet sitt",
    "narkoman",
    "sprøytenarkoman",
    "alkis",
    "heroin",
    "snus",
    "undervekt",
    "spiser lite",
    "høyt kolesterol",
    "skiveutglidning",
    "frossen skulder",
    "tennisalbue",
    "fallesyke",
    "vann i beina",
    "jernmangel",
    "forstørret prostata",
    "hemoroider",
    "magekatarr",
    "elveblest",
    "høysnue",
    "borreliose",
    "hodelus",
    "brennkopper",
    "snue",
    "senfølger etter covid",
    "ryggmargsbrokk",
    "ganespalte",
    "lavt oksygen",
    "lavt natrium",
    "trygdekontor",
    "sosialkontor",
    "distriktssykepleier",
    "sykegymnast",
    "attføring",
    "huslege",
    "kommunelege",
    "barnelege",
    "øyelege",
    "hudlege",
    "hjertelege",
    "lungelege",
    "nervelege",
    "kreftlege",
    "barnepsykolog",
    "skolepsykolog",
    "psykiatrisk sykehus",
    "trygdebolig",
    "kommunal akuttplass",
    "hukommelsesklinikk",
    "dødssyk",
    "pensjonist",
    "snuble",
    "pose på magen",
    "blodsukkerapparat",
    "astmamedisin",
    "vannpiller",
    "blodtrykksmedisin",
    "kolesterolmedisin",
    "sovepiller",
    "nervepiller",
    "acetylsalisylsyre",
    "diklofenak",
    "naproksen",
    "kodein",
    "tramadol",
    "morfin",
    "oksazepam",
    "diazepam",
    "klonazepam",
    "zopiklon",
    "zolpidem",
    "escitalopram",
    "citalopram",
    "sertralin",
    "fluoksetin",
    "mirtazapin",
    "olanzapin",
    "quetiapin",
    "risperidon",
    "aripiprazol",
    "klozapin",
    "haloperidol",
    "Lithionit",
    "metylfenidat",
    "atomoksetin",
    "metformin",
    "apiksaban",
    "rivaroksaban",
    "dabigatran",
    "edoksaban",
    "klopidogrel",
    "tikagrelor",
    "metoprolol",
    "betablokker",
    "furosemid",
    "simvastatin",
    "atorvastatin",
    "pantoprazol",
    "esomeprazol",
    "omeprazol",
    "makrogol",
    "laktulose",
    "metoklopramid",
    "salbutamol",
    "tiotropium",
    "levotyroksin",
    "prednisolon",
    "cetirizin",
    "fenoksymetylpenicillin",
    "pivmecillinam",
    "pregabalin",
    "gabapentin",
    "disulfiram",
    "skulk",
    "autist",
    "angrepille",
    "voldtekt",
    "medisinoversikt",
    "fallulykke",
    "smittebærer",
    "barn av psykisk syke",
    "melding til fastlegen",
    "livstestament",
    "språkbarriere",
    "innvandrer",
    "medisinutdeling",
    "tannpuss",
    "medisinposer",
    "pulsoksymeter",
    "funksjonshemmet",
    "rus og psykiatri",
    "rus i svangerskapet",
    "diabetes 2",
    "trening etter slag",
    "skolelege",
    "selvinnleggelse",
    "opptrening hjemme",
    "omsorg for døende",
    "plutselig dårligere",
    "følges opp hjemme",
    "vondt å svelge",
    "lege på sykehjem",
    "hjem fra sykehuset",
    "pleie i hjemmet",
    "slagrammet",
    "alvorlig syke barn",
    "pusteproblemer",
    "hukommelsesproblemer",
    "dårlig matlyst",
    "dårlig hukommelse",
    "glemsomhet",
    "skolehelsesøster",
    "oppsøkende team",
    "piller",
    "pillebrett",
    "svake eldre",
)


# Shipped groups with an expression that is one common word without its stop words: the term, its
# synonyms as shipped and as they are now.
NARROWED = {
    "storbruker": (
        "stort tjenesteforbruk\nhøyt tjenesteforbruk\nstorforbruker\nhyppige innleggelser\nmange innleggelser",
        "stort tjenesteforbruk\nhøyt tjenesteforbruk\nstorforbruker\nhyppige innleggelser",
    ),
    "pårørende": ("nærstående\nde nærmeste\nfamiliemedlemmer", "nærstående\nfamiliemedlemmer"),
}


def load(apps, schema_editor):
    model = apps.get_model("search", "Synonym")
    synonym_list.add_missing_starting_groups(model, ADDED)
    synonym_list.change_shipped_groups(
        model, {term: ((before, False), (after, False)) for term, (before, after) in NARROWED.items()}
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0013_synonym_health_language")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
