"""How pages relate across communities: versions of the same content, near-equivalents, related."""

from django.db.models import Count, Q

from kompetanse.models import KnowledgePage
from kompetanse.models.base import COMMUNITY_DEPTH
from reuse.models import LIVE_COPY_MODES, Adoption


def _community_prefix(page):
    return page.path[: COMMUNITY_DEPTH * page.steplen]


def root_source(page):
    """Follow «taken into use from» links up to the original page (guarding against loops)."""
    seen = {page.pk}
    current = page
    while True:
        adoption = (
            Adoption.objects.filter(page_id=current.pk, source__isnull=False).select_related("source").first()
        )
        if adoption is None or adoption.source_id in seen:
            return current
        seen.add(adoption.source_id)
        current = adoption.source


def family_ids(page):
    """Ids of every page that is the same content: the original and everything taken from it."""
    root = root_source(page)
    ids = {root.pk}
    frontier = {root.pk}
    while frontier:
        children = (
            set(Adoption.objects.filter(source_id__in=frontier).values_list("page_id", flat=True)) - ids
        )
        ids |= children
        frontier = children
    return ids


def other_versions(page, limit=6):
    """«Slik gjør andre helsefellesskap det»: the same content in other communities (adopted or
    adapted from the same original), then near-equivalents of the same type on the same topics
    and target groups."""
    prefix = _community_prefix(page)
    family = family_ids(page) - {page.pk}
    public = KnowledgePage.objects.live().public().exclude(path__startswith=prefix)
    versions = list(public.filter(pk__in=family).specific().order_by("path")[:limit])
    if len(versions) < limit:
        topics = list(page.topics.values_list("pk", flat=True))
        groups = list(page.target_groups.values_list("pk", flat=True))
        if topics and groups:
            near = (
                public.type(page.specific_class)
                .exclude(pk__in=family)
                .exclude(pk__in=Adoption.objects.filter(mode__in=LIVE_COPY_MODES).values("page_id"))
                .filter(topics__in=topics)
                .filter(target_groups__in=groups)
                .distinct()
                .specific()
                .order_by("-last_published_at")
            )
            versions += list(near[: limit - len(versions)])
    return versions


def related_pages(page, exclude=(), limit=5):
    """Other pages on the same topics, those sharing most target groups first."""
    topics = list(page.topics.values_list("pk", flat=True))
    if not topics:
        return []
    groups = list(page.target_groups.values_list("pk", flat=True))
    skip = {page.pk, *(p.pk for p in exclude)} | family_ids(page)
    return list(
        KnowledgePage.objects.live()
        .public()
        .exclude(pk__in=skip)
        .exclude(pk__in=Adoption.objects.filter(mode__in=LIVE_COPY_MODES).values("page_id"))
        .filter(topics__in=topics)
        .annotate(shared_groups=Count("target_groups", filter=Q(target_groups__in=groups), distinct=True))
        .order_by("-shared_groups", "-last_published_at")
        .distinct()
        .specific()[:limit]
    )
