"""send_review_reminders: one email per recipient, never twice for the same page and due date."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from kompetanse.factories import ContentOwnerFactory, ProcedurePageFactory, RecommendationPageFactory
from lifecycle.models import ReviewReminder
from lifecycle.review import today
from tests.lifecycle.helpers import oslo_publishing_team, publish
from tests.worlds import built_once, fresh

pytestmark = pytest.mark.django_db


def days(n):
    return today() + datetime.timedelta(days=n)


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """Oslo's publishing team, built once for the module.

    The due pages are built for each test that asks for them: the tests without them count every
    reminder sent, so the pages cannot be part of the module's data.
    """
    with built_once(django_db_blocker):
        yield oslo_publishing_team()


@pytest.fixture
def world(_world, db):
    return fresh(_world)


@pytest.fixture
def pages(owner, publisher):
    overdue, _ = publish(
        ProcedurePageFactory(
            community="oslo", title="Forfalt side", content_owner=owner, next_review=days(-10)
        )
    )
    soon, _ = publish(
        RecommendationPageFactory(
            community="oslo", title="Snart side", content_owner=owner, next_review=days(20)
        )
    )
    later, _ = publish(
        ProcedurePageFactory(community="oslo", title="Senere side", content_owner=owner, next_review=days(90))
    )
    return overdue, soon, later


def by_recipient():
    return {message.to[0]: message for message in mail.outbox}


def test_one_email_per_recipient_listing_their_due_pages(pages):
    call_command("send_review_reminders")
    messages = by_recipient()
    assert set(messages) == {"kari@example.no", "publiserer@oslo.example.no"}
    body = messages["kari@example.no"].body
    assert "Forfalt side" in body and "forfalt" in body
    assert "Snart side" in body
    assert "Senere side" not in body
    assert "2 sider skal revideres" in messages["kari@example.no"].subject


def test_never_twice_for_the_same_page_and_due_date(pages):
    call_command("send_review_reminders")
    mail.outbox.clear()
    call_command("send_review_reminders")
    assert mail.outbox == []
    assert ReviewReminder.objects.count() == 4


def test_a_new_due_date_is_reminded_again(pages):
    overdue, soon, later = pages
    call_command("send_review_reminders")
    mail.outbox.clear()
    publish(overdue, note="Utsatt", next_review=days(5))
    call_command("send_review_reminders")
    messages = by_recipient()
    assert set(messages) == {"kari@example.no", "publiserer@oslo.example.no"}
    assert "Forfalt side" in messages["kari@example.no"].body
    assert "Snart side" not in messages["kari@example.no"].body


def test_owner_without_working_address_goes_to_publishers(publisher):
    nobody = ContentOwnerFactory(name="Ukjent eier", email="")
    publish(
        ProcedurePageFactory(
            community="oslo", title="Eierløs side", content_owner=nobody, next_review=days(3)
        )
    )
    call_command("send_review_reminders")
    messages = by_recipient()
    assert list(messages) == ["publiserer@oslo.example.no"]
    assert "mangler fungerende e-postadresse" in messages["publiserer@oslo.example.no"].body


def test_unpublished_pages_are_not_reminded(owner, publisher):
    page, _ = publish(ProcedurePageFactory(community="oslo", content_owner=owner, next_review=days(-1)))
    page.unpublish()
    call_command("send_review_reminders")
    assert mail.outbox == []


def test_dry_run_sends_nothing(pages):
    call_command("send_review_reminders", "--dry-run")
    assert mail.outbox == [] and not ReviewReminder.objects.exists()


def test_good_example_contact_person_is_reminded(publisher):
    from kompetanse.factories import GoodExamplePageFactory

    publish(
        GoodExamplePageFactory(
            community="oslo", title="Godt eksempel", contact_email="kontakt@example.no", next_review=days(7)
        )
    )
    call_command("send_review_reminders")
    assert set(by_recipient()) == {"kontakt@example.no", "publiserer@oslo.example.no"}
