"""“Meld fra om feil eller mangler”: the public form, its spam protection, emails and the admin."""

import time

import pytest
from django.core import mail
from django.urls import reverse

from core.public_forms import form_token
from kompetanse.communities import ensure_community, listing_for
from kompetanse.factories import ContentOwnerFactory, ProcedurePageFactory
from lifecycle.models import ErrorReport
from lifecycle.review import review_list
from tests.lifecycle.helpers import make_user, old_token, oslo_publishing_team, publish
from tests.worlds import built_once, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """Oslo's publishing team and a published procedure to report errors on, built once for the module."""
    with built_once(django_db_blocker):
        world = oslo_publishing_team()
        world["page"], _ = publish(
            ProcedurePageFactory(community="oslo", content_owner=world["owner"], title="Morfin i hjemmet")
        )
        yield world


@pytest.fixture
def world(_world, db):
    return fresh(_world)


@pytest.fixture
def page(world):
    return world["page"]


def report(client, page, headers=None, **data):
    payload = {"melding": "Dosen i steg 2 stemmer ikke med felleskatalogen.", "epost": "", "nettsted": ""}
    payload["skjema"] = old_token(page)
    payload.update(data)
    return client.post(
        reverse("lifecycle:report", args=[page.pk]), payload, **(headers or {"REMOTE_ADDR": "10.0.0.1"})
    )


def via_proxy(client_address):
    return {"REMOTE_ADDR": "10.9.0.2", "HTTP_X_FORWARDED_FOR": client_address}


def test_form_is_on_the_page(client, page):
    html = client.get(page.url).content.decode()
    assert "Meld fra om feil eller mangler" in html
    assert reverse("lifecycle:report", args=[page.pk]) in html


def test_report_is_stored_and_sent_to_owner_and_publishers(client, page):
    response = report(client, page, epost="leser@example.no")
    assert response.status_code == 302
    assert response.url == page.url + "?tilbakemelding=takk#meld-fra"
    stored = ErrorReport.objects.get()
    assert stored.page_id == page.pk and stored.status == ErrorReport.Status.NEW
    assert stored.email == "leser@example.no"
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["kari@example.no", "publiserer@oslo.example.no"]
    assert "Dosen i steg 2" in mail.outbox[0].body
    assert "Morfin i hjemmet" in mail.outbox[0].subject
    assert "Takk!" in client.get(response.url).content.decode()


def test_owner_without_address_leaves_it_to_publishers(client, page):
    page.content_owner = ContentOwnerFactory(email="")
    page.save()
    report(client, page)
    assert [m.to for m in mail.outbox] == [["publiserer@oslo.example.no"]]


def test_honeypot_stops_robots(client, page):
    response = report(client, page, nettsted="http://spam.example")
    assert response.status_code == 400
    assert not ErrorReport.objects.exists() and not mail.outbox


def test_form_sent_too_quickly_is_refused(client, page):
    response = report(client, page, skjema=form_token(page.pk, issued_at=time.time()))
    assert response.status_code == 400
    assert "for raskt" in response.content.decode()
    assert not ErrorReport.objects.exists()


def test_forged_or_foreign_token_is_refused(client, page, owner):
    other, _ = publish(ProcedurePageFactory(community="oslo", content_owner=owner))
    assert report(client, page, skjema="tull").status_code == 400
    assert report(client, page, skjema=old_token(other)).status_code == 400
    assert not ErrorReport.objects.exists()


def test_empty_message_is_refused_with_a_norwegian_error(client, page):
    response = report(client, page, melding="")
    assert response.status_code == 400
    assert "Skriv hva som er feil eller mangler" in response.content.decode()


def test_rate_limit_per_address(client, page):
    for _ in range(5):
        assert report(client, page).status_code == 302
    response = report(client, page)
    assert response.status_code == 429
    assert ErrorReport.objects.count() == 5
    # Another address is not affected.
    other = client.post(
        reverse("lifecycle:report", args=[page.pk]),
        {"melding": "Feil lenke.", "skjema": old_token(page)},
        REMOTE_ADDR="10.0.0.2",
    )
    assert other.status_code == 302


def test_reports_are_capped_at_five_per_client_behind_the_proxy(client, page, settings):
    settings.TRUSTED_PROXIES = ["10.9.0.0/16"]
    for _ in range(5):
        assert report(client, page, headers=via_proxy("203.0.113.66")).status_code == 302
    refused = report(client, page, headers=via_proxy("203.0.113.66"))
    assert refused.status_code == 429
    assert (
        "Du har sendt mange tilbakemeldinger på kort tid. Prøv igjen om en time." in refused.content.decode()
    )
    # Another reader behind the same proxy is not affected.
    assert report(client, page, headers=via_proxy("198.51.100.7")).status_code == 302
    assert ErrorReport.objects.count() == 6


def test_a_form_is_accepted_once(client, page):
    token = old_token(page)
    assert report(client, page, skjema=token).status_code == 302
    mail.outbox.clear()
    replayed = report(client, page, skjema=token, melding="Samme skjema igjen.")
    assert replayed.status_code == 400
    html = replayed.content.decode()
    assert "Dette skjemaet er allerede sendt. Se over feltene og send på nytt." in html
    assert "Samme skjema igjen." in html  # kept for sending again with the page's new token
    assert ErrorReport.objects.count() == 1 and not mail.outbox
    # The subscription form beside it on the same page still takes the token once.
    subscribed = client.post(
        reverse("lifecycle:subscribe", args=[page.pk]),
        {"epost": "leser@example.no", "omfang": "side", "nettsted": "", "skjema": token},
    )
    assert subscribed.status_code == 200 and "Sjekk e-posten din" in subscribed.content.decode()


def test_open_report_puts_page_on_the_review_list(client, page, publisher):
    assert not review_list(publisher).filter(pk=page.pk).exists()
    report(client, page)
    listed = list(review_list(publisher))
    assert [p.pk for p in listed] == [page.pk] and listed[0].open_reports == 1
    ErrorReport.objects.update(status=ErrorReport.Status.RESOLVED)
    assert not review_list(publisher).filter(pk=page.pk).exists()


def test_reports_listed_in_admin_with_status(client, page):
    report(client, page)
    admin = make_user("admin", superuser=True)
    client.force_login(admin)
    listing = client.get(reverse("wagtailsnippets_lifecycle_errorreport:list")).content.decode()
    assert "Dosen i steg 2" in listing and "Ny" in listing
    stored = ErrorReport.objects.get()
    edit_url = reverse("wagtailsnippets_lifecycle_errorreport:edit", args=[stored.pk])
    assert client.post(edit_url, {"status": "in_progress", "internal_note": "Sjekker"}).status_code == 302
    stored.refresh_from_db()
    assert stored.status == ErrorReport.Status.IN_PROGRESS
    assert stored.message.startswith("Dosen i steg 2")  # read-only in the admin


def test_admin_list_only_shows_reports_on_the_users_pages(client, page, publisher, owner):
    ahus = listing_for(ensure_community("ahus", "Helsefellesskap Ahus"), "procedure")
    other, _ = publish(ProcedurePageFactory(parent=ahus, content_owner=owner, title="Ahus-side"))
    report(client, page, melding="Oslo-melding")
    report(client, other, melding="Ahus-melding")
    from django.contrib.auth.models import Permission

    publisher.groups.first().permissions.add(Permission.objects.get(codename="change_errorreport"))
    client.force_login(publisher)
    listing = client.get(reverse("wagtailsnippets_lifecycle_errorreport:list")).content.decode()
    assert "Oslo-melding" in listing and "Ahus-melding" not in listing
