"""Favourites, recently viewed and offline reading without an account (issue #18).

The reader's favourites and recently viewed pages live in the reader's own browser
(static/js/favourites.js, localStorage), so the server keeps nothing about anyone. What the server
offers is small and the same for everyone:

- «Mine favoritter» (/mine-favoritter/): a page that static/js/favourites.js fills from the
  browser's storage;
- /mine-favoritter/status/?side=<id>: the last published time of the pages the reader keeps, so
  that a copy read offline can tell whether a newer version exists once the network returns. One
  small JSON answer for all the reader's pages is the simplest honest check: an ETag or HEAD
  request per page would cost a request for each, and would change with anything around the
  content (the navigation, a related page) rather than with the page's own publishing;
- the installable web app: /manifest.webmanifest, the service worker at the site root (/sw.js,
  so that its scope is the whole site) and the page it shows offline for a page not kept (/frakoblet/).
"""

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from kompetanse.models import KnowledgePage

# --accent in static/css/portal.css: the colour of the header, and of the app's title bar.
THEME_COLOUR = "#00509e"
# The Cache Storage the pages kept for offline reading go to; favourites.js and the service
# worker both use it (base.html and the service worker are given the name from here).
PAGE_CACHE = "kp-sider-v1"
# At most this many page ids in one status request: favourites are few, recently viewed are 20.
MAX_STATUS_PAGES = 100
ICONS = [
    ("icons/app-192.png", "192x192", "image/png", "any"),
    ("icons/app-512.png", "512x512", "image/png", "any"),
    ("icons/app-maskable-512.png", "512x512", "image/png", "maskable"),
    ("icons/app.svg", "any", "image/svg+xml", "any"),
]
# What the app needs to draw a kept page and the offline pages without a network. The service
# worker also keeps every other static file it fetches while online (the stylesheets a page type
# adds), so this list is the minimum, not all.
SHELL_STATIC = [
    "css/portal.css",
    "css/print.css",
    "css/recordings.css",
    "css/favourites.css",
    "js/portal.js",
    "js/favourites.js",
    "js/sw-register.js",
    "favicon.svg",
    *(icon[0] for icon in ICONS),
]
DAY = 24 * 60 * 60


@require_GET
@cache_control(public=True, max_age=300)
def favourites_page(request):
    return render(request, "kompetanse/favourites.html")


@require_GET
@cache_control(public=True, max_age=300)
def offline_page(request):
    return render(request, "offline.html")


@require_GET
@never_cache
def page_status(request):
    """{"sider": {"<id>": {"publisert": <unix seconds>, "publisert_tekst": "…", "url": "…"}}}
    for the requested pages that are published and public; a page missing from the answer is no
    longer published (or never was)."""
    raw = request.GET.getlist("side")
    if not raw:
        return JsonResponse({"feil": "Oppgi minst én side (side=<id>)."}, status=400)
    if len(raw) > MAX_STATUS_PAGES:
        return JsonResponse({"feil": f"Spør om høyst {MAX_STATUS_PAGES} sider om gangen."}, status=400)
    if not all(value.isascii() and value.isdigit() and len(value) <= 12 for value in raw):
        return JsonResponse({"feil": "Sidene må oppgis som tall (side=<id>)."}, status=400)
    ids = {int(value) for value in raw}
    pages = KnowledgePage.objects.live().public().filter(pk__in=ids)
    answer = {}
    for page in pages:
        published = page.last_published_at
        answer[str(page.pk)] = {
            "publisert": int(published.timestamp()) if published else None,
            "publisert_tekst": published_label(published),
            "url": page.get_url(request),
        }
    return JsonResponse({"sider": answer})


def published_label(moment):
    """«5. mai 2026 kl. 14.03» in the portal's time zone, as templates/includes/favourite_button.html shows it."""
    if moment is None:
        return ""
    return dateformat.format(timezone.localtime(moment), r"j. F Y \k\l. H.i")


@require_GET
@cache_control(public=True, max_age=DAY)
def manifest(request):
    data = {
        "id": "/",
        "name": "Kompetanseportalen",
        "short_name": "Kompetanse",
        "description": "Prosedyrer, samarbeidsanbefalinger og gode eksempler fra helsefellesskapene, "
        "også til lesing uten nett.",
        "lang": "nb",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": kind, "purpose": purpose}
            for path, sizes, kind, purpose in ICONS
        ],
        "shortcuts": [{"name": "Mine favoritter", "url": reverse("favourites")}],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/manifest+json; charset=utf-8",
    )


@require_GET
def service_worker(request):
    """The service worker, served from the site root so that its scope is the whole site.

    Its text names the shell's files and a version made from their contents: when a stylesheet
    or script changes, the worker's bytes change, the browser installs it again and the old
    shell cache is dropped. Never cached by the browser's HTTP cache (no-cache), so an update
    is seen at the next visit.
    """
    shell = shell_urls()
    context = {
        "version": shell_version(),
        "shell_json": json.dumps(shell),
        "page_cache_json": json.dumps(PAGE_CACHE),
        "offline_url_json": json.dumps(reverse("offline")),
        "static_prefix_json": json.dumps(static("")),
        "media_images_json": json.dumps(f"{settings.MEDIA_URL}images/"),
    }
    response = render(request, "kompetanse/sw.js", context, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def shell_urls():
    return [static(path) for path in SHELL_STATIC] + [reverse("favourites"), reverse("offline")]


@cache
def shell_version():
    """A short hash of the shell's static files (read once per process: they change with a deploy)."""
    digest = hashlib.sha256()
    for path in SHELL_STATIC:
        found = finders.find(path)
        if found:
            with open(found, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()[:12]
