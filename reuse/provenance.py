"""Where imported content came from: a version 2 package's provenance and license, kept per page."""

from django.dispatch import receiver
from django.utils.dateparse import parse_datetime

from kompetanse.models import KnowledgePage
from kompetanse.signals import page_imported
from reuse.models import Provenance


@receiver(page_imported, sender=KnowledgePage, dispatch_uid="reuse_keep_provenance")
def keep_provenance(sender, page, item, package, **kwargs):
    """Version 1 packages carry no provenance; a version 2 item's replaces what the page had."""
    if package.get("version") != 2:
        return
    origin = item.get("provenance") or {}
    published = origin.get("published_at")
    published = parse_datetime(published) if isinstance(published, str) else None
    adapted_from = origin.get("adapted_from")

    def text(key, length):
        value = origin.get(key)
        return value[:length] if isinstance(value, str) else ""

    Provenance.objects.update_or_create(
        page=page,
        defaults={
            "uid": item["uid"],
            "source_portal": text("portal", 255) or (package.get("portal") or "")[:255],
            "source_url": text("url", 500),
            "source_community": text("community_name", 255) or text("community", 255),
            "license": (item.get("license") or "")[:30],
            "source_published_at": published,
            "adapted_from": adapted_from if isinstance(adapted_from, dict) else {},
        },
    )
