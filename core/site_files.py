"""Files every web site is asked for at its root: /robots.txt and /favicon.ico."""

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

DAY = 24 * 60 * 60


@require_GET
@cache_control(public=True, max_age=DAY)
def robots_txt(request):
    """Everything public may be indexed (admin and drafts answer only to logged-in users);
    the sitemap's address carries the host the request came to, for each community's site."""
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Allow: /", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=7 * DAY)
def favicon_ico(request):
    """The portal's icon (static/favicon.ico) where browsers look for it without a <link>."""
    path = finders.find("favicon.ico")
    if path is None:
        raise Http404("favicon.ico")
    with open(path, "rb") as icon:
        return HttpResponse(icon.read(), content_type="image/vnd.microsoft.icon")
