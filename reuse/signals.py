"""Keeping live copies in step with their source: when a page is published, its copies that are
used as is or with local additions follow, from the worker (``reuse.tasks``)."""

from wagtail.signals import page_published

from core.background import enqueue_on_commit
from kompetanse.models import CONTENT_MODELS, KnowledgePage
from reuse.models import LIVE_COPY_MODES, Adoption
from reuse.tasks import update_live_copies


def queue_live_copy_update(sender, instance, revision, **kwargs):
    if not isinstance(instance, KnowledgePage):
        return
    if Adoption.objects.filter(source_id=instance.pk, mode__in=LIVE_COPY_MODES).exists():
        enqueue_on_commit(update_live_copies, instance.pk)


# Wagtail sends page_published with the page's own class as sender: one connection per content type.
for _model in CONTENT_MODELS.values():
    page_published.connect(
        queue_live_copy_update,
        sender=_model,
        dispatch_uid=f"reuse_queue_live_copy_update_{_model.content_kind}",
    )
