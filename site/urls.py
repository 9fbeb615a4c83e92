"""The portal's URL map: Wagtail's admin and documents, the sitemap, then the page tree."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from core.site_files import favicon_ico, robots_txt
from core.views import healthz
from editorial import tags, workflow_reports
from editorial.site_history import SiteHistoryView
from kompetanse import browse, offline

handler500 = "core.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Wagtail's site-history report with a truthful entry count (editorial/site_history.py),
    # at Wagtail's own addresses: these come first, so they answer for them.
    path("admin/reports/site-history/", SiteHistoryView.as_view()),
    path("admin/reports/site-history/results/", SiteHistoryView.as_view(results_only=True)),
    # The workflow reports' filters offer the workflows, tasks and users of their own rows
    # (editorial/workflow_reports.py).
    path("admin/reports/workflow/", workflow_reports.WorkflowView.as_view()),
    path("admin/reports/workflow/results/", workflow_reports.WorkflowView.as_view(results_only=True)),
    path("admin/reports/workflow_tasks/", workflow_reports.WorkflowTasksView.as_view()),
    path(
        "admin/reports/workflow_tasks/results/", workflow_reports.WorkflowTasksView.as_view(results_only=True)
    ),
    # The tag autocomplete offers the tags of the user's own images and documents (editorial/tags.py).
    path("admin/tag-autocomplete/", tags.autocomplete),
    path("admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/", tags.autocomplete),
    path("admin/", include(wagtailadmin_urls)),
    path("dokumenter/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon_ico, name="favicon_ico"),
    # Favourites, recently viewed and offline reading (kompetanse/offline.py); the service worker
    # is served from the root so that its scope is the whole site.
    path("mine-favoritter/", offline.favourites_page, name="favourites"),
    path("mine-favoritter/status/", offline.page_status, name="favourites_status"),
    path("frakoblet/", offline.offline_page, name="offline"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("sw.js", offline.service_worker, name="service_worker"),
    # Every procedure, recommendation and good example across communities (kompetanse/browse.py).
    path("alle/<slug:kind_slug>/", browse.browse_all, name="browse_all"),
    path("", include("search.urls")),
    path("innhold/", include("lifecycle.urls")),
    path("nyhetsbrev/", include("newsletter.urls")),
    path("", include("reuse.urls")),
]

if settings.DEBUG:
    from pathlib import Path

    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    # Of the media, only image renditions are public. Documents are served by Wagtail's view at
    # /dokumenter/, which checks who may read them, never from MEDIA_ROOT/documents/; the web
    # server in docs/deployment.md serves the same folder and no other.
    urlpatterns += static(f"{settings.MEDIA_URL}images/", document_root=Path(settings.MEDIA_ROOT) / "images")

urlpatterns += [path("", include(wagtail_urls))]
