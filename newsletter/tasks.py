"""The newsletter's e-mails, sent off the request: confirmations, and issues, never twice.

A confirmation is enqueued by the subscribe form. An issue: the send button only marks it as
being sent and enqueues ``send_issue`` when that commits.
Each subscriber's delivery row is written (and committed) before the e-mail goes: a task that is
run again, by a retry or by hand, skips everyone who has a row. An e-mail that fails has its row
taken back, and the task is tried again later for those alone. A worker that dies between sending
and noting it leaves a row marked «Sendes»: that subscriber may have had the issue, so they are
not sent it again; a newsletter missed is better than one received twice.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from core.background import retry_later
from kompetanse.models import Topic
from newsletter import compose, mail
from newsletter.models import Delivery, Issue, Subscriber

logger = logging.getLogger(__name__)

# With the back-off of core.background this is about a day; a confirmation is worth less than
# an hour's tries (the reader is waiting for it, and may ask again).
MAX_ATTEMPTS = 24
CONFIRMATION_ATTEMPTS = 6


@task()
def send_confirmation(subscriber_id, topic_ids, attempt=1):
    """The confirmation e-mail with its link: a mail server that is down makes no error page for
    the reader, who has been told to look in their inbox; it is tried again later."""
    subscriber = Subscriber.objects.select_related("community").filter(pk=subscriber_id).first()
    if subscriber is None:
        return {"sent": 0, "skipped": "the subscriber is gone"}
    topics = list(Topic.objects.filter(pk__in=topic_ids).order_by("name"))
    try:
        mail.send_confirmation(subscriber, topics)
    except Exception as exc:
        logger.warning("Newsletter confirmation to subscriber %s could not be sent: %s", subscriber.pk, exc)
        run_after = None
        if attempt < CONFIRMATION_ATTEMPTS:
            run_after = retry_later(send_confirmation, attempt, subscriber_id, topic_ids)
        return {"sent": 0, "retry_at": run_after.isoformat() if run_after else None}
    return {"sent": 1}


def _claim(issue, subscriber):
    """The subscriber's delivery row, written now; None when there already is one."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(issue=issue, subscriber=subscriber)
    except IntegrityError:
        return None


@task()
def send_issue(issue_id, attempt=1):
    issue = Issue.objects.select_related("community").filter(pk=issue_id).first()
    if issue is None or issue.status != Issue.Status.SENDING:
        return {"sent": 0, "skipped": "the issue is not being sent"}
    # The issue as each choice of topics gets it, worked out once per choice.
    by_topics = {frozenset(): compose.sections(issue)}
    subscribers = (
        Subscriber.objects.filter(community=issue.community, confirmed_at__isnull=False)
        .exclude(deliveries__issue=issue)
        .prefetch_related("topics")
        .order_by("pk")
    )
    sent = failed = 0
    for subscriber in subscribers:
        topics = list(subscriber.topics.all())
        key = frozenset(topic.pk for topic in topics)
        if key not in by_topics:
            by_topics[key] = compose.sections(issue, topics)
        sections = by_topics[key]
        delivery = _claim(issue, subscriber)
        if delivery is None:
            continue  # another run has it
        if not sections:
            Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.NOTHING)
            continue
        try:
            mail.issue_message(issue, subscriber, sections).send()
        except Exception as exc:
            logger.warning(
                "Newsletter issue %s could not be sent to subscriber %s: %s", issue.pk, subscriber.pk, exc
            )
            delivery.delete()
            failed += 1
            continue
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENT, sent_at=timezone.now())
        sent += 1
    if failed:
        run_after = retry_later(send_issue, attempt, issue_id) if attempt < MAX_ATTEMPTS else None
        if run_after is not None:
            return {"sent": sent, "failed": failed, "retry_at": run_after.isoformat()}
        logger.error(
            "Newsletter issue %s was not sent to %s subscribers after %s attempts.", issue.pk, failed, attempt
        )
    Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENDING).update(
        status=Issue.Status.SENT,
        sent_at=timezone.now(),
        recipient_count=Delivery.objects.filter(issue=issue, status=Delivery.Status.SENT).count(),
    )
    return {"sent": sent, "failed": failed}
