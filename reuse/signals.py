"""Keeping live copies in step with their source: when a page is published, its copies that are
used as is or with local additions follow, from the worker (``reuse.tasks``)."""

from django.dispatch import receiver
from wagtail.signals import page_published

from core.background import enqueue_on_commit
from kompetanse.models import KnowledgePage
from reuse.models import LIVE_COPY_MODES, Adoption
from reuse.tasks import update_live_copies


@receiver(page_published)
def queue_live_copy_update(sender, instance, revision, **kwargs):
    if not isinstance(instance, KnowledgePage):
        return
    if Adoption.objects.filter(source_id=instance.pk, mode__in=LIVE_COPY_MODES).exists():
        enqueue_on_commit(update_live_copies, instance.pk)
