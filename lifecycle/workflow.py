"""WAGTAIL_FINISH_WORKFLOW_ACTION target.

Wagtail imports this while its own models are being defined, so nothing may be imported at
module level here; the work is done in lifecycle.review.
"""


def publish_approved_workflow_state(workflow_state, user=None):
    """Approving a page in the workflow counts as a review; then the approved revision is published."""
    # Inside the function (see above; allowed in tests/test_dependencies.py): at import time
    # Wagtail's models, which lifecycle.review needs, are not defined yet.
    from lifecycle.review import publish_approved_workflow_state as publish

    return publish(workflow_state, user=user)
