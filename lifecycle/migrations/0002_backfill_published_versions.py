"""Published versions of pages that were published before the lifecycle app was installed."""

from django.db import migrations


def backfill(apps, schema_editor):
    KnowledgePage = apps.get_model("kompetanse", "KnowledgePage")
    PageLogEntry = apps.get_model("wagtailcore", "PageLogEntry")
    PublishedVersion = apps.get_model("lifecycle", "PublishedVersion")
    page_ids = list(KnowledgePage.objects.values_list("pk", flat=True))
    entries = (
        PageLogEntry.objects.filter(action="wagtail.publish", page_id__in=page_ids, revision__isnull=False)
        .order_by("page_id", "timestamp", "pk")
        .values_list("page_id", "revision_id", "timestamp")
    )
    seen_pages = set()
    for page_id, revision_id, timestamp in entries:
        if PublishedVersion.objects.filter(revision_id=revision_id).exists():
            seen_pages.add(page_id)
            continue
        first = page_id not in seen_pages and not PublishedVersion.objects.filter(page_id=page_id).exists()
        PublishedVersion.objects.create(
            page_id=page_id,
            revision_id=revision_id,
            published_at=timestamp,
            change_note="Første publiserte versjon" if first else "",
        )
        seen_pages.add(page_id)


class Migration(migrations.Migration):
    dependencies = [
        ("lifecycle", "0001_initial"),
        ("kompetanse", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
