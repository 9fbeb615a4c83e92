"""The starting synonym list from search/data/synonymer.csv (lay and professional words, older
terms, abbreviations, umbrella terms), written into the editors' list without undoing their work.

- a term that is missing is added, unless migration 0003 shipped it (then an editor deleted it);
- a term that is still exactly as migration 0003 shipped it gets the list's richer version;
- every other existing term is the editors' and is left alone.

Running it again changes nothing. The list is data: editors keep it in the admin afterwards
(Snippets → Søk → Synonymer og forkortelser, with CSV export and import).
"""

import importlib

from django.db import migrations

from search import synonym_list


def _shipped_in_0003():
    module = importlib.import_module("search.migrations.0003_starting_synonyms")
    return {term.casefold(): list(synonyms) for term, synonyms in module.SYNONYMS}


def load(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    shipped = _shipped_in_0003()
    present = {term.casefold() for term in Synonym.objects.values_list("term", flat=True)}
    groups = [
        group
        for group in synonym_list.read_starting_list()
        if group.term.casefold() in present or group.term.casefold() not in shipped
    ]

    def as_shipped(instance):
        return not instance.one_way and synonym_list.split_synonyms(instance.synonyms) == shipped.get(
            instance.term.casefold()
        )

    synonym_list.apply(groups, Synonym, may_replace=as_shipped)


class Migration(migrations.Migration):
    dependencies = [("search", "0008_synonym_one_way")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
