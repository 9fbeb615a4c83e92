"""Review reminders: owners and publishers hear about pages due within 30 days or overdue."""

import datetime

from django.db import IntegrityError, transaction

from kompetanse.models import KnowledgePage
from lifecycle import notify
from lifecycle.models import ReviewReminder
from lifecycle.review import (
    REMINDER_DAYS,
    community_name,
    community_names,
    owner_address,
    publishers_for,
    today,
)


def due_pages(on=None, within=REMINDER_DAYS):
    on = on or today()
    return (
        KnowledgePage.objects.live()
        .filter(next_review__lte=on + datetime.timedelta(days=within))
        .select_related("content_owner", "content_type")
        .order_by("next_review", "title")
    )


def plan_reminders(on=None):
    """{recipient email: [item, …]} for everything not reminded before for this due date."""
    on = on or today()
    names = community_names()
    plan = {}
    for page in due_pages(on):
        owner = owner_address(page)
        recipients = ([owner] if owner else []) + [user.email for user in publishers_for(page)]
        already = set(
            ReviewReminder.objects.filter(page_id=page.pk, due_date=page.next_review).values_list(
                "recipient", flat=True
            )
        )
        model = page.content_type.model_class()
        item = {
            "page": page,
            "kind": str(model._meta.verbose_name).capitalize() if model else "",
            "community": community_name(page, names),
            "overdue": page.next_review < on,
            "owner_missing": not owner,
            "edit_url": notify.page_edit_url(page),
        }
        seen = set()
        for recipient in recipients:
            key = recipient.lower()
            if key in seen or recipient in already:
                continue
            seen.add(key)
            plan.setdefault(recipient, []).append(item)
    return plan


def send_review_reminders(on=None, dry_run=False):
    """Send one email per recipient; returns {recipient: number of pages}."""
    plan = plan_reminders(on)
    result = {}
    for recipient, items in plan.items():
        result[recipient] = len(items)
        if dry_run:
            continue
        subject = (
            f"Kompetanseportalen: {len(items)} sider skal revideres"
            if len(items) > 1
            else f"Kompetanseportalen: «{items[0]['page'].title}» skal revideres"
        )
        notify.send(
            recipient,
            subject,
            "lifecycle/email/review_reminder.txt",
            {"items": items, "days": REMINDER_DAYS},
        )
        for item in items:
            try:
                with transaction.atomic():
                    ReviewReminder.objects.create(
                        page_id=item["page"].pk, due_date=item["page"].next_review, recipient=recipient
                    )
            except IntegrityError:  # another run got there first
                pass
    return result
