"""The search page, the autocomplete endpoint and the JSON API: they only read input and render.

All three use ``search.service``; ``search.params`` reads the GET parameters, the views shape the output.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.models import Site

from core import pagecache
from kompetanse.caching import share_with_readers
from kompetanse.models import TopicPage
from search import params, service
from search.analysis import clean_query
from search.queries import FACETS

WIDEN_PARAM = params.SCOPE_PARAM
# How long browsers and a CDN may keep a search answer: shorter than a page's, as they cannot
# follow the index version (core.pagecache does; a publish retires its copies at once).
SHARED_MAX_AGE = 60
# A kept answer to a search without hits is counted for the editors each time it is given.
ZERO_HITS_ACTION = "search.zero_hits"


def _site(request):
    try:
        return Site.find_for_request(request)
    except Exception:
        return None


@require_GET
def search_page(request):
    labels = params.facet_labels()
    filters = params.clean_filters(request.GET, labels)
    page_number = params.parse_page_number(request.GET.get("side"))
    default_scope = params.community_scope(_site(request))
    scope, scope_value = params.requested_scope(request.GET.get(WIDEN_PARAM), default_scope, labels)
    widened = scope_value == params.EVERYWHERE
    result = service.run_search(
        request.GET.get("q", ""),
        filters=filters,
        scope=scope,
        page=page_number,
        request=request,
        labels=labels,
    )
    if page_number > result.num_pages and result.total:
        result = service.run_search(
            result.query, filters=filters, scope=scope, page=result.num_pages, request=request, labels=labels
        )
    shown_scope = scope or default_scope
    scope_names = [labels["community"].get(slug, slug) for slug in shown_scope]
    context = {
        "result": result,
        "query": result.query,
        "filters": filters,
        "facet_groups": [
            {"name": name, "label": params.FACET_LABELS[name], "values": result.facets.get(name, [])}
            for name in FACETS
        ],
        "has_filters": bool(filters),
        "scoped": bool(scope),
        "scope_names": scope_names,
        "scope_value": scope_value,
        "can_widen": bool(scope),
        "widened": widened and bool(default_scope),
        "hidden_params": _hidden_params(request.GET, filters, scope_value),
        # A search for a topic leads on to its topic page (issue #18), where there is one.
        "topic_pages": (
            TopicPage.objects.live().public().filter(topic__slug__in=filters["topic"]).order_by("title")
            if filters.get("topic")
            else []
        ),
    }
    response = render(request, "search/search.html", context)
    if result.same_for_every_reader:
        share_with_readers(request, response, SHARED_MAX_AGE)
        if result.counted_without_hits:
            pagecache.repeat_on_hit(response, ZERO_HITS_ACTION, result.counted_without_hits)
    return response


def _hidden_params(params, filters, scope_value):
    """The filters and scope to keep when the reader changes the query text."""
    hidden = [(name, value) for name, values in filters.items() for value in values]
    if scope_value:
        hidden.append((WIDEN_PARAM, scope_value))
    return hidden


@require_GET
def suggestions(request):
    """Autocomplete: titles matching what has been typed so far."""
    default_scope = params.community_scope(_site(request))
    scope, _ = params.requested_scope(request.GET.get(WIDEN_PARAM), default_scope, params.facet_labels())
    found = service.autocomplete(request.GET.get("q", ""), scope=scope, request=request)
    search_url = reverse("search")
    response = JsonResponse(
        {
            "query": clean_query(request.GET.get("q", "")),
            "suggestions": found.items,
            "search_url": search_url,
        }
    )
    if found.same_for_every_reader:
        share_with_readers(request, response, SHARED_MAX_AGE)
    return response


@require_GET
def api_search(request):
    """GET /api/search/?q=&type=&community=&target_group=&topic=&page=N (see docs/api-search.md)."""
    labels = params.facet_labels()
    try:
        filters = params.clean_filters(request.GET, labels, strict=True)
        page_number = params.parse_page_number(request.GET.get("page"), strict=True)
    except params.InvalidFilter as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    result = service.run_search(
        request.GET.get("q", ""), filters=filters, scope=[], page=page_number, request=request, labels=labels
    )
    return JsonResponse(
        {
            "query": result.query,
            "total": result.total,
            "page": result.page,
            "results": [
                {
                    "title": hit.title,
                    "url": request.build_absolute_uri(hit.url),
                    "type": hit.kind,
                    "community": hit.community,
                    "snippet": hit.snippet,
                    "next_review": hit.next_review.isoformat() if hit.next_review else None,
                }
                for hit in result.hits
            ],
            "facets": {name: {v.value: v.count for v in values} for name, values in result.facets.items()},
            "suggestion": result.suggestion or None,
        },
        json_dumps_params={"ensure_ascii": False},
    )
