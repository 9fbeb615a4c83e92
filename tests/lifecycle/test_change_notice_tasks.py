"""«Følg endringer» off the request: the publish only queues the notices, the worker sends them,
and a mail server that is down gets them later, each address once."""

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kompetanse.factories import ProcedurePageFactory
from lifecycle.models import Subscription
from lifecycle.tasks import send_change_notices
from tests.lifecycle.helpers import edit_form_data, publish
from tests.task_queue import make_due, on_the_database_queue, queued, run_worker, seconds_until

DEAD_MAIL_SERVER = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": 9, "EMAIL_TIMEOUT": 2}  # nothing listens


def followed_page(owner):
    page, _ = publish(ProcedurePageFactory(community="oslo", content_owner=owner, summary="Første tekst."))
    subscription = Subscription.objects.create(
        email="leser@example.no", page=page, confirmed_at=timezone.now()
    )
    return page, subscription


@on_the_database_queue
def test_the_publishing_request_sends_no_mail_and_the_worker_does(client, owner, publisher):
    page, _ = followed_page(owner)
    client.force_login(publisher)
    data = edit_form_data(
        page,
        summary="Andre tekst.",
        **{"action-publish": "publish", "lifecycle_change_note": "Ny dose i steg 2."},
    )

    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)

    assert response.status_code == 302
    assert mail.outbox == []
    [row] = queued(send_change_notices)
    assert row.status == "READY"

    run_worker()

    assert [message.to for message in mail.outbox] == [["leser@example.no"]]
    assert "Ny dose i steg 2." in mail.outbox[0].body
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and row.return_value == {"sent": 1}


@on_the_database_queue
def test_a_mail_server_that_is_down_gets_the_notice_later_and_only_once(owner, settings):
    page, subscription = followed_page(owner)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    for name, value in DEAD_MAIL_SERVER.items():
        setattr(settings, name, value)
    publish(page, note="Ny dose.", summary="Andre tekst.")

    run_worker()
    first, retry = queued(send_change_notices)
    assert first.return_value["sent"] == 0 and first.return_value["retry_subscriptions"] == [subscription.pk]
    assert retry.args_kwargs["kwargs"] == {"attempt": 2, "subscription_ids": [subscription.pk]}
    assert 5 < seconds_until(retry) <= 10

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_due(retry)
    run_worker()

    assert [message.to for message in mail.outbox] == [["leser@example.no"]]
    assert "Ny dose." in mail.outbox[0].body
    retry.refresh_from_db()
    assert retry.return_value == {"sent": 1}
