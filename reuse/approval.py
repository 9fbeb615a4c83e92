"""An adopted page goes through its community's approval workflow, like any other page.

An adapted page is edited, and sent to approval, in Wagtail's own edit view. A live copy (used as
is, or with local additions) is not edited there, since its text follows the source; for it,
«Send til godkjenning» starts the same workflow Wagtail's edit view starts (or resumes it after
«Be om endringer») on the page's latest revision. Approving runs Wagtail's own workflow action:
the approval publishes the page and sends the same notifications as for every other page.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

# The workflow actions the portal offers beside a live copy, with their Norwegian labels; the
# task decides who may take them (a GroupApprovalTask: its group, the community's publishers).
ACTION_LABELS = {"approve": "Godkjenn og publiser", "reject": "Be om endringer"}


def has_unpublished_content(page):
    return not page.live or page.has_unpublished_changes


def can_submit(page, user):
    permissions = page.permissions_for_user(user)
    return (
        permissions.can_edit() and permissions.can_submit_for_moderation() and has_unpublished_content(page)
    )


def can_publish(page, user):
    """Publishing directly, as Wagtail's «Publiser» does: for publishers, when no approval is under way."""
    return (
        page.permissions_for_user(user).can_publish()
        and page.current_workflow_state is None
        and has_unpublished_content(page)
    )


@transaction.atomic
def submit_for_approval(page, user):
    """Send `page` to its community's approval workflow, as Wagtail's edit view does on «Send til
    godkjenning»: a workflow sent back for changes is resumed, otherwise a new one starts."""
    page = page.specific
    if not can_submit(page, user):
        raise PermissionDenied
    if page.get_latest_revision() is None:
        page.save_revision(user=user, log_action=True)
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
    else:
        page.get_workflow().start(page, user)


def publish(page, user):
    page = page.specific
    if not can_publish(page, user):
        raise PermissionDenied
    page.get_latest_revision().publish(user=user, log_action=True)


def approval(page, user):
    """What the admin shows about a live copy's approval: its state, the last comment of a
    publisher who asked for changes, and what `user` may do now."""
    page = page.specific
    state = page.current_workflow_state
    task_state = state.current_task_state if state is not None else None
    actions = []
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS and task_state is not None:
        task = task_state.task.specific
        offered = {name for name, _label, _modal in task.get_actions(page, user)}
        actions = [
            {
                "name": name,
                "label": label,
                "url": reverse("wagtailadmin_pages:workflow_action", args=[page.pk, name, task_state.pk]),
            }
            for name, label in ACTION_LABELS.items()
            if name in offered
        ]
    rejected = None
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        rejected = (
            TaskState.objects.filter(workflow_state=state, status=TaskState.STATUS_REJECTED)
            .order_by("-finished_at")
            .first()
        )
    return {
        "page": page,
        "state": state,
        "in_progress": state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS,
        "needs_changes": rejected is not None,
        "comment": rejected.comment if rejected is not None else "",
        "task": task_state.task if task_state is not None else None,
        "actions": actions,
        "can_submit": can_submit(page, user),
        "can_publish": can_publish(page, user),
        "unpublished": has_unpublished_content(page),
    }
