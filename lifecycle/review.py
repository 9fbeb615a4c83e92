"""Review dates and status: defaults, what counts as a review, and who is responsible."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Count, F, Q
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from kompetanse.models import CommunityHomePage, KnowledgePage
from kompetanse.models.base import COMMUNITY_DEPTH
from kompetanse.review import REVIEW_SOON_DAYS, ReviewStatus
from lifecycle.models import ChangeNote, ErrorReport

# Years until the next review after publishing or a review, by content kind. Procedures and
# recommendations get a default on publish; good examples only move forward when reviewed.
# News and events have none, and no owner on their form: a news item is true on its date and is
# not kept up to date afterwards, and an event is over when it ends (its listing moves it to
# «Tidligere» by the clock). A review reminder for either would be noise for the local teams.
# E-learning courses and films are reviewed like procedures: a course's link, content and approval,
# and what a film shows, go out of date; a course is checked every year, a film every two. Podcast
# series and episodes have none: an episode is a recording of its day, like a news item, and is
# unpublished rather than rewritten when it is out of date.
REVIEW_YEARS = {"procedure": 1, "recommendation": 2, "good_example": 2, "course": 1, "film": 2}
# Kinds that cannot be published without an owner, and get the default next review on publishing.
REQUIRED_KINDS = ("procedure", "recommendation", "course", "film")
# The dashboard lists what is overdue or due soon by the one rule (kompetanse.review).
DASHBOARD_DAYS = REVIEW_SOON_DAYS
REMINDER_DAYS = 30

REVIEWED_NOTE = "Revidert uten endringer"
FIRST_VERSION_NOTE = "Første publiserte versjon"


def today():
    return timezone.localdate()


def add_years(date, years):
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def kind_of(page):
    return getattr(page.specific_class, "content_kind", "") if page.specific_class else ""


def default_next_review(kind, start=None):
    years = REVIEW_YEARS.get(kind)
    return add_years(start or today(), years) if years else None


def distance_in_words(date, on=None):
    """How far ``date`` is from today, in Norwegian: «i dag», «om 14 dager», «for 2 måneder siden».

    Django's ``timesince`` (Wagtail's report dates use it) counts only backwards and calls every
    future date «0 minutter siden»; review dates are mostly in the future.
    """
    days = (date - (on or today())).days
    if days == 0:
        return "i dag"
    if abs(days) == 1:
        return "i morgen" if days > 0 else "i går"
    count, unit = abs(days), ("dag", "dager")
    if count >= 365:
        count, unit = count // 365, ("år", "år")
    elif count >= 31:
        count, unit = max(1, round(count / 30.4)), ("måned", "måneder")
    words = f"{count} {unit[0] if count == 1 else unit[1]}"
    return f"om {words}" if days > 0 else f"for {words} siden"


def is_overdue(page, on=None):
    return ReviewStatus.of(page.next_review, on or today()) == ReviewStatus.OVERDUE


# --- who may see and who answers for a page ------------------------------------------------

page_policy = PagePermissionPolicy()


def editable_pages(user):
    """Knowledge pages the user can edit: the pages of the communities they work in."""
    pages = page_policy.instances_user_has_permission_for(user, "change")
    return KnowledgePage.objects.filter(pk__in=pages.values("pk"))


def publishers_for(page):
    """Active users with an email address who may publish the page.

    Superusers (the technical administrators) are only used when nobody else can publish.
    """
    User = get_user_model()
    users = page_policy.users_with_permission_for_instance("publish", page, include_superusers=False)
    users = list(users.exclude(email="").order_by("pk"))
    if not users:
        users = list(User.objects.filter(is_active=True, is_superuser=True).exclude(email="").order_by("pk"))
    return users


def working_address(email):
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def owner_address(page):
    """The owner's working address; for good examples the contact person stands in for the owner."""
    owner = page.content_owner
    address = working_address(owner.email) if owner else ""
    if not address and kind_of(page) == "good_example":
        address = working_address(getattr(page.specific, "contact_email", ""))
    return address


def open_report_counts(pages):
    return pages.annotate(
        open_reports=Count(
            "lifecycle_error_reports",
            filter=Q(lifecycle_error_reports__status__in=ErrorReport.OPEN_STATUSES),
            distinct=True,
        )
    )


def review_list(user, on=None, within=DASHBOARD_DAYS):
    """Live pages the user can edit that are overdue, due within `within` days or have open reports."""
    on = on or today()
    pages = editable_pages(user).live()
    pages = pages.filter(
        Q(next_review__lte=on + datetime.timedelta(days=within))
        | Q(lifecycle_error_reports__status__in=ErrorReport.OPEN_STATUSES)
    ).distinct()
    pages = open_report_counts(KnowledgePage.objects.filter(pk__in=pages.values("pk")))
    return pages.select_related("content_owner").order_by(F("next_review").asc(nulls_first=True), "title")


def community_names():
    """Map of community tree path → display name, to label many pages with one query."""
    return {c.path: c.title for c in CommunityHomePage.objects.all().only("path", "title")}


def community_name(page, names):
    return names.get(page.path[: COMMUNITY_DEPTH * Page.steplen], "")


# --- reviewing -----------------------------------------------------------------------------


def reviewed_dates(page, revision_next_review, live_next_review, on=None):
    """(last_reviewed, next_review) after a review on `on`.

    The next review moves forward one interval from today, unless the editor set a later date
    in this very revision themselves.
    """
    on = on or today()
    proposed = default_next_review(kind_of(page), on)
    if revision_next_review and revision_next_review != live_next_review and revision_next_review > on:
        return on, revision_next_review
    return on, proposed or revision_next_review


def mark_reviewed_without_changes(page, user):
    """Publish a copy of the live content with new review dates and a "revidert uten endringer" note.

    Raises ValueError (with a message for the editor) when the page cannot be marked this way.
    """
    page = page.specific
    if not page.live:
        raise ValueError("Siden er ikke publisert.")
    if page.has_unpublished_changes:
        raise ValueError(
            "Siden har endringer som ikke er publisert. Publiser eller forkast dem før du markerer "
            "siden som revidert uten endringer."
        )
    if page.workflow_in_progress:
        raise ValueError("Siden er til godkjenning i en arbeidsflyt.")
    page.last_reviewed, page.next_review = reviewed_dates(page, None, page.next_review)
    revision = page.save_revision(user=user, log_action=True)
    ChangeNote.objects.update_or_create(
        revision=revision, defaults={"text": REVIEWED_NOTE, "reviewed_without_changes": True}
    )
    revision.publish(user=user, changed=False)
    log(instance=page, action="lifecycle.reviewed", user=user, revision=revision)
    return revision


def publish_approved_workflow_state(workflow_state, user=None):
    """WAGTAIL_FINISH_WORKFLOW_ACTION: approving in the workflow counts as a review.

    The approved revision gets today's date as "sist revidert" and a new "neste revisjon"
    before it is published, so the published version carries the review dates.
    """
    obj = workflow_state.content_object
    revision = obj.get_latest_revision()
    if isinstance(obj, Page) and issubclass(obj.specific_class, KnowledgePage):
        live = KnowledgePage.objects.filter(pk=obj.pk).values_list("next_review", flat=True).first()
        revision_next = revision.content.get("next_review")
        revision_next = datetime.date.fromisoformat(revision_next) if revision_next else None
        last, nxt = reviewed_dates(obj, revision_next, live)
        revision.content["last_reviewed"] = last.isoformat()
        revision.content["next_review"] = nxt.isoformat() if nxt else None
        revision.save(update_fields=["content"])
    revision.publish(user=user)
