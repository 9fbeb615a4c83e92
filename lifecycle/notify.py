"""The emails the lifecycle sends. Plain text, Norwegian, one message per recipient."""

import logging
from contextvars import ContextVar

from django.core import signing
from django.core.mail import EmailMessage
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse

from core.links import absolute_url, public_page_url
from kompetanse import registry
from kompetanse.models.base import COMMUNITY_DEPTH
from lifecycle.models import Subscription
from lifecycle.review import owner_address, publishers_for

logger = logging.getLogger(__name__)

SUBSCRIPTION_SALT = {
    "confirm": "lifecycle.subscription.confirm",
    "unsubscribe": "lifecycle.subscription.stop",
}


def page_edit_url(page):
    return absolute_url(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def send(to, subject, template, context, headers=None):
    body = render_to_string(template, context)
    message = EmailMessage(subject=subject, body=body, to=[to], headers=headers or {})
    return message.send()


# --- subscriptions -------------------------------------------------------------------------


def subscription_token(subscription, purpose):
    return signing.dumps(subscription.pk, salt=SUBSCRIPTION_SALT[purpose])


def subscription_from_token(token, purpose):
    try:
        pk = signing.loads(token, salt=SUBSCRIPTION_SALT[purpose])
    except signing.BadSignature:
        return None
    return Subscription.objects.filter(pk=pk).first()


def unsubscribe_url(subscription):
    return absolute_url(
        reverse("lifecycle:unsubscribe", args=[subscription_token(subscription, "unsubscribe")])
    )


def send_subscription_confirmation(subscription):
    target = subscription.target.specific
    confirm_url = absolute_url(
        reverse("lifecycle:confirm", args=[subscription_token(subscription, "confirm")])
    )
    return send(
        subscription.email,
        f"Bekreft at du vil følge endringer: {target.title}",
        "lifecycle/email/confirm_subscription.txt",
        {"target": target, "subscription": subscription, "confirm_url": confirm_url},
    )


# {"subscriptions": [...], "communities": {path prefix: community}} inside a block of many
# publishes (subscriptions_read_once); None outside one.
_read_once = ContextVar("lifecycle_subscriptions_read_once", default=None)


def subscriptions_read_once():
    """While a block publishes many pages in one transaction (an import:
    ``kompetanse.registry.bulk_writes``), ``change_notice_subscriptions`` reads the confirmed
    subscriptions and each community once, not once per page. Nothing in such a block subscribes."""
    return registry.read_once_block(_read_once)


# Page subscriptions first, so the unsubscribe link in the email is the most specific one.
SUBSCRIPTION_ORDER = (F("community_id").asc(nulls_first=True), "pk")


def change_notice_subscriptions(page):
    """The confirmed subscriptions to tell about a change of ``page``: one per e-mail address."""
    held = _read_once.get()
    candidates = _queried_subscriptions(page) if held is None else _held_subscriptions(page, held)
    by_email = {}
    for subscription in candidates:
        by_email.setdefault(subscription.email.lower(), subscription)
    return list(by_email.values())


def _queried_subscriptions(page):
    """The page's and its community's confirmed subscriptions, in ``SUBSCRIPTION_ORDER``."""
    community = page.community
    subscriptions = Subscription.objects.filter(confirmed_at__isnull=False, page_id=page.pk)
    if community is not None:
        subscriptions = subscriptions | Subscription.objects.filter(
            confirmed_at__isnull=False, community_id=community.pk
        )
    return subscriptions.order_by(*SUBSCRIPTION_ORDER)


def send_change_notices(page, version, subscriptions):
    """One short email per subscription about a published change; returns those that failed.

    ``page`` is the page as published in ``version``. A failure (the mail server down, an
    address refused) is logged and leaves the others to be sent; the caller may try again.
    """
    previous = version.previous()
    if previous is not None:
        link = absolute_url(
            reverse("lifecycle:diff", args=[page.pk])
            + f"?fra={previous.revision_id}&til={version.revision_id}"
        )
    else:
        link = public_page_url(page)
    failed = []
    for subscription in subscriptions:
        url = unsubscribe_url(subscription)
        try:
            send(
                subscription.email,
                f"{'Endret' if previous else 'Ny side'}: {page.title}",
                "lifecycle/email/change_notice.txt",
                {
                    "page": page,
                    "version": version,
                    "is_new": previous is None,
                    "link": link,
                    "page_url": public_page_url(page),
                    "unsubscribe_url": url,
                    "subscription": subscription,
                },
                headers={"List-Unsubscribe": f"<{url}>"},
            )
        except Exception as exc:
            logger.warning(
                "Change notice for page %s could not be sent to subscription %s: %s",
                page.pk,
                subscription.pk,
                exc,
            )
            failed.append(subscription)
    return failed


# --- error reports -------------------------------------------------------------------------


def report_recipients(page):
    recipients = []
    owner = owner_address(page)
    if owner:
        recipients.append(owner)
    for user in publishers_for(page):
        if user.email.lower() not in {r.lower() for r in recipients}:
            recipients.append(user.email)
    return recipients


def send_error_report(report):
    page = report.page.specific
    admin_url = absolute_url(reverse("wagtailsnippets_lifecycle_errorreport:edit", args=[report.pk]))
    sent = 0
    for recipient in report_recipients(page):
        sent += send(
            recipient,
            f"Tilbakemelding om feil eller mangler: {page.title}",
            "lifecycle/email/error_report.txt",
            {"page": page, "report": report, "admin_url": admin_url, "page_url": public_page_url(page)},
        )
    return sent


def _held_subscriptions(page, held):
    """``_queried_subscriptions`` from the rows read once in a ``subscriptions_read_once`` block:
    the same subscriptions in the same order."""
    if "subscriptions" not in held:
        confirmed = Subscription.objects.filter(confirmed_at__isnull=False)
        held["subscriptions"] = list(confirmed.order_by(*SUBSCRIPTION_ORDER))
        held["communities"] = {}
    # A page's community is the home at the top of its path (kompetanse.models.community_of).
    prefix = page.path[: COMMUNITY_DEPTH * page.steplen]
    if prefix not in held["communities"]:
        held["communities"][prefix] = page.community
    community = held["communities"][prefix]
    return [
        subscription
        for subscription in held["subscriptions"]
        if subscription.page_id == page.pk
        or (community is not None and subscription.community_id == community.pk)
    ]
