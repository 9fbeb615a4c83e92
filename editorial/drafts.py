"""«Mine utkast»: the pages an editor started and never published, to finish or delete.

A page the editor created and left (autosave keeps it) stays in the tree as a draft; this report
finds them across the editor's community, with a link to edit and one to delete each.
"""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page, WorkflowState
from wagtail.permissions import page_permission_policy


class DeleteColumn(Column):
    cell_template_name = "editorial/delete_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = reverse("wagtailadmin_pages:delete", args=[instance.pk])
        context["title"] = instance.get_admin_display_title()
        return context


class MyDraftsView(ReportView):
    page_title = "Mine utkast"
    header_icon = "draft"
    index_url_name = "editorial_my_drafts"
    index_results_url_name = "editorial_my_drafts_results"
    permission_policy = page_permission_policy
    any_permission_required = ["add", "change", "publish"]
    results_template_name = "wagtailadmin/reports/base_report_results.html"
    no_results_message = "Du har ingen sider som aldri er publisert."
    list_export = []
    columns = [
        TitleColumn(
            "title",
            label="Side",
            width="45%",
            get_url=lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk]),
        ),
        DateColumn("latest_revision_created_at", label="Sist lagret"),
        Column("status_label", label="Status"),
        DeleteColumn("delete_link", label="Slett", accessor="pk"),
    ]

    def get_queryset(self):
        # Never published, owned by the editor, and still theirs to edit (a page moved out of
        # reach of the editor's team is not theirs to delete).
        editable = page_permission_policy.instances_user_has_permission_for(self.request.user, "change")
        return (
            editable.filter(owner=self.request.user, first_published_at__isnull=True, live=False)
            .exclude(depth__lte=2)
            .order_by("-latest_revision_created_at", "title")
        )

    def decorate_paginated_queryset(self, object_list):
        in_review = set(
            WorkflowState.objects.filter(
                base_content_type=ContentType.objects.get_for_model(Page),
                object_id__in=[str(page.pk) for page in object_list],
                status=WorkflowState.STATUS_IN_PROGRESS,
            ).values_list("object_id", flat=True)
        )
        for page in object_list:
            page.status_label = "Til godkjenning" if str(page.pk) in in_review else "Utkast"
        return object_list
