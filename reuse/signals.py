"""Keeping live copies in step with their source: when a page is published, its copies that are
used as is or with local additions follow, from the worker (``reuse.tasks``)."""

from contextvars import ContextVar

from wagtail.signals import page_published

from core.background import enqueue_on_commit
from kompetanse import registry
from kompetanse.models import CONTENT_MODELS, KnowledgePage
from reuse.models import LIVE_COPY_MODES, Adoption
from reuse.tasks import update_live_copies

# {"sources": ids of pages that have live copies}, read once inside a block of many publishes
# (live_copy_sources_read_once); None outside one.
_sources = ContextVar("reuse_live_copy_sources", default=None)


def live_copy_sources_read_once():
    """While a block publishes many pages in one transaction (an import:
    ``kompetanse.registry.bulk_writes``), which of them have live copies is read once, not once
    per page. Nothing in such a block takes a page into use."""
    return registry.read_once_block(_sources)


def _has_live_copies(page):
    held = _sources.get()
    if held is None:
        return Adoption.objects.filter(source_id=page.pk, mode__in=LIVE_COPY_MODES).exists()
    if "sources" not in held:
        held["sources"] = set(
            Adoption.objects.filter(mode__in=LIVE_COPY_MODES).values_list("source_id", flat=True)
        )
    return page.pk in held["sources"]


def queue_live_copy_update(sender, instance, revision, **kwargs):
    if not isinstance(instance, KnowledgePage):
        return
    if _has_live_copies(instance):
        enqueue_on_commit(update_live_copies, instance.pk)


# Wagtail sends page_published with the page's own class as sender: one connection per content type.
for _model in CONTENT_MODELS.values():
    page_published.connect(
        queue_live_copy_update,
        sender=_model,
        dispatch_uid=f"reuse_queue_live_copy_update_{_model.content_kind}",
    )
