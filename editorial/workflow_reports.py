"""Wagtail's two workflow reports with filters that name only what the report can list.

Their «Arbeidsflyt», «Oppgave» and «Forespurt av» filters offered every workflow and task of the
installation (each named after its community, one still being set up too) and every user who had
ever sent a page for approval, in any community. The reports list the workflows of the pages the
user may edit; here the filters offer the workflows, tasks and users of those rows. site/urls.py
serves these views at Wagtail's own addresses.
"""

from django.contrib.auth import get_user_model
from wagtail.models import Task, Workflow

from core import wagtail_internals


class OwnWorkflowReportFilterSet(wagtail_internals.WorkflowReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        states = self.queryset  # the report's rows (``RowsForFiltersMixin``)
        User = get_user_model()
        users = User.objects.filter(pk__in=states.values("requested_by")).order_by(User.USERNAME_FIELD)
        self.filters["requested_by"].queryset = users
        self.filters["workflow"].queryset = Workflow.objects.filter(pk__in=states.values("workflow"))


class OwnWorkflowTasksReportFilterSet(wagtail_internals.WorkflowTasksReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        task_states = self.queryset
        workflows = Workflow.objects.filter(pk__in=task_states.values("workflow_state__workflow"))
        self.filters["workflow"].queryset = workflows
        self.filters["task"].queryset = Task.objects.filter(pk__in=task_states.values("task"))


class RowsForFiltersMixin:
    """The report's filters are given the report's own rows, to offer choices from."""

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "queryset": self.get_queryset()}


class WorkflowView(RowsForFiltersMixin, wagtail_internals.WorkflowView):
    filterset_class = OwnWorkflowReportFilterSet


class WorkflowTasksView(RowsForFiltersMixin, wagtail_internals.WorkflowTasksView):
    filterset_class = OwnWorkflowTasksReportFilterSet
