"""Background work of the lifecycle app: telling subscribers about a published change.

The publish records the version (``lifecycle.signals``) and enqueues this task when it commits;
the e-mails go out from the worker, so a slow or absent mail server never holds up a publish.
"""

import logging

from django_tasks import task
from wagtail.models import Page

from core.background import retry_later
from lifecycle import notify
from lifecycle.models import PublishedVersion

logger = logging.getLogger(__name__)

# With the back-off of core.background this is about a day; a notice later than that is dropped.
MAX_ATTEMPTS = 24


@task()
def send_change_notices(version_id, attempt=1, subscription_ids=None):
    """E-mail the subscribers of a published version's page (or only ``subscription_ids``).

    Addresses that fail are tried again later, and only those, so nobody gets a notice twice.
    A version whose page was deleted or unpublished meanwhile is not announced.
    """
    version = PublishedVersion.objects.select_related("revision").filter(pk=version_id).first()
    if version is None or not Page.objects.filter(pk=version.page_id, live=True).exists():
        return {"sent": 0, "skipped": "the page is no longer published"}
    page = version.revision.as_object()
    subscriptions = notify.change_notice_subscriptions(page)
    if subscription_ids is not None:
        # Later attempts: the addresses still owed a notice that have not unsubscribed since.
        subscriptions = [s for s in subscriptions if s.pk in set(subscription_ids)]
    failed = notify.send_change_notices(page, version, subscriptions)
    result = {"sent": len(subscriptions) - len(failed)}
    if not failed:
        return result
    failed_ids = [s.pk for s in failed]
    run_after = None
    if attempt < MAX_ATTEMPTS:
        run_after = retry_later(send_change_notices, attempt, version_id, subscription_ids=failed_ids)
    if run_after is None:
        logger.error(
            "Change notices for page %s were not sent to subscriptions %s after %s attempts.",
            page.pk,
            failed_ids,
            attempt,
        )
        return {**result, "not_sent": failed_ids}
    return {**result, "retry_at": run_after.isoformat(), "retry_subscriptions": failed_ids}
