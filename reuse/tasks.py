"""Background work of the reuse app: bringing live copies level with their source.

A publish of a page that others use as is or with local additions enqueues this task when it
commits (``reuse.signals``); the copies are updated and published from the worker, so the
source's editor does not wait for every community's copy.
"""

from django.db import transaction
from django_tasks import task

from kompetanse.models import KnowledgePage
from reuse.adopting import sync_live_copies


@task()
def update_live_copies(source_id):
    """Give the live copies of page ``source_id`` its published content, all or none of them.

    Reads the source as it is when the task runs; copies already based on its live revision are
    left alone, so a task that runs twice or late publishes nothing twice.
    """
    source = KnowledgePage.objects.filter(pk=source_id).live().first()
    if source is None:
        return {"updated": [], "skipped": "the source is no longer published"}
    with transaction.atomic():
        return {"updated": sync_live_copies(source)}
