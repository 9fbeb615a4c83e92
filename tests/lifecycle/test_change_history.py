"""The public change history: only published versions, earlier versions, word-by-word differences."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from kompetanse.factories import GoodExamplePageFactory, ProcedurePageFactory
from lifecycle.models import PublishedVersion
from lifecycle.review import today
from tests.lifecycle.helpers import content_owner, publish, save_draft
from tests.worlds import built_once, fresh

pytestmark = pytest.mark.django_db


def published_twice_with_a_draft(owner):
    """A procedure published twice, then edited in a draft that was never published."""
    page, first = publish(
        ProcedurePageFactory(community="oslo", content_owner=owner, summary="Gi 5 mg morfin ved behov.")
    )
    page, second = publish(page, note="Endret dosering.", summary="Gi 2,5 mg morfin ved behov.")
    draft = save_draft(page, note="UTKASTNOTAT-hemmelig", summary="UTKASTTEKST-hemmelig dosering.")
    return page, first, second, draft


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """A content owner and the procedure with its history, built once for the module."""
    with built_once(django_db_blocker):
        owner = content_owner()
        yield {"owner": owner, "history": published_twice_with_a_draft(owner)}


@pytest.fixture
def world(_world, db):
    return fresh(_world)


@pytest.fixture
def history(world):
    """(page, first published revision, second published revision, draft revision)."""
    return world["history"]


def test_changelog_lists_each_published_version_with_its_note(client, history):
    page, first, second, _ = history
    html = client.get(reverse("lifecycle:changelog", args=[page.pk])).content.decode()
    assert "Endret dosering." in html
    assert "Første publiserte versjon" in html
    assert list(PublishedVersion.objects.filter(page_id=page.pk).values_list("revision_id", flat=True)) == [
        second.pk,
        first.pk,
    ]


def test_page_shows_the_changelog(client, history):
    page = history[0]
    html = client.get(page.url).content.decode()
    assert "Endringslogg" in html and "Endret dosering." in html


def test_no_draft_text_reaches_a_reader(client, history):
    page, first, second, draft = history
    urls = [
        page.url,
        reverse("lifecycle:changelog", args=[page.pk]),
        reverse("lifecycle:diff", args=[page.pk]),
        reverse("lifecycle:diff", args=[page.pk]) + f"?fra={first.pk}&til={second.pk}",
        reverse("lifecycle:version", args=[page.pk, first.pk]),
        reverse("lifecycle:version", args=[page.pk, second.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "hemmelig" not in response.content.decode(), url


def test_draft_revision_cannot_be_opened_or_compared(client, history):
    page, first, second, draft = history
    assert client.get(reverse("lifecycle:version", args=[page.pk, draft.pk])).status_code == 404
    diff = reverse("lifecycle:diff", args=[page.pk])
    assert client.get(diff + f"?fra={second.pk}&til={draft.pk}").status_code == 404
    assert client.get(diff + f"?fra={draft.pk}&til={first.pk}").status_code == 404


def test_scheduled_revision_is_not_a_published_version(client, history):
    page, first, second, _ = history
    page.go_live_at = timezone.now() + datetime.timedelta(days=3)
    page.summary = "PLANLAGT-tekst"
    page._lifecycle_change_note = "PLANLAGT-notat"
    scheduled = page.save_revision()
    scheduled.publish()
    assert not PublishedVersion.objects.filter(revision=scheduled).exists()
    html = client.get(reverse("lifecycle:changelog", args=[page.pk])).content.decode()
    assert "PLANLAGT" not in html


def test_earlier_version_shows_its_own_text(client, history):
    page, first, second, _ = history
    html = client.get(reverse("lifecycle:version", args=[page.pk, first.pk])).content.decode()
    assert "Gi 5 mg morfin" in html
    assert "Du leser en tidligere versjon" in html
    assert "Gi 2,5 mg morfin" not in html


def test_diff_marks_words_removed_and_added(client, history):
    page, first, second, _ = history
    response = client.get(reverse("lifecycle:diff", args=[page.pk]) + f"?fra={first.pk}&til={second.pk}")
    html = response.content.decode()
    assert "<del>5</del>" in html
    assert "<ins>2,5</ins>" in html
    assert "Gi" in html and "morfin ved behov." in html


def test_diff_defaults_to_the_last_two_published_versions(client, history):
    page = history[0]
    html = client.get(reverse("lifecycle:diff", args=[page.pk])).content.decode()
    assert "<ins>2,5</ins>" in html


def test_diff_escapes_page_text(client, owner):
    page, first = publish(ProcedurePageFactory(community="oslo", content_owner=owner, summary="a < b"))
    page, second = publish(page, note="x", summary="a < b <script>alert(1)</script>")
    html = client.get(reverse("lifecycle:diff", args=[page.pk])).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_history_of_unpublished_or_restricted_pages_is_hidden(client, history):
    page = history[0]
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="hemmelig")
    assert client.get(reverse("lifecycle:changelog", args=[page.pk])).status_code == 404
    page.get_view_restrictions().delete()
    page.unpublish()
    assert client.get(reverse("lifecycle:changelog", args=[page.pk])).status_code == 404


def test_overdue_page_shows_notice(client, owner):
    overdue, _ = publish(
        ProcedurePageFactory(
            community="oslo", content_owner=owner, next_review=today() - datetime.timedelta(days=1)
        )
    )
    current, _ = publish(ProcedurePageFactory(community="oslo", content_owner=owner, next_review=today()))
    assert "Revisjonsdatoen er passert" in client.get(overdue.url).content.decode()
    assert "Revisjonsdatoen er passert" not in client.get(current.url).content.decode()


def test_good_example_shows_review_dates_notice_and_tools(client):
    page, _ = publish(
        GoodExamplePageFactory(
            community="oslo",
            last_reviewed=today() - datetime.timedelta(days=800),
            next_review=today() - datetime.timedelta(days=30),
        )
    )
    html = client.get(page.url).content.decode()
    assert "Sist revidert" in html and "Neste revisjon" in html
    assert "Revisjonsdatoen er passert" in html
    assert "Meld fra om feil eller mangler" in html and "Følg endringer" in html
