"""How pages relate across communities: versions of the same content, near-equivalents, related.

Queries are kept to a fixed number per page, whatever the amount of content: results are plain
KnowledgePage rows (no per-type queries) and carry their community from one lookup of all
community homes.
"""

from django.db.models import Count, Q

from kompetanse.caching import until_content_changes
from kompetanse.models import CommunityHomePage, KnowledgePage
from kompetanse.models.base import COMMUNITY_DEPTH
from reuse.models import LIVE_COPY_MODES, Adoption, Provenance


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


def same_content(page, family):
    """Which pages are the same content as ``page`` in another form: taken from the same original
    (``family``, through adoption), sharing its translation key, or imported from a package that
    says the one was adapted from the other (``Provenance.adapted_from`` naming the other's uid)
    or that both were adapted from the same page. One query at most (the page's provenance)."""
    same = Q(pk__in=family)
    if page.translation_key:
        same |= Q(translation_key=page.translation_key)
    if page.pk is not None:
        if page.import_uid:
            same |= Q(provenance__adapted_from__uid=page.import_uid)
        origin = Provenance.objects.filter(page_id=page.pk).values_list("adapted_from", flat=True).first()
        source_uid = origin.get("uid") if isinstance(origin, dict) else None
        if isinstance(source_uid, str) and source_uid:
            same |= Q(import_uid=source_uid) | Q(provenance__adapted_from__uid=source_uid)
    return same


def other_versions(page, *, family, topics, groups, communities, limit=6):
    """«Slik gjør andre helsefellesskap det», best first: the same content in other communities
    (``same_content``: the same original, translation key or package source), then pages of the
    same type on the same subject, those sharing most topics first, then most target groups.
    Pages of the same content carry ``same_content = True``."""
    public = KnowledgePage.objects.live().public().exclude(path__startswith=_prefix(page))
    versions = list(public.filter(same_content(page, family)).exclude(pk=page.pk).order_by("path")[:limit])
    for version in versions:
        version.same_content = True
    if len(versions) < limit and topics:
        near = (
            public.filter(content_type_id=page.content_type_id)
            .exclude(pk__in=family | {version.pk for version in versions})
            .exclude(pk__in=_live_copies())
            .filter(topics__in=topics)
            .values("pk")
            .annotate(
                shared_topics=Count("topics", filter=Q(topics__in=topics), distinct=True),
                shared_groups=Count("target_groups", filter=Q(target_groups__in=groups), distinct=True),
            )
            .order_by("-shared_topics", "-shared_groups", "-last_published_at", "pk")
        )
        key = (
            "near",
            page.content_type_id,
            _prefix(page),
            sorted(family | {version.pk for version in versions}),
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
    """The same content in other communities, for «Sammenlign med …»: the published pages that
    are ``same_content`` as the page, outside the page's own community, each with its community
    (``reuse_community``)."""
    pages = (
        KnowledgePage.objects.live()
        .public()
        .filter(same_content(page, family_ids(page)))
        .exclude(pk=page.pk)
        .exclude(path__startswith=_prefix(page))
        .order_by("path")
    )
    return with_communities(list(pages), communities_by_path())
