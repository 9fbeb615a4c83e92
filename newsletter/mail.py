"""The newsletter's e-mails and the signed links in them, in Norwegian.

The links follow «Følg endringer» (lifecycle/notify.py): a subscriber's id signed with a salt for
each purpose. The confirmation link also carries the topics asked for, so nothing about a
subscription changes until the owner of the address opens it, and it expires; the unsubscribe link
never does.
"""

from django.core import signing
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from core.links import absolute_url, public_page_url
from newsletter.models import Subscriber

CONFIRM_SALT = "newsletter.subscriber.confirm"
UNSUBSCRIBE_SALT = "newsletter.subscriber.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600


class LinkExpired(Exception):
    pass


def confirm_token(subscriber, topic_ids):
    return signing.dumps({"s": subscriber.pk, "t": sorted(topic_ids)}, salt=CONFIRM_SALT)


def from_confirm_token(token):
    """``(subscriber, topic ids)``, or ``(None, [])`` for a link that is not ours or whose
    subscriber is gone; ``LinkExpired`` for one of ours that is too old."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        return None, []
    if not isinstance(data, dict) or not isinstance(data.get("t"), list):
        return None, []
    return Subscriber.objects.filter(pk=data.get("s")).first(), [t for t in data["t"] if isinstance(t, int)]


def unsubscribe_token(subscriber):
    return signing.dumps(subscriber.pk, salt=UNSUBSCRIBE_SALT)


def from_unsubscribe_token(token):
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Subscriber.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def is_our_unsubscribe_token(token):
    try:
        signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return False
    return True


def unsubscribe_url(subscriber):
    return absolute_url(reverse("newsletter:unsubscribe", args=[unsubscribe_token(subscriber)]))


def send_confirmation(subscriber, topics):
    confirm_url = absolute_url(
        reverse("newsletter:confirm", args=[confirm_token(subscriber, [t.pk for t in topics])])
    )
    context = {"community": subscriber.community, "topics": topics, "confirm_url": confirm_url}
    message = EmailMessage(
        subject=f"Bekreft at du vil ha nyhetsbrevet fra {subscriber.community.title}",
        body=render_to_string("newsletter/email/confirm.txt", context),
        to=[subscriber.email],
    )
    return message.send()


def issue_context(issue, sections, unsubscribe=None):
    return {
        "issue": issue,
        "community": issue.community,
        "sections": [
            (heading, [{"item": item, "page": page, "url": public_page_url(page)} for item, page in entries])
            for heading, entries in sections
        ],
        "unsubscribe_url": unsubscribe,
        "community_url": public_page_url(issue.community),
    }


def issue_message(issue, subscriber, sections):
    """The issue for one subscriber: a plain text and an HTML part, and the one-click unsubscribe
    of RFC 8058 (the mail client POSTs ``List-Unsubscribe=One-Click`` to the address)."""
    unsubscribe = unsubscribe_url(subscriber)
    context = issue_context(issue, sections, unsubscribe)
    message = EmailMultiAlternatives(
        subject=issue.subject,
        body=render_to_string("newsletter/email/issue.txt", context),
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("newsletter/email/issue.html", context), "text/html")
    return message
