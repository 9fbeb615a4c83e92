"""What Wagtail's publish leaves on a new page, to compare a fast way of making pages with
Wagtail's own (tests of kompetanse.pagetree and of the import)."""

from wagtail.models import PageLogEntry


def publication_state(page):
    """The page's publication, revisions and log, without its identity."""
    page.refresh_from_db()
    return {
        "live": page.live,
        "has_unpublished_changes": page.has_unpublished_changes,
        "published": page.first_published_at is not None and page.last_published_at is not None,
        "revisions": page.revisions.count(),
        "live_is_latest": page.live_revision_id == page.latest_revision_id is not None,
        "draft_title_is_title": page.draft_title == page.title,
        "revision_time_is_latest": page.latest_revision_created_at == page.latest_revision.created_at,
        "revision_shows_page": page.latest_revision.as_object().title == page.title,
        "log": sorted(PageLogEntry.objects.filter(page=page).values_list("action", flat=True)),
    }
