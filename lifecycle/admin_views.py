"""Admin views: "revidert uten endringer" and the review-status report."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permissions import page_permission_policy

from kompetanse.models import CONTENT_MODELS, KIND_LABELS, CommunityHomePage, ContentOwner, KnowledgePage
from kompetanse.owners import choosable_owners
from kompetanse.review import ReviewStatus
from lifecycle.review import (
    community_name,
    community_names,
    distance_in_words,
    editable_pages,
    mark_reviewed_without_changes,
    open_report_counts,
    today,
)


def mark_reviewed(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, KnowledgePage) or not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.method == "POST":
        try:
            mark_reviewed_without_changes(page, request.user)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            page.refresh_from_db()
            messages.success(
                request,
                f"«{page.title}» er markert som revidert uten endringer. Neste revisjon: "
                f"{page.next_review:%d.%m.%Y}.",
            )
        return redirect(next_url or reverse("wagtailadmin_explore", args=[page.get_parent().pk]))
    return TemplateResponse(
        request, "lifecycle/admin/confirm_reviewed.html", {"page": page, "next": next_url}
    )


# --- report ----------------------------------------------------------------------------------

# The report's address names a status in the readers' language (?status=forfalt; the dashboard
# links to it); the status itself is a kompetanse.review.ReviewStatus.
STATUS_URL_VALUES = {
    ReviewStatus.OVERDUE: "forfalt",
    ReviewStatus.DUE_SOON: "snart",
    ReviewStatus.OK: "ok",
    ReviewStatus.MISSING: "mangler",
}
HAS_OPEN_REPORTS = "tilbakemelding"
STATUS_CHOICES = [(value, status.label) for status, value in STATUS_URL_VALUES.items()] + [
    (HAS_OPEN_REPORTS, "Har åpne tilbakemeldinger"),
]
STATUS_FOR_URL_VALUE = {value: status for status, value in STATUS_URL_VALUES.items()}


def community_choices(user):
    """The communities whose pages the report lists for ``user``: those they may edit, by the rule
    of ``editable_pages`` (administrators: all). Another team's community, and a community not yet
    published, is not named to a local team."""
    editable = page_permission_policy.instances_user_has_permission_for(user, "change")
    homes = CommunityHomePage.objects.filter(pk__in=editable.values("pk")).order_by("title")
    return [(home.slug, home.title) for home in homes]


class ReviewReportFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Revisjonsstatus", choices=STATUS_CHOICES, method="filter_status"
    )
    community = django_filters.ChoiceFilter(label="Helsefellesskap", choices=[], method="filter_community")
    kind = django_filters.ChoiceFilter(label="Type", choices=list(KIND_LABELS.items()), method="filter_kind")
    content_owner = django_filters.ModelChoiceFilter(
        label="Innholdsansvarlig", queryset=ContentOwner.objects.order_by("name")
    )

    class Meta:
        model = KnowledgePage
        fields = ["content_owner"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # The choices the user may see: their own communities, and the owners their page chooser
        # offers (kompetanse.owners, where the rule lives).
        user = request.user
        self.filters["community"].extra["choices"] = community_choices(user)
        self.filters["content_owner"].queryset = choosable_owners(user).order_by("name")

    def filter_status(self, queryset, name, value):
        if value == HAS_OPEN_REPORTS:
            return queryset.filter(open_reports__gt=0)
        status = STATUS_FOR_URL_VALUE.get(value)
        return queryset.filter(status.condition(today())) if status else queryset

    def filter_community(self, queryset, name, value):
        community = CommunityHomePage.objects.filter(slug=value).first()
        return queryset.filter(path__startswith=community.path) if community else queryset.none()

    def filter_kind(self, queryset, name, value):
        model = CONTENT_MODELS.get(value)
        return queryset.filter(content_type__model=model._meta.model_name) if model else queryset


class ReviewDateColumn(Column):
    """A date as a date («16.12.2026»), with how far off it is («om 14 dager»); a review date
    that has passed says «forfalt» («forfalt for 2 måneder siden»)."""

    cell_template_name = "lifecycle/admin/review_date_cell.html"

    def __init__(self, name, *, due=False, **kwargs):
        super().__init__(name, **kwargs)
        self.due = due

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        date = context["value"]
        if date:
            words = distance_in_words(date)
            context["distance"] = f"forfalt {words}" if self.due and date < today() else words
        return context


class ReviewReportView(ReportView):
    page_title = "Revisjonsstatus"
    header_icon = "time"
    index_url_name = "lifecycle_review_report"
    index_results_url_name = "lifecycle_review_report_results"
    filterset_class = ReviewReportFilterSet
    permission_policy = page_permission_policy
    any_permission_required = ["add", "change", "publish"]
    results_template_name = "wagtailadmin/reports/base_report_results.html"
    no_results_message = "Ingen sider passer til utvalget."
    columns = [
        TitleColumn(
            "title",
            label="Side",
            width="28%",
            get_url=lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk]),
        ),
        Column("kind_label", label="Type"),
        Column("community_name", label="Helsefellesskap"),
        Column("owner_name", label="Innholdsansvarlig"),
        ReviewDateColumn("last_reviewed", label="Sist revidert"),
        ReviewDateColumn("next_review", label="Neste revisjon", due=True),
        Column("status_label", label="Status"),
        Column("open_reports", label="Åpne tilbakemeldinger"),
    ]
    list_export = [
        "title",
        "kind_label",
        "community_name",
        "owner_name",
        "owner_email",
        "last_reviewed",
        "next_review",
        "status_label",
        "open_reports",
        "public_url",
    ]
    export_headings = {
        "title": "Tittel",
        "kind_label": "Type",
        "community_name": "Helsefellesskap",
        "owner_name": "Innholdsansvarlig",
        "owner_email": "E-post innholdsansvarlig",
        "last_reviewed": "Sist revidert",
        "next_review": "Neste revisjon",
        "status_label": "Status",
        "open_reports": "Åpne tilbakemeldinger",
        "public_url": "Adresse",
    }

    def get_filename(self):
        return f"revisjonsstatus-{today():%Y-%m-%d}"

    def get_queryset(self):
        pages = open_report_counts(editable_pages(self.request.user))
        return pages.select_related("content_owner", "content_type").order_by(
            F("next_review").asc(nulls_first=True), "title"
        )

    def decorate_paginated_queryset(self, object_list):
        names = community_names()
        on = today()
        for page in object_list:
            model = page.content_type.model_class()
            page.kind_label = KIND_LABELS.get(getattr(model, "content_kind", ""), "")
            page.community_name = community_name(page, names)
            page.owner_name = page.content_owner.name if page.content_owner else ""
            page.owner_email = page.content_owner.email if page.content_owner else ""
            page.status_label = ReviewStatus.of(page.next_review, on).label
            page.public_url = page.full_url or ""
        return object_list
