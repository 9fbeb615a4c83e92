"""Sending an issue: a django-task mails each confirmed subscriber once, personalised to their
topics, with a plain text and an HTML part and RFC 8058 one-click unsubscribe; a task run again
sends nobody a second copy."""

from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from kompetanse.factories import ProcedurePageFactory, RecommendationPageFactory, TopicFactory
from newsletter import compose, tasks
from newsletter.mail import from_unsubscribe_token
from newsletter.models import Delivery, Issue, Subscriber
from tests.newsletter.helpers import communities, published

pytestmark = pytest.mark.django_db

BASE_URL = "https://kompetanse.example.no"


def build():
    world = communities()
    oslo = world["oslo"]
    published(
        ProcedurePageFactory(
            community="oslo",
            title="Legemiddelsamstemming ved innleggelse",
            summary="Slik samstemmes legemiddellisten.",
            topics=[world["legemidler"]],
        ),
        first=2,
    )
    published(
        RecommendationPageFactory(community="oslo", title="Samarbeid om rus", topics=[world["rus"]]),
        first=100,
        last=1,
    )
    world["issue"] = compose.compose(oslo)
    world["issue"].intro = "God jul fra redaksjonen!"
    world["issue"].save()
    now = timezone.now()

    def subscriber(email, topics=(), community=oslo, confirmed=True):
        created = Subscriber.objects.create(
            community=community, email=email, confirmed_at=now if confirmed else None
        )
        created.topics.set(topics)
        return created

    world["everything"] = subscriber("alt@example.no")
    world["medicines"] = subscriber("legemidler@example.no", [world["legemidler"]])
    world["nothing"] = subscriber("ernaering@example.no", [TopicFactory(name="Ernæring", slug="ernaering")])
    world["waiting"] = subscriber("venter@example.no", confirmed=False)
    world["elsewhere"] = subscriber("ahus@example.no", community=world["ahus"])
    return world


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL


def send(issue):
    """What the send button does, then the task as the worker runs it (here at once)."""
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING)
    return tasks.send_issue.enqueue(issue.pk)


def by_recipient():
    return {message.to[0]: message for message in mail.outbox}


def test_each_confirmed_subscriber_gets_the_issue_once_with_their_topics(world):
    send(world["issue"])
    messages = by_recipient()
    assert sorted(messages) == ["alt@example.no", "legemidler@example.no"]
    assert "Samarbeid om rus" in messages["alt@example.no"].body
    assert "Legemiddelsamstemming ved innleggelse" in messages["alt@example.no"].body
    assert "Legemiddelsamstemming ved innleggelse" in messages["legemidler@example.no"].body
    assert "Samarbeid om rus" not in messages["legemidler@example.no"].body
    issue = Issue.objects.get(pk=world["issue"].pk)
    assert issue.status == Issue.Status.SENT and issue.sent_at is not None and issue.recipient_count == 2
    assert dict(Delivery.objects.values_list("subscriber__email", "status")) == {
        "alt@example.no": "sent",
        "legemidler@example.no": "sent",
        "ernaering@example.no": "nothing",
    }


def test_the_mail_has_text_and_html_in_norwegian_and_one_click_unsubscribe(world):
    send(world["issue"])
    message = by_recipient()["legemidler@example.no"]
    # The address is signed with the second it was made in: read it from the mail, then check
    # that it is this subscriber's (made again here, a second later, it would differ).
    prefix = f"<{BASE_URL}/nyhetsbrev/avmeld/"
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith(prefix) and header.endswith("/>")
    assert from_unsubscribe_token(header[len(prefix) : -len("/>")]) == world["medicines"]
    unsubscribe = header[1:-1]
    assert isinstance(message, EmailMultiAlternatives)
    assert message.subject == "Nyhetsbrev fra Helsefellesskap Oslo, nr. 1"
    assert message.extra_headers == {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    sent = message.message()
    assert sent["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "God jul fra redaksjonen!" in message.body
    assert f"Meld deg av: {unsubscribe}" in message.body
    assert "PROSEDYRER" in message.body and "Slik samstemmes legemiddellisten." in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert '<html lang="nb">' in html
    assert f'<a href="{unsubscribe}" style="color:#00509e;">Meld deg av</a>' in html
    assert ">Legemiddelsamstemming ved innleggelse</a>" in html


def test_the_task_run_again_sends_nobody_a_second_copy(world):
    send(world["issue"])
    assert len(mail.outbox) == 2
    send(world["issue"])  # a retry, or a worker that picked the task up twice
    assert len(mail.outbox) == 2
    tasks.send_issue.enqueue(world["issue"].pk)  # and once it is sent, it stays sent
    assert len(mail.outbox) == 2
    assert Delivery.objects.filter(status="sent").count() == 2


def test_an_address_that_fails_is_sent_later_and_the_others_only_once(world):
    real_send = EmailMultiAlternatives.send

    def refuse_one(message, *args, **kwargs):
        if message.to == ["legemidler@example.no"]:
            raise OSError("mottakeren ble avvist")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(EmailMultiAlternatives, "send", refuse_one):
        send(world["issue"])
    assert sorted(by_recipient()) == ["alt@example.no"]
    assert not Delivery.objects.filter(subscriber=world["medicines"]).exists()
    send(world["issue"])  # the retry
    assert sorted(message.to[0] for message in mail.outbox) == ["alt@example.no", "legemidler@example.no"]


def test_the_one_click_post_to_the_headers_address_unsubscribes(client, world):
    send(world["issue"])
    header = by_recipient()["alt@example.no"].extra_headers["List-Unsubscribe"]
    path = header.strip("<>").removeprefix(BASE_URL)
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscriber.objects.filter(email="alt@example.no").exists()
    assert Subscriber.objects.filter(email="legemidler@example.no").exists()
