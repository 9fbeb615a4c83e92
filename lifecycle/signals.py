"""Signal handlers: keep change notes with their revision, record published versions, notify."""

from django.db.models.signals import post_save
from django.utils import timezone
from wagtail.signals import page_published

from core.background import enqueue_on_commit
from kompetanse.models import CONTENT_MODELS, KnowledgePage
from lifecycle.history import record_published_version
from lifecycle.models import ChangeNote
from lifecycle.notify import change_notice_subscriptions
from lifecycle.review import REQUIRED_KINDS, default_next_review, kind_of
from lifecycle.tasks import send_change_notices


def _is_knowledge_page(instance):
    return isinstance(instance, KnowledgePage)


def store_change_note(sender, instance, update_fields=None, **kwargs):
    """The edit form leaves the note on the page; save_revision then saves the page with the new
    latest_revision, and that is the revision the note belongs to."""
    if not _is_knowledge_page(instance):
        return
    note = getattr(instance, "_lifecycle_change_note", None)
    if note is None or not instance.latest_revision_id:
        return
    if not update_fields or "latest_revision" not in update_fields:
        return
    if note:
        ChangeNote.objects.update_or_create(revision_id=instance.latest_revision_id, defaults={"text": note})
    else:
        ChangeNote.objects.filter(
            revision_id=instance.latest_revision_id, reviewed_without_changes=False
        ).delete()


def on_page_published(sender, instance, revision, **kwargs):
    if not _is_knowledge_page(instance):
        return
    # A page scheduled for later is "published" without going live: nothing to show or send yet.
    if not instance.live or instance.live_revision_id != revision.pk:
        return
    ensure_default_next_review(instance, revision)
    version, created = record_published_version(instance, revision)
    if created and not version.reviewed_without_changes and change_notice_subscriptions(instance):
        # The e-mails go out from the worker: a mail server problem never slows or undoes a publish.
        enqueue_on_commit(send_change_notices, version.pk)


def ensure_default_next_review(page, revision):
    """Pages published without a next review date (imports, the API) get the default one."""
    kind = kind_of(page)
    if kind not in REQUIRED_KINDS or page.next_review:
        return
    base = timezone.localtime(page.last_published_at).date() if page.last_published_at else None
    page.next_review = default_next_review(kind, base)
    # A save (not a queryset update), so that whatever keeps a copy of the live page (the search
    # index) hears of the date; the publish's own signal may have reached it before this one.
    page.save(update_fields=["next_review"], clean=False)
    revision.content["next_review"] = page.next_review.isoformat()
    revision.save(update_fields=["content"])


# Django and Wagtail send these with the page's own class as sender: one connection per content type.
# A page saved as a plain KnowledgePage (not its specific class) is sent as one: connected too.
post_save.connect(store_change_note, sender=KnowledgePage, dispatch_uid="lifecycle_store_change_note")
for _model in CONTENT_MODELS.values():
    post_save.connect(
        store_change_note, sender=_model, dispatch_uid=f"lifecycle_store_change_note_{_model.content_kind}"
    )
    page_published.connect(
        on_page_published, sender=_model, dispatch_uid=f"lifecycle_on_page_published_{_model.content_kind}"
    )
