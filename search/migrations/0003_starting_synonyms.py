"""A starting list of abbreviations and synonyms from the health communities' everyday language.

Editors keep the list under Søk → Synonymer og forkortelser; this only fills it the first time.
"""

from django.db import migrations

SYNONYMS = [
    ("KOLS", ["kronisk obstruktiv lungesykdom"]),
    ("BUP", ["barne- og ungdomspsykiatrisk poliklinikk", "barne- og ungdomspsykiatri", "barnepsykiatri"]),
    ("DPS", ["distriktspsykiatrisk senter"]),
    ("KAD", ["kommunale akutte døgnplasser", "kommunal akutt døgnenhet", "øyeblikkelig hjelp døgnopphold"]),
    ("ROP", ["rus og psykisk lidelse", "ROP-lidelse", "samtidig rus- og psykisk lidelse"]),
    ("PLO", ["pleie og omsorg", "PLO-melding", "pleie- og omsorgsmelding"]),
    ("IP", ["individuell plan"]),
    ("FACT", ["flexible assertive community treatment", "FACT-team", "ACT-team"]),
    ("LAR", ["legemiddelassistert rehabilitering"]),
    ("TSB", ["tverrfaglig spesialisert rusbehandling", "rusbehandling"]),
    ("ASF", ["autismespekterforstyrrelse", "autisme"]),
    ("ADHD", ["hyperkinetisk forstyrrelse"]),
    ("NEWS2", ["NEWS", "national early warning score"]),
    ("ISBAR", ["strukturert kommunikasjon"]),
    ("KJ", ["kjernejournal"]),
    ("PLL", ["pasientens legemiddelliste"]),
    ("HF", ["helseforetak"]),
    ("PPT", ["pedagogisk-psykologisk tjeneste"]),
    ("NAV", ["arbeids- og velferdsforvaltningen"]),
    ("SLT", ["samordning av lokale rus- og kriminalitetsforebyggende tiltak"]),
    ("MRSA", ["meticillinresistente gule stafylokokker"]),
    ("legevakt", ["legevakten", "storbylegevakt"]),
    ("fastlege", ["allmennlege", "allmennpraktiker"]),
    ("hjemmesykepleie", ["hjemmesykepleien", "hjemmetjeneste", "hjemmebaserte tjenester"]),
    ("sykehjem", ["langtidsopphold i institusjon"]),
    ("utskrivning", ["utskriving", "utskrivelse"]),
    ("underernæring", ["feilernæring"]),
    ("legemiddelsamstemming", ["legemiddelavstemming", "samstemming av legemidler"]),
    ("palliasjon", ["lindrende behandling", "palliativ omsorg"]),
    ("demens", ["kognitiv svikt"]),
]


def add(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for term, synonyms in SYNONYMS:
        Synonym.objects.get_or_create(term=term, defaults={"synonyms": "\n".join(synonyms)})


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
