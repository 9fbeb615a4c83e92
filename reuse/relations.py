"""How pages relate across communities: versions of the same content, near-equivalents, related.

Queries are kept to a fixed number per page, whatever the amount of content: results are plain
KnowledgePage rows (no per-type queries) and carry their community from one lookup of all
community homes.
"""

from django.db.models import Count, Q

from kompetanse.caching import until_content_changes
from kompetanse.models import CommunityHomePage, KnowledgePage
from kompetanse.models.base import COMMUNITY_DEPTH
from reuse.models import LIVE_COPY_MODES, Adoption


def _prefix(page):
    return page.path[: COMMUNITY_DEPTH * page.steplen]


def communities_by_path():
    return {community.path: community for community in CommunityHomePage.objects.all()}


def with_communities(pages, communities):
    for page in pages:
        page.reuse_community = communities.get(_prefix(page))
    return pages


def root_source(page, adoption=None):
    """Follow «taken into use from» links up to the original page (guarding against loops)."""
    if page.pk is None:
        return page
    seen = {page.pk}
    current = page
    if adoption is not None:
        if adoption.source_id is None:
            return page
        seen.add(adoption.source_id)
        current = adoption.source
    elif not Adoption.objects.filter(page_id=page.pk, source__isnull=False).exists():
        return page
    while True:
        link = (
            Adoption.objects.filter(page_id=current.pk, source__isnull=False).select_related("source").first()
        )
        if link is None or link.source_id in seen:
            return current
        seen.add(link.source_id)
        current = link.source


def family_ids(page, adoption=None):
    """Ids of every page that is the same content: the original and everything taken from it."""
    root = root_source(page, adoption)
    ids = {root.pk} if root.pk else set()
    frontier = set(ids)
    while frontier:
        children = (
            set(Adoption.objects.filter(source_id__in=frontier).values_list("page_id", flat=True)) - ids
        )
        ids |= children
        frontier = children
    return ids


def _live_copies():
    return Adoption.objects.filter(mode__in=LIVE_COPY_MODES).values("page_id")


def _first(candidates, limit, key):
    """The first ``limit`` pages of an ordered, joined queryset of ``values("pk")``.

    DISTINCT or GROUP BY over full page rows (body included) for every page on a topic costs
    0.1 s at 10,000 pages: the ids are picked on narrow rows (and cached under ``key``, all the
    query depends on, until content changes), then only those few pages are loaded.
    """
    ids = until_content_changes(key, lambda: list(candidates.values_list("pk", flat=True)[:limit]))
    pages = KnowledgePage.objects.live().in_bulk(ids)
    return [pages[pk] for pk in ids if pk in pages]


def other_versions(page, *, family, topics, groups, communities, limit=6):
    """«Slik gjør andre helsefellesskap det»: the same content in other communities (adopted or
    adapted from the same original), then near-equivalents of the same type on the same topics
    and target groups."""
    public = KnowledgePage.objects.live().public().exclude(path__startswith=_prefix(page))
    versions = list(public.filter(pk__in=family - {page.pk}).order_by("path")[:limit])
    if len(versions) < limit and topics and groups:
        near = (
            public.filter(content_type_id=page.content_type_id)
            .exclude(pk__in=family)
            .exclude(pk__in=_live_copies())
            .filter(topics__in=topics)
            .filter(target_groups__in=groups)
            .values("pk")
            .order_by("-last_published_at", "pk")
            .distinct()
        )
        key = (
            "near",
            page.content_type_id,
            _prefix(page),
            sorted(family),
            topics,
            groups,
            limit - len(versions),
        )
        versions += _first(near, limit - len(versions), key)
    return with_communities(versions, communities)


def related_pages(page, *, family, topics, groups, exclude, communities, limit=5):
    """Other pages on the same topics, those sharing most target groups first."""
    if not topics:
        return []
    skip = {page.pk, *family, *(p.pk for p in exclude)}
    related = _first(
        KnowledgePage.objects.live()
        .public()
        .exclude(pk__in=skip)
        .exclude(pk__in=_live_copies())
        .filter(topics__in=topics)
        .values("pk")
        .annotate(shared_groups=Count("target_groups", filter=Q(target_groups__in=groups), distinct=True))
        .order_by("-shared_groups", "-last_published_at", "pk"),
        limit,
        ("related", sorted(skip), topics, groups, limit),
    )
    return with_communities(related, communities)


def counterparts(page):
    """The same content in other communities, for «Sammenlign med …»: the published pages taken
    from the same original (reuse) or sharing the page's translation key, outside the page's own
    community, each with its community (``reuse_community``)."""
    same = Q(pk__in=family_ids(page))
    if page.translation_key:
        same |= Q(translation_key=page.translation_key)
    pages = (
        KnowledgePage.objects.live()
        .public()
        .filter(same)
        .exclude(pk=page.pk)
        .exclude(path__startswith=_prefix(page))
        .order_by("path")
    )
    return with_communities(list(pages), communities_by_path())
