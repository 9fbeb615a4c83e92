"""Wagtail's site-history report with its entry count named truthfully.

The report lists page, model and the lifecycle app's log entries in one union queryset. A union
takes the model of its first part, so Wagtail's paginator counted all of them under whichever log
model came first («16 model log entries», «16 loggføringer for tilbakemeldinger og abonnementer»).
Wagtail has no setting for the label, so the view is the same one with a paginator that names
entries of any kind; site/urls.py serves it at Wagtail's own addresses.

Its «Bruker» filter listed every user who had made a page log entry, in any community (Wagtail
7.4 takes them from all page log entries): it offers the users of the entries the viewer may see.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.paginator import WagtailPaginator

from core.wagtail_internals import LogEntriesView, SiteHistoryReportFilterSet, get_users_for_filter


class LogEntriesPaginator(WagtailPaginator):
    verbose_name = _("log entry")
    verbose_name_plural = _("log entries")


class SiteHistoryFilterSet(SiteHistoryReportFilterSet):
    def get_users_queryset(self):
        return get_users_for_filter(self.request.user)


class SiteHistoryView(LogEntriesView):
    paginator_class = LogEntriesPaginator
    filterset_class = SiteHistoryFilterSet
