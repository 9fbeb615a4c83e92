"""Where content came from: a version 2 package's provenance and license, kept per page when it
is imported, and passed on (with the source of a page taken into use) when it is exported."""

from django.dispatch import receiver
from django.utils.dateparse import parse_datetime

from kompetanse.models import KnowledgePage
from kompetanse.packages import page_uid
from kompetanse.signals import page_imported
from reuse.models import Adoption, Provenance


@receiver(page_imported, sender=KnowledgePage, dispatch_uid="reuse_keep_provenance")
def keep_provenance(sender, page, item, package, **kwargs):
    """Version 1 packages carry no provenance; a version 2 item's replaces what the page had.

    Nothing is kept for one of this portal's own pages that comes back from its own export (the
    import found it by its own key, not by an imported uid), nor for an item that says nothing
    about where it comes from (no provenance, license or portal: the demo's content)."""
    if package.get("version") != 2 or page.import_uid != item["uid"]:
        return
    origin = item.get("provenance") or {}
    if not (origin or item.get("license") or package.get("portal")):
        Provenance.objects.filter(page=page).delete()
        return
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


def export_origin(page, described):
    """What an export says about a page's origin (kompetanse.registry.register_export_origin).
    An imported page passes on the provenance it came with (and its license, if it had one); a
    page taken into use from another community names its source."""
    origin = Provenance.objects.filter(page_id=page.pk).first()
    if origin is not None:
        return {
            "license": origin.license or described["license"],
            "provenance": {
                "portal": origin.source_portal,
                "url": origin.source_url,
                "community_name": origin.source_community,
                "published_at": origin.source_published_at.isoformat()
                if origin.source_published_at
                else None,
                "adapted_from": origin.adapted_from,
            },
        }
    adoption = (
        Adoption.objects.filter(page_id=page.pk, source__isnull=False)
        .select_related("source", "source_revision")
        .first()
    )
    if adoption is None:
        return described
    source = adoption.source.specific
    source_community = source.community
    adapted_from = {
        "uid": page_uid(source),
        "title": source.title,
        "community": source_community.title if source_community else "",
        "mode": adoption.mode,
        "version_date": (
            adoption.source_revision.created_at.date().isoformat() if adoption.source_revision else None
        ),
    }
    return {**described, "provenance": {**described["provenance"], "adapted_from": adapted_from}}
