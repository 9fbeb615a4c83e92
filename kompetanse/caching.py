"""Cache headers for the reader's pages.

Anonymous GET and HEAD requests for published Wagtail pages may be cached by browsers and shared
caches for a short while. Anything personal is never cached publicly: logged-in users (who see
the userbar and drafts), previews, requests that carry a session, responses that set cookies or
carry a CSRF token (forms), and responses other than 200.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers

from core import pagecache
from core.wagtail_internals import PAGE_SERVE
from kompetanse import registry

PUBLIC_MAX_AGE = 300


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.max_age = getattr(settings, "PUBLIC_PAGE_MAX_AGE", PUBLIC_MAX_AGE)

    def __call__(self, request):
        response = self.get_response(request)
        if not self.is_wagtail_page(request) or response.has_header("Cache-Control"):
            return response
        return share_with_readers(request, response, self.max_age)

    @staticmethod
    def is_wagtail_page(request):
        match = getattr(request, "resolver_match", None)
        return match is not None and match.url_name == PAGE_SERVE

    @staticmethod
    def is_public(request, response):
        user = getattr(request, "user", None)
        return (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not (user is not None and user.is_authenticated)
            and not getattr(request, "is_preview", False)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.META.get("CSRF_COOKIE_USED")
            and not response.cookies
        )


def share_with_readers(request, response, max_age=PUBLIC_MAX_AGE):
    """Mark an answer that depends on its address alone: public for anonymous readers (browsers,
    a CDN and the page cache, ``core.pagecache``, may keep it), private for anyone else.

    Published pages get this from the middleware above; views that are not Wagtail pages call it
    themselves (the listing across communities, a search the database answered).
    """
    patch_vary_headers(response, ["Cookie"])
    if PublicPageCacheMiddleware.is_public(request, response):
        # No longer than the page stays true by the clock (an event ends: core.pagecache).
        patch_cache_control(response, public=True, max_age=pagecache.seconds_left(max_age))
    else:
        patch_cache_control(response, private=True, no_cache=True, max_age=0)
    return response


# ---------------------------------------------------------------------------------- fragments

FRAGMENT_SECONDS = 300


def until_content_changes(key, compute, seconds=FRAGMENT_SECONDS):
    """``compute()``, cached until published content changes (or ``seconds`` pass).

    What every reader's page shows around the content (the communities, the navigation, the
    topics in use, related pages) costs tens of milliseconds at 10,000 pages and is the same for
    everyone. What "content changed" means is registered by the app that knows
    (``kompetanse.registry.register_versioned_cache``: the search app's index version changes on
    every publish, unpublish, move, restriction and delete, on every app server at once); the
    time limit covers the rarer changes no signal reports (a listing page moved by a script).
    The content version (``core.pagecache``) is part of the key too: a change the search index
    does not see (a content owner, a topic's name) retires the fragment with the cached pages,
    so a page rendered after the change never shows a fragment from before it.
    """
    return registry.cached_until_content_changes(
        ("fragment", key, pagecache.content_version()), compute, seconds
    )
