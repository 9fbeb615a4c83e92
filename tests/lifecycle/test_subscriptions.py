"""“Følg endringer”: confirmation first, one short email per published change, never draft text."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from kompetanse.communities import ensure_community, listing_for
from kompetanse.factories import ProcedurePageFactory
from lifecycle.models import Subscription
from tests.lifecycle.helpers import old_token, oslo_publishing_team, publish, save_draft
from tests.worlds import built_once, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """Oslo's publishing team and a published procedure to follow, built once for the module."""
    with built_once(django_db_blocker):
        world = oslo_publishing_team()
        world["page"], _ = publish(
            ProcedurePageFactory(community="oslo", content_owner=world["owner"], summary="Første tekst.")
        )
        yield world


@pytest.fixture
def world(_world, db):
    return fresh(_world)


@pytest.fixture
def page(world):
    return world["page"]


def subscribe(client, page, email="leser@example.no", scope="side", **headers):
    return client.post(
        reverse("lifecycle:subscribe", args=[page.pk]),
        {"epost": email, "omfang": scope, "nettsted": "", "skjema": old_token(page)},
        **headers,
    )


def link_in(message, name):
    path = reverse(f"lifecycle:{name}", args=["TOKEN"]).replace("TOKEN/", "")
    match = re.search(re.escape(path) + r"(\S+)/", message.body)
    assert match, message.body
    return path + match.group(1) + "/"


def confirmed(client, page, **kwargs):
    subscribe(client, page, **kwargs)
    url = link_in(mail.outbox[-1], "confirm")
    client.post(url)
    mail.outbox.clear()


def test_subscribing_sends_a_confirmation_and_nothing_else(client, page):
    response = subscribe(client, page)
    assert response.status_code == 200
    assert "Sjekk e-posten din" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["leser@example.no"]
    assert "Bekreft" in mail.outbox[0].subject
    subscription = Subscription.objects.get()
    assert subscription.page_id == page.pk and not subscription.is_confirmed


def test_asking_forty_times_sends_one_confirmation_email(client, page, settings):
    settings.TRUSTED_PROXIES = ["10.9.0.2"]
    for n in range(40):
        response = subscribe(client, page, REMOTE_ADDR="10.9.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        assert response.status_code == 200
        assert "Sjekk e-posten din" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["leser@example.no"]


def test_one_client_is_limited_to_ten_requests_an_hour(client, page, settings):
    settings.TRUSTED_PROXIES = ["10.9.0.2"]
    statuses = [
        subscribe(
            client,
            page,
            email=f"leser-{n}@example.no",
            REMOTE_ADDR="10.9.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        ).status_code
        for n in range(40)
    ]
    assert statuses == [200] * 10 + [429] * 30
    assert len(mail.outbox) == 10
    refused = subscribe(client, page, REMOTE_ADDR="10.9.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert "Du har sendt mange forespørsler på kort tid. Prøv igjen om en time." in refused.content.decode()
    assert (
        subscribe(client, page, REMOTE_ADDR="10.9.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code
        == 200
    )


def test_no_change_emails_before_confirmation(client, page):
    subscribe(client, page)
    mail.outbox.clear()
    publish(page, note="Ny dose.", summary="Andre tekst.")
    assert mail.outbox == []


def test_confirmation_needs_a_deliberate_click(client, page):
    subscribe(client, page)
    url = link_in(mail.outbox[0], "confirm")
    client.get(url)  # a link checker opening the link does not confirm
    assert not Subscription.objects.get().is_confirmed
    response = client.post(url)
    assert "du følger nå endringer" in response.content.decode()
    assert Subscription.objects.get().is_confirmed


def test_forged_confirmation_token_is_refused(client, page):
    subscribe(client, page)
    assert client.post(reverse("lifecycle:confirm", args=["1:forfalsket"])).status_code == 404
    assert not Subscription.objects.get().is_confirmed


def test_published_change_sends_one_short_email_with_note_and_diff_link(client, page):
    confirmed(client, page)
    _, revision = publish(page, note="Endret dosering i steg 2.", summary="Andre tekst.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["leser@example.no"]
    assert page.title in message.subject
    assert "Endret dosering i steg 2." in message.body
    assert reverse("lifecycle:diff", args=[page.pk]) + "?fra=" in message.body
    assert f"til={revision.pk}" in message.body
    assert "Avslutt:" in message.body and "List-Unsubscribe" in message.extra_headers


def test_no_draft_text_reaches_a_subscriber(client, page):
    confirmed(client, page)
    save_draft(page, note="HEMMELIG-notat", summary="HEMMELIG-tekst")
    assert mail.outbox == []
    # A later publish of other content carries only what was published.
    page, _ = publish(page, note="Publisert notat.", summary="Publisert tekst.")
    assert len(mail.outbox) == 1
    assert "HEMMELIG" not in mail.outbox[0].body and "HEMMELIG" not in mail.outbox[0].subject


def test_scheduled_first_publish_sends_nothing_until_it_goes_live(client, owner):
    community = ensure_community("oslo")
    confirmed_page, _ = publish(ProcedurePageFactory(community="oslo", content_owner=owner))
    confirmed(client, confirmed_page, scope="fellesskap")
    page = ProcedurePageFactory(
        parent=listing_for(community, "procedure"),
        live=False,
        content_owner=owner,
        title="PLANLAGT-side",
        go_live_at=timezone.now() + datetime.timedelta(days=2),
    )
    page.save_revision().publish()
    assert mail.outbox == []


def test_community_subscription_hears_about_new_and_changed_pages(client, page, owner):
    confirmed(client, page, scope="fellesskap")
    assert Subscription.objects.get().community_id == ensure_community("oslo").pk
    publish(ProcedurePageFactory(community="oslo", content_owner=owner, title="Helt ny prosedyre"))
    assert len(mail.outbox) == 1 and "Ny side: Helt ny prosedyre" == mail.outbox[0].subject


def test_page_and_community_subscription_give_one_email(client, page):
    confirmed(client, page)
    caches["ratelimit"].clear()  # the next day: the address may be sent a confirmation again
    confirmed(client, page, scope="fellesskap")
    publish(page, note="En endring.", summary="Ny tekst.")
    assert len(mail.outbox) == 1


def test_reviewed_without_changes_sends_nothing(client, page, publisher):
    from lifecycle.review import mark_reviewed_without_changes

    confirmed(client, page)
    mark_reviewed_without_changes(page, publisher)
    assert mail.outbox == []


def test_unsubscribe_link_stops_the_emails(client, page):
    confirmed(client, page)
    publish(page, note="Første endring.", summary="B")
    url = link_in(mail.outbox[0], "unsubscribe")
    assert "Slutt å følge" in client.get(url).content.decode()
    client.post(url)
    assert not Subscription.objects.exists()
    mail.outbox.clear()
    publish(page, note="Andre endring.", summary="C")
    assert mail.outbox == []


def test_subscribe_is_spam_protected(client, page):
    response = client.post(
        reverse("lifecycle:subscribe", args=[page.pk]),
        {"epost": "robot@example.no", "omfang": "side", "nettsted": "x", "skjema": old_token(page)},
    )
    assert response.status_code == 400
    assert not Subscription.objects.exists() and mail.outbox == []
