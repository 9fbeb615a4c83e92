"""The editors' promoted results («Anbefalt»): Wagtail's search promotions, shown above the hits."""

import logging

from django.core.cache import cache
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.search.utils import normalise_query_string

logger = logging.getLogger("search")

PROMOTED_CACHE_KEY = "search:promoted-queries"
CACHE_SECONDS = 60


def promoted_queries():
    """The query strings that have promotions (cached; cleared when a promotion changes)."""
    strings = cache.get(PROMOTED_CACHE_KEY)
    if strings is None:
        strings = set(SearchPromotion.objects.values_list("query__query_string", flat=True))
        cache.set(PROMOTED_CACHE_KEY, strings, CACHE_SECONDS)
    return strings


def promoted_results(query, request=None):
    """Pages the editors attached to this query (Wagtail search promotions), live ones only."""
    try:
        normalised = normalise_query_string(query)
        if normalised not in promoted_queries():
            return []
        promotions = (
            SearchPromotion.objects.filter(query__query_string=normalised)
            .select_related("page")
            .order_by("sort_order")
        )
        out = []
        for pick in promotions:
            if pick.page_id and pick.page.live:
                out.append(
                    {
                        "title": pick.page.title,
                        "url": pick.page.get_url(request),
                        "description": pick.description,
                    }
                )
            elif getattr(pick, "external_link_url", ""):
                out.append(
                    {
                        "title": pick.external_link_text or pick.external_link_url,
                        "url": pick.external_link_url,
                        "description": pick.description,
                    }
                )
        return out
    except Exception:
        logger.exception("Promoted results could not be read.")
        return []
