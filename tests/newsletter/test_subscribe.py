"""Subscribing to a community's newsletter: a link from the front page, double opt-in with a link
that expires, the same answer for every address, rate limits, and bad input answered in Norwegian."""

import time
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from newsletter import mail as newsletter_mail
from newsletter.models import Subscriber
from tests.newsletter.helpers import communities, confirmed_subscriber, link_in, old_token, subscribe

pytestmark = pytest.mark.django_db


build = communities  # the module's world (tests/newsletter/conftest.py)


@pytest.fixture
def oslo(world):
    return world["oslo"]


def test_the_community_front_page_links_to_its_newsletter(client, oslo):
    html = client.get(oslo.url).content.decode()
    assert '<h2 id="tilbud-1-tittel">Nyhetsbrev</h2>' in html
    assert '<a href="/nyhetsbrev/oslo/">Abonner på nyhetsbrevet</a>' in html


def test_the_subscribe_page_offers_the_shared_topics(client, world):
    response = client.get(reverse("newsletter:subscribe", args=["oslo"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Nyhetsbrev fra Helsefellesskap Oslo</h1>" in html
    for topic in (world["legemidler"], world["rus"]):
        assert f'value="{topic.pk}"' in html and topic.name in html


def test_a_community_that_is_not_published_has_no_newsletter(client):
    assert client.get(reverse("newsletter:subscribe", args=["finnes-ikke"])).status_code == 404


def test_subscribing_sends_a_confirmation_and_nothing_else(client, world, oslo):
    response = subscribe(client, oslo, "Leser@Example.no", topics=[world["rus"]])
    assert response.status_code == 200
    assert "<h1>Sjekk e-posten din</h1>" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["leser@example.no"]
    assert message.subject == "Bekreft at du vil ha nyhetsbrevet fra Helsefellesskap Oslo"
    assert "om fagområdene Rus" in message.body
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "leser@example.no" and not subscriber.is_confirmed
    assert list(subscriber.topics.all()) == []  # nothing changes before the address confirms


def test_a_mail_server_that_is_down_makes_no_error_page(client, oslo):
    with mock.patch.object(EmailMessage, "send", side_effect=OSError("forbindelsen ble avvist")):
        response = subscribe(client, oslo)
    assert response.status_code == 200
    assert "<h1>Sjekk e-posten din</h1>" in response.content.decode()


def test_opening_the_link_asks_and_confirming_activates_with_the_chosen_topics(client, world, oslo):
    subscribe(client, oslo, topics=[world["rus"], world["legemidler"]])
    url = link_in(mail.outbox[0], "confirm")
    page = client.get(url)
    assert page.status_code == 200
    assert "disse fagområdene: Legemidler, Rus" in page.content.decode()
    assert not Subscriber.objects.get().is_confirmed  # a mail scanner opening the link subscribes nobody
    done = client.post(url)
    assert "<h1>Takk, abonnementet er bekreftet</h1>" in done.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.is_confirmed
    assert sorted(t.slug for t in subscriber.topics.all()) == ["legemidler", "rus"]


def test_a_subscriber_changes_topics_only_through_a_new_confirmation(client, world, oslo):
    subscriber = confirmed_subscriber(client, oslo, "leser@example.no", topics=[world["rus"]])
    subscribe(client, oslo, "leser@example.no", topics=[world["legemidler"]])
    assert [t.slug for t in subscriber.topics.all()] == ["rus"]
    client.post(link_in(mail.outbox[-1], "confirm"))
    assert [t.slug for t in subscriber.topics.all()] == ["legemidler"]


def test_the_answer_does_not_tell_whether_an_address_subscribes(client, oslo):
    confirmed_subscriber(client, oslo, "kjent@example.no")
    known = subscribe(client, oslo, "kjent@example.no").content.decode()
    unknown = subscribe(client, oslo, "ukjent@example.no").content.decode()
    assert known.replace("kjent@", "X@") == unknown.replace("ukjent@", "X@")


@pytest.mark.parametrize(
    "token, status, heading",
    [
        ("tull", 404, "Lenken virker ikke"),
        ("eyJzIjoxfQ:1tAm1B:feil-signatur", 404, "Lenken virker ikke"),
    ],
)
def test_a_bad_confirmation_link_gets_a_norwegian_message(client, token, status, heading):
    for method in (client.get, client.post):
        response = method(reverse("newsletter:confirm", args=[token]))
        assert response.status_code == status
        assert f"<h1>{heading}</h1>" in response.content.decode()


def test_an_expired_confirmation_link_says_so_and_confirms_nothing(client, oslo):
    subscribe(client, oslo)
    subscriber = Subscriber.objects.get()
    eight_days_ago = time.time() - 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
        token = newsletter_mail.confirm_token(subscriber, [])
    response = client.post(reverse("newsletter:confirm", args=[token]))
    assert response.status_code == 410
    assert "<h1>Lenken er utløpt</h1>" in response.content.decode()
    assert not Subscriber.objects.get().is_confirmed


def test_the_link_of_a_subscription_that_is_gone_gets_a_norwegian_message(client, oslo):
    subscribe(client, oslo)
    url = link_in(mail.outbox[0], "confirm")
    Subscriber.objects.all().delete()
    response = client.post(url)
    assert response.status_code == 404
    assert "<h1>Lenken virker ikke</h1>" in response.content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"epost": ""}, "Skriv e-postadressen din."),
        ({"epost": "ikke-en-adresse"}, "Skriv en gyldig e-postadresse."),
        ({"epost": "a" * 250 + "@example.no"}, "E-postadressen er for lang."),
        ({"fagomrader": ["999999"]}, "Et av fagområdene finnes ikke. Last inn siden på nytt og velg igjen."),
        ({"fagomrader": ["abc"]}, "Et av fagområdene finnes ikke. Last inn siden på nytt og velg igjen."),
        (
            {"fagomrader": [str(n) for n in range(100_000, 100_900)]},
            "Et av fagområdene finnes ikke. Last inn siden på nytt og velg igjen.",
        ),
        # More fields than Django takes in one request (DATA_UPLOAD_MAX_NUMBER_FIELDS): its 400 page.
        ({"fagomrader": [str(n) for n in range(5000)]}, "<h1>Forespørselen kunne ikke behandles</h1>"),
        ({"nettsted": "http://spam.example"}, "Skjemaet ble ikke sendt. Prøv igjen."),
        ({"skjema": ""}, "Skjemaet er for gammelt. Last inn siden på nytt og prøv igjen."),
        ({"skjema": "x" * 5000}, "Skjemaet er for gammelt. Last inn siden på nytt og prøv igjen."),
    ],
)
def test_bad_input_to_the_subscribe_form_is_refused_in_norwegian(client, oslo, data, message):
    response = subscribe(client, oslo, data=data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscriber.objects.exists() and mail.outbox == []


def test_a_form_from_another_community_page_is_refused(client, world, oslo):
    response = subscribe(client, oslo, data={"skjema": old_token(world["ahus"])})
    assert response.status_code == 400
    assert "Skjemaet hører til en annen side." in response.content.decode()


def test_a_form_sent_twice_is_used_once(client, oslo):
    token = old_token(oslo)
    assert subscribe(client, oslo, data={"skjema": token}).status_code == 200
    again = subscribe(client, oslo, "annen@example.no", data={"skjema": token})
    assert again.status_code == 400
    assert "Dette skjemaet er allerede sendt." in again.content.decode()


def test_one_client_is_limited_per_hour_and_one_address_gets_three_confirmations_a_day(client, oslo):
    for n in range(10):
        assert subscribe(client, oslo, "leser@example.no", REMOTE_ADDR=f"198.51.100.{n}").status_code == 200
    assert len(mail.outbox) == 3
    for n in range(10):
        subscribe(client, oslo, f"leser{n}@example.no", REMOTE_ADDR="203.0.113.9")
    refused = subscribe(client, oslo, "leser10@example.no", REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429
    assert "Du har sendt mange forespørsler på kort tid. Prøv igjen om en time." in refused.content.decode()
    assert not Subscriber.objects.filter(email="leser10@example.no").exists()


def test_confirming_needs_the_pages_csrf_token_but_one_click_unsubscribe_does_not(oslo):
    reader = Client(enforce_csrf_checks=True)
    subscribe(reader, oslo)
    assert reader.post(link_in(mail.outbox[0], "confirm")).status_code == 403
    subscriber = Subscriber.objects.get()
    url = reverse("newsletter:unsubscribe", args=[newsletter_mail.unsubscribe_token(subscriber)])
    asked = reader.get(url)
    assert "<h1>Meld deg av nyhetsbrevet</h1>" in asked.content.decode()
    assert Subscriber.objects.exists()  # a GET only asks
    gone = reader.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert gone.status_code == 200
    assert "<h1>Du er meldt av</h1>" in gone.content.decode()
    assert not Subscriber.objects.exists()
    again = reader.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert again.status_code == 200 and "<h1>Du er meldt av</h1>" in again.content.decode()


def test_a_bad_unsubscribe_link_gets_a_norwegian_message(client):
    for method in (client.get, client.post):
        response = method(reverse("newsletter:unsubscribe", args=["tull"]))
        assert response.status_code == 404
        assert "<h1>Lenken virker ikke</h1>" in response.content.decode()
