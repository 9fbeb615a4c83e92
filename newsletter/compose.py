"""What goes into an issue: the community's and «Felles innhold»'s published pages that are new or
changed since the last issue sent, grouped by kind.

The daily ``compose_newsletters`` keeps one issue under review per community: the first run with
something new starts it, later runs add what has been published since, and items the team removed
stay removed. Sending an issue closes it; the next one covers what came after it.
"""

import datetime

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from kompetanse import registry
from kompetanse.models import (
    CENTRAL_SLUG,
    CONTENT_MODELS,
    KIND_LABELS_PLURAL,
    CommunityHomePage,
    EventPage,
    KnowledgePage,
)
from newsletter.models import Issue, IssueItem

# A community's first issue looks this far back.
FIRST_ISSUE_DAYS = 30
# The kinds in the order the issue shows them: what to do first, then what is on.
KIND_ORDER = ["procedure", "recommendation", "good_example", "news", "event"]


def communities_with_newsletters():
    """Every published community, the central one («Felles innhold») included."""
    return CommunityHomePage.objects.live().public().order_by("path")


def pages_for(community):
    """The published, public pages a community's issue may show: its own and the shared ones.
    Another community's pages never; a live copy of a shared page once, as the shared page."""
    scope = Q(path__startswith=community.path)
    central = CommunityHomePage.objects.filter(slug=CENTRAL_SLUG).exclude(pk=community.pk).first()
    if central is not None and central.live:
        scope |= Q(path__startswith=central.path)
    pages = KnowledgePage.objects.live().public().filter(scope)
    return registry.exclude_live_copies(pages)


def changed_pages(community, since, until):
    """Pages published (first or again) after ``since`` up to ``until``; events that are over are left out."""
    pages = pages_for(community).filter(last_published_at__gt=since, last_published_at__lte=until)
    over = EventPage.objects.filter(end__lt=until).values("pk")
    return pages.exclude(pk__in=over).order_by("last_published_at", "pk")


def _kind(page):
    model = page.specific_class
    return getattr(model, "content_kind", "") if model is not None else ""


@transaction.atomic
def compose(community, now=None):
    """Start or add to the community's issue under review; returns it, or None when there is
    nothing new and no issue under review."""
    now = now or timezone.now()
    draft = Issue.objects.select_for_update().filter(community=community, status=Issue.Status.DRAFT).first()
    if draft is not None:
        since = draft.covers_from
    else:
        last = (
            Issue.objects.filter(community=community)
            .exclude(status=Issue.Status.DRAFT)
            .order_by("-covers_until")
            .first()
        )
        since = last.covers_until if last else now - datetime.timedelta(days=FIRST_ISSUE_DAYS)
    pages = list(changed_pages(community, since, now))
    if draft is None:
        if not pages:
            return None
        number = (Issue.objects.filter(community=community).aggregate(n=Max("number"))["n"] or 0) + 1
        draft = Issue.objects.create(community=community, number=number, covers_from=since, covers_until=now)
    known = set(draft.items.values_list("page_id", flat=True))
    IssueItem.objects.bulk_create(
        IssueItem(
            issue=draft,
            page_id=page.pk,
            kind=_kind(page),
            is_new=page.first_published_at is not None and page.first_published_at > since,
        )
        for page in pages
        if page.pk not in known and _kind(page) in CONTENT_MODELS
    )
    draft.covers_until = now
    draft.save(update_fields=["covers_until"])
    return draft


def sections(issue, topics=None):
    """The issue as a reader gets it: ``[(heading, [(item, page), …]), …]`` by kind.

    Only items the team kept, of pages still published and public. With ``topics`` (a
    subscriber's choice), only pages on at least one of them; without, everything.
    """
    items = {item.page_id: item for item in issue.items.filter(included=True)}
    pages = pages_for(issue.community).filter(pk__in=list(items))
    if topics:
        pages = pages.filter(topics__in=topics).distinct()
    by_kind = {}
    for page in pages.specific().order_by("-last_published_at", "pk"):
        by_kind.setdefault(items[page.pk].kind, []).append((items[page.pk], page))
    for kind, entries in by_kind.items():
        if kind == "event":
            entries.sort(key=lambda entry: entry[1].start)
    return [(KIND_LABELS_PLURAL[kind], by_kind[kind]) for kind in KIND_ORDER if kind in by_kind]
