"""Error report statuses stored as English codes ("new", "in_progress", "resolved"); the labels
the editors see stay Norwegian. Existing rows are converted both ways."""

from django.db import migrations, models

NORWEGIAN_TO_ENGLISH = {"ny": "new", "under_behandling": "in_progress", "lost": "resolved"}


def convert(apps, mapping):
    ErrorReport = apps.get_model("lifecycle", "ErrorReport")
    for old, new in mapping.items():
        ErrorReport.objects.filter(status=old).update(status=new)


def to_english(apps, schema_editor):
    convert(apps, NORWEGIAN_TO_ENGLISH)


def to_norwegian(apps, schema_editor):
    convert(apps, {new: old for old, new in NORWEGIAN_TO_ENGLISH.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("lifecycle", "0003_community_row_log_entries"),
    ]

    operations = [
        migrations.AlterField(
            model_name="errorreport",
            name="status",
            field=models.CharField(
                choices=[("new", "Ny"), ("in_progress", "Under behandling"), ("resolved", "Løst")],
                default="new",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(to_english, to_norwegian),
    ]
