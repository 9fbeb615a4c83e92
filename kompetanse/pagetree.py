"""Adding a new page to the tree live, with its one revision, in one save.

Wagtail's way to create a published page is three saves: ``add_child`` inserts it, ``save_revision``
saves it again with its revision, and ``publish`` saves it a third time (checking it again, reading
the revision back into a page and asking for earlier revisions, which a new page cannot have).
Imports and a new community's listings create many pages at once, and the publish action was a
third of their time, so they use ``insert_live`` (the import, through its own appender) and
``add_live_child`` (a community). They leave what the three steps leave:
tests/kompetanse/test_import_speed.py and tests/kompetanse/test_page_tree.py compare the pages,
revisions and log entries with Wagtail's own path. Updates to existing pages, drafts and pages sent to approval keep Wagtail's path.
"""

from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, Revision
from wagtail.signals import page_published


def add_live_child(parent, page, user=None):
    """Insert ``page`` (new, unsaved) as ``parent``'s last child, live with its one revision."""
    return insert_live(page, lambda page: parent.add_child(instance=page), user)


def insert_live(page, insert, user=None, *, log_entry=log):
    """Make ``page`` (new, unsaved) live with its one revision; ``insert(page)`` puts it in the tree.

    The page is inserted live (by ``insert``: Wagtail's ``add_child``, or the import's appender,
    which checks it as Wagtail checks a page, ``full_clean``, and logs «wagtail.create»); its
    revision is written as ``save_revision`` writes it; the page's revision fields are set in one
    UPDATE; and what the publish action logs and signals for a new page follows: «wagtail.edit»
    (when a user made it, as an edit in the admin logs), «wagtail.publish» (through ``log_entry``,
    Wagtail's ``log`` or one that writes later) and ``page_published``, whose receivers run as
    after any publish.
    """
    now = timezone.now()
    page.live, page.has_unpublished_changes = True, False
    page.first_published_at = page.last_published_at = now
    insert(page)
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        user=user,
        content=page.serializable_data(),
        object_str=str(page),
    )
    revision_fields = {
        "latest_revision": revision,
        "live_revision": revision,
        "latest_revision_created_at": revision.created_at,
        "draft_title": page.title,
    }
    Page.objects.filter(pk=page.pk).update(**revision_fields)
    for name, value in revision_fields.items():
        setattr(page, name, value)
    if user is not None:
        log_entry(page, "wagtail.edit", user=user, revision=revision, content_changed=True)
    log_entry(page, "wagtail.publish", user=user, revision=revision, content_changed=True)
    page_published.send(sender=page.specific_class, instance=page, revision=revision)
    return page
