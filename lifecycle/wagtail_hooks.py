"""Admin integration: dashboard panel, report, "revidert uten endringer", error reports."""

from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.permissions import page_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView

from kompetanse.models import KnowledgePage
from kompetanse.review import ReviewStatus
from lifecycle import admin_views
from lifecycle.models import CommunityRowLogEntry, ErrorReport, Subscription
from lifecycle.review import (
    DASHBOARD_DAYS,
    community_name,
    community_names,
    review_list,
    today,
)
from lifecycle.snippets import CommunityRowDeleteBulkAction, CommunityRowViewSet


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("livslop/revidert/<int:page_id>/", admin_views.mark_reviewed, name="lifecycle_mark_reviewed"),
        path("rapporter/revisjon/", admin_views.ReviewReportView.as_view(), name="lifecycle_review_report"),
        path(
            "rapporter/revisjon/resultater/",
            admin_views.ReviewReportView.as_view(results_only=True),
            name="lifecycle_review_report_results",
        ),
    ]


class ReviewReportMenuItem(MenuItem):
    def is_shown(self, request):
        return page_permission_policy.user_has_any_permission(request.user, ["add", "change", "publish"])


@hooks.register("register_reports_menu_item")
def register_review_report_menu_item():
    return ReviewReportMenuItem(
        "Revisjonsstatus",
        reverse("lifecycle_review_report"),
        name="revisjonsstatus",
        icon_name="time",
        order=650,
    )


class ReviewDashboardPanel(Component):
    """ "Til revisjon": the user's pages that are overdue, due within 60 days or have open reports."""

    name = "til_revisjon"
    template_name = "lifecycle/admin/dashboard_panel.html"
    order = 150

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        on = today()
        names = community_names()
        pages = list(review_list(self.request.user, on)[:50])
        for page in pages:
            page.status = ReviewStatus.of(page.next_review, on)
            page.community_name = community_name(page, names)
        # Overdue is the urgent part: readers already see a warning on those pages. It is counted
        # over all of them, not only the fifty listed.
        overdue = review_list(self.request.user, on).filter(ReviewStatus.OVERDUE.condition(on)).count()
        return {
            "pages": pages,
            "overdue": overdue,
            "days": DASHBOARD_DAYS,
            "report_url": reverse("lifecycle_review_report"),
            "overdue_url": reverse("lifecycle_review_report")
            + "?status="
            + admin_views.STATUS_URL_VALUES[ReviewStatus.OVERDUE],
        }


@hooks.register("construct_homepage_panels")
def add_review_panel(request, panels):
    if page_permission_policy.user_has_any_permission(request.user, ["add", "change", "publish"]):
        panels.append(ReviewDashboardPanel(request))


def _reviewed_button(page, user, next_url=None):
    if (
        not issubclass(page.specific_class or object, KnowledgePage)
        or not page.live
        or page.has_unpublished_changes
    ):
        return
    if not page.permissions_for_user(user).can_publish():
        return
    url = reverse("lifecycle_mark_reviewed", args=[page.pk])
    if next_url:
        url += f"?next={next_url}"
    yield Button("Revidert uten endringer", url, icon_name="tick", priority=45)


@hooks.register("register_page_listing_more_buttons")
def page_listing_reviewed_button(page, user, next_url=None):
    yield from _reviewed_button(page, user, next_url)


@hooks.register("register_page_header_buttons")
def page_header_reviewed_button(page, user, view_name=None, next_url=None):
    yield from _reviewed_button(page, user, next_url)


@hooks.register("register_log_actions")
def register_lifecycle_log_actions(actions):
    actions.register_action(
        "lifecycle.reviewed", "Revidert uten endringer", "Markert som revidert uten endringer"
    )
    for model in (ErrorReport, Subscription):
        actions.register_model(model, CommunityRowLogEntry)


# --- error reports and subscriptions in the admin ---------------------------------------------


def _received_for_export(value):
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")


class ErrorReportIndexView(IndexView):
    # Readers write in Norway: the export gives the local time, not UTC.
    custom_field_preprocess = {
        "created_at": {
            "csv": _received_for_export,
            "xlsx": lambda value: timezone.localtime(value).replace(tzinfo=None),
        }
    }


class ErrorReportViewSet(CommunityRowViewSet):
    model = ErrorReport
    icon = "warning"
    menu_label = "Tilbakemeldinger"
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = ErrorReportIndexView
    list_display = ["__str__", "page", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["message"]
    ordering = ["-created_at"]
    list_export = [
        "created_at",
        "page.title",
        "page.full_url",
        "message",
        "email",
        "get_status_display",
        "internal_note",
    ]
    export_headings = {
        "created_at": "Mottatt",
        "page.title": "Side",
        "page.full_url": "Adresse",
        "message": "Hva er feil eller mangler",
        "email": "E-post til den som meldte fra",
        "get_status_display": "Status",
        "internal_note": "Intern merknad",
    }
    export_filename = "tilbakemeldinger"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("page")

    panels = [
        FieldPanel("page", read_only=True),
        FieldPanel("message", read_only=True),
        FieldPanel("email", read_only=True),
        FieldPanel("created_at", read_only=True),
        FieldPanel("status"),
        FieldPanel("internal_note"),
    ]


class SubscriptionViewSet(CommunityRowViewSet):
    model = Subscription
    icon = "mail"
    menu_label = "Abonnementer"
    add_to_settings_menu = True
    list_display = ["email", "page", "community", "confirmed_at"]
    search_fields = ["email"]
    ordering = ["-created_at"]


register_snippet(ErrorReportViewSet)
register_snippet(SubscriptionViewSet)
# After Wagtail's own snippet bulk delete (order 0), so that this one replaces it for these models.
hooks.register("register_bulk_action", CommunityRowDeleteBulkAction, order=1)
