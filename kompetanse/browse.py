"""Every procedure, recommendation and good example of every community, in one listing each
(issue #17, item 11): what «Prosedyrer», «Samarbeidsanbefalinger» and «Gode eksempler» in the main
navigation open outside a community. A community's own listing shows its pages and the shared
ones; this one shows all published pages of the type, filterable by community (repeatable
``fellesskap``), target group and topic, and sorted by last updated unless the reader chooses.

The answer depends on the address alone. The reader's own community (static/js/area.js, kept in
the browser) reaches this view as ``?fellesskap=<slug>&fellesskap=sentral`` in the links it
rewrites, so nothing here varies per reader. Live copies (pages a community uses as they are) are
left out: their text is their source's, which is listed under its own community.
"""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from kompetanse import registry
from kompetanse.caching import share_with_readers
from kompetanse.communities import LISTING_FOR_KIND, LISTINGS
from kompetanse.models import CONTENT_MODELS, CommunityHomePage, TargetGroup, Topic
from kompetanse.models.base import COMMUNITY_DEPTH
from kompetanse.models.listings import PAGE_SIZE, SORT_CHOICES

# The content types browsed across communities, by the slug their listings have.
BROWSED_KINDS = ("procedure", "recommendation", "good_example")
KIND_FOR_SLUG = {
    slug: kind
    for kind in BROWSED_KINDS
    for model, _title, slug in LISTINGS
    if model is LISTING_FOR_KIND[kind]
}
TITLE_FOR_KIND = {
    kind: title
    for kind in BROWSED_KINDS
    for model, title, _slug in LISTINGS
    if model is LISTING_FOR_KIND[kind]
}
COMMUNITY_PARAM = "fellesskap"


def browse_url(kind):
    """The address of the listing across communities of a kind, or None for the other kinds."""
    if kind not in BROWSED_KINDS:
        return None
    slug = next(slug for slug, found in KIND_FOR_SLUG.items() if found == kind)
    return reverse("browse_all", args=[slug])


def _chosen(params, name, allowed):
    chosen = []
    for value in params.getlist(name):
        if value in allowed and value not in chosen:
            chosen.append(value)
    return chosen


def browse_all(request, kind_slug):
    kind = KIND_FOR_SLUG.get(kind_slug)
    if kind is None:
        raise Http404("Ukjent innholdstype")
    communities = list(
        CommunityHomePage.objects.live().public().filter(depth=COMMUNITY_DEPTH).order_by("title")
    )
    by_path = {community.path: community for community in communities}
    model = CONTENT_MODELS[kind]
    params = request.GET
    chosen_communities = _chosen(params, COMMUNITY_PARAM, {c.slug for c in communities})
    chosen_groups = _chosen(params, "malgruppe", set(TargetGroup.objects.values_list("slug", flat=True)))
    chosen_topics = _chosen(params, "fagomrade", set(Topic.objects.values_list("slug", flat=True)))
    sort = params.get("sortering")
    if sort not in SORT_CHOICES:
        sort = "nyeste"

    # Published pages under a published community (nothing under an unpublished home is served).
    pages = registry.exclude_live_copies(model.objects.live().public())
    shown = [c for c in communities if not chosen_communities or c.slug in chosen_communities]
    under = Q(pk__in=[])
    for community in shown:
        under |= Q(path__startswith=community.path)
    pages = pages.filter(under)
    all_pages = pages
    if chosen_groups:
        pages = pages.filter(target_groups__slug__in=chosen_groups)
    if chosen_topics:
        pages = pages.filter(topics__slug__in=chosen_topics)
    pages = pages.distinct().order_by(*SORT_CHOICES[sort][1])

    paginator = Paginator(
        pages.select_related("content_owner").prefetch_related("target_groups", "topics"), PAGE_SIZE
    )
    page_obj = paginator.get_page(params.get("side"))
    for item in page_obj:
        item.browse_community = by_path.get(item.path[: COMMUNITY_DEPTH * item.steplen])
    title = TITLE_FOR_KIND[kind]
    response = render(
        request,
        "kompetanse/browse_all.html",
        {
            "listing_title": title,
            "kind": kind,
            "page_obj": page_obj,
            "sort": sort,
            "sort_choices": [(key, label) for key, (label, _) in SORT_CHOICES.items()],
            "target_groups": TargetGroup.objects.all(),
            "topics": Topic.objects.filter(pages__in=all_pages).distinct().order_by("name"),
            "filter_communities": communities,
            "chosen_communities": chosen_communities,
            "chosen_groups": chosen_groups,
            "chosen_topics": chosen_topics,
            "reset_url": request.path,
            "shown_communities": [c for c in communities if c.slug in chosen_communities],
        },
    )
    return share_with_readers(request, response)
