"""The newsletter tests' places and people: two communities and the shared section, topics, pages
published at chosen moments, and subscribers who have confirmed."""

import datetime
import re
import time

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from core.public_forms import form_token
from kompetanse.communities import ensure_community
from kompetanse.factories import TopicFactory
from newsletter.models import Subscriber


def communities():
    return {
        "oslo": ensure_community("oslo", "Helsefellesskap Oslo"),
        "ahus": ensure_community("ahus", "Helsefellesskapet Ahus-området"),
        "sentral": ensure_community("sentral", "Felles innhold"),
        "legemidler": TopicFactory(name="Legemidler", slug="legemidler"),
        "rus": TopicFactory(name="Rus", slug="rus"),
    }


def ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def published(page, *, first, last=None):
    """The page as if first published ``first`` days ago and last published ``last`` days ago."""
    Page.objects.filter(pk=page.pk).update(
        first_published_at=ago(first), last_published_at=ago(last or first)
    )
    return Page.objects.get(pk=page.pk).specific


def old_token(community):
    """A form token issued a minute ago: neither too fast nor too old."""
    return form_token(community.pk, issued_at=time.time() - 60)


def subscribe(client, community, email="leser@example.no", topics=(), **extra):
    data = {
        "epost": email,
        "fagomrader": [t.pk for t in topics],
        "nettsted": "",
        "skjema": old_token(community),
    }
    data.update(extra.pop("data", {}))
    return client.post(reverse("newsletter:subscribe", args=[community.slug]), data, **extra)


def link_in(message, name):
    """The path of the newsletter link ``name`` (confirm, unsubscribe) in a plain text e-mail."""
    prefix = reverse(f"newsletter:{name}", args=["TOKEN"]).replace("TOKEN/", "")
    match = re.search(re.escape(prefix) + r"(\S+?)/(\s|$)", message.body)
    assert match, message.body
    return prefix + match.group(1) + "/"


def confirmed_subscriber(client, community, email, topics=()):
    """Subscribe through the form and confirm through the e-mailed link, as a reader does."""
    subscribe(client, community, email, topics)
    client.post(link_in(mail.outbox[-1], "confirm"))
    mail.outbox.clear()
    return Subscriber.objects.get(community=community, email=email)
