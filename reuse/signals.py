"""Keeping live copies in step with their source: when a page is published, its copies that are
used as is or with local additions follow."""

from django.dispatch import receiver
from wagtail.signals import page_published


@receiver(page_published)
def update_live_copies(sender, instance, revision, **kwargs):
    from kompetanse.models import KnowledgePage
    from reuse.adopting import sync_live_copies
    from reuse.models import LIVE_COPY_MODES, Adoption

    if not isinstance(instance, KnowledgePage):
        return
    if Adoption.objects.filter(source_id=instance.pk, mode__in=LIVE_COPY_MODES).exists():
        sync_live_copies(instance)
