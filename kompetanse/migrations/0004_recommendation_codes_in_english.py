"""A cooperation recommendation's agreement type and the parties of its responsibility table are
stored as English codes; editors and readers still see the Norwegian labels. The page rows and
the content of every revision of a recommendation page are converted both ways.

In a revision the responsibility table is the StreamField's JSON as a string (how Wagtail
serialises a page); a list is converted too.
"""

import json

import wagtail.fields
from django.db import migrations, models

AGREEMENT_TYPES = {
    "samarbeidsavtale": "cooperation_agreement",
    "tjenesteavtale": "service_agreement",
    "annen": "other",
}
PARTIES = {
    "kommune": "municipality",
    "sykehus": "hospital",
    "fastlege": "gp",
    "legevakt": "out_of_hours",
    "pasient": "patient",
    "annen": "other",
}


def convert_stream(raw, parties):
    """The responsibility blocks of `raw` (a list) with their parties mapped; True if any was."""
    changed = False
    for block in raw if isinstance(raw, list) else []:
        value = block.get("value") if isinstance(block, dict) else None
        if isinstance(value, dict) and value.get("party") in parties:
            value["party"] = parties[value["party"]]
            changed = True
    return changed


def convert_content(content, agreement_types, parties):
    """A revision's content with the codes mapped, or None if nothing in it changes."""
    if not isinstance(content, dict):
        return None
    changed = False
    if content.get("agreement_type") in agreement_types:
        content["agreement_type"] = agreement_types[content["agreement_type"]]
        changed = True
    stream = content.get("responsibilities")
    if isinstance(stream, str):
        try:
            raw = json.loads(stream)
        except ValueError:
            raw = None
        if convert_stream(raw, parties):
            content["responsibilities"] = json.dumps(raw)
            changed = True
    elif convert_stream(stream, parties):
        changed = True
    return content if changed else None


def convert(apps, agreement_types, parties):
    RecommendationPage = apps.get_model("kompetanse", "RecommendationPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")

    for old, new in agreement_types.items():
        RecommendationPage.objects.filter(agreement_type=old).update(agreement_type=new)
    for page in RecommendationPage.objects.only("pk", "responsibilities"):
        raw = [dict(block) for block in page.responsibilities.raw_data]
        if convert_stream(raw, parties):
            RecommendationPage.objects.filter(pk=page.pk).update(responsibilities=raw)

    content_type = ContentType.objects.filter(app_label="kompetanse", model="recommendationpage").first()
    if content_type is None:
        return
    for revision in Revision.objects.filter(content_type=content_type).only("pk", "content").iterator():
        content = convert_content(revision.content, agreement_types, parties)
        if content is not None:
            Revision.objects.filter(pk=revision.pk).update(content=content)


def to_english(apps, schema_editor):
    convert(apps, AGREEMENT_TYPES, PARTIES)


def to_norwegian(apps, schema_editor):
    convert(
        apps,
        {new: old for old, new in AGREEMENT_TYPES.items()},
        {new: old for old, new in PARTIES.items()},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kompetanse", "0003_info_page"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="recommendationpage",
            name="agreement_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("cooperation_agreement", "Samarbeidsavtale"),
                    ("service_agreement", "Tjenesteavtale"),
                    ("other", "Annen avtale"),
                ],
                max_length=30,
                verbose_name="avtaletype",
            ),
        ),
        migrations.AlterField(
            model_name="recommendationpage",
            name="responsibilities",
            field=wagtail.fields.StreamField(
                [("responsibility", 3)],
                blank=True,
                block_lookup={
                    0: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": [
                                ("municipality", "Kommune"),
                                ("hospital", "Sykehus"),
                                ("gp", "Fastlege"),
                                ("out_of_hours", "Legevakt"),
                                ("patient", "Pasient og pårørende"),
                                ("other", "Annen"),
                            ],
                            "label": "Part",
                        },
                    ),
                    1: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "For eksempel «hjemmesykepleien» eller «medisinsk avdeling».",
                            "label": "Presisering",
                            "max_length": 150,
                            "required": False,
                        },
                    ),
                    2: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": ["bold", "italic", "ol", "ul", "link", "document-link"],
                            "label": "Ansvar og oppgaver",
                        },
                    ),
                    3: ("wagtail.blocks.StructBlock", [[("party", 0), ("party_label", 1), ("tasks", 2)]], {}),
                },
                verbose_name="ansvarsfordeling",
            ),
        ),
        migrations.RunPython(to_english, to_norwegian),
    ]
