"""One rule for review status (kompetanse.review.ReviewStatus): overdue the day after the review
date, due soon from the review date back to 60 days ahead, ok beyond that, missing without one.
The query condition for many pages gives the same answer as the rule for one."""

import datetime

import pytest

from kompetanse.factories import ProcedurePageFactory
from kompetanse.models import KnowledgePage
from kompetanse.review import REVIEW_SOON_DAYS, ReviewStatus

ON = datetime.date(2026, 3, 1)


def days(n):
    return ON + datetime.timedelta(days=n)


BOUNDARIES = [
    (None, ReviewStatus.MISSING),
    (days(-400), ReviewStatus.OVERDUE),
    (days(-1), ReviewStatus.OVERDUE),
    (days(0), ReviewStatus.DUE_SOON),
    (days(REVIEW_SOON_DAYS), ReviewStatus.DUE_SOON),
    (days(REVIEW_SOON_DAYS + 1), ReviewStatus.OK),
]


@pytest.mark.parametrize(("next_review", "status"), BOUNDARIES)
def test_status_at_the_boundaries(next_review, status):
    assert ReviewStatus.of(next_review, ON) == status


def test_codes_are_english_and_labels_norwegian():
    assert ReviewStatus.values == ["overdue", "due_soon", "ok", "missing"]
    assert ReviewStatus.OVERDUE.label == "Forfalt"
    assert ReviewStatus.DUE_SOON.label == "Revideres innen 60 dager"
    assert [status.reader_label for status in ReviewStatus] == [
        "Revisjon forfalt",
        "Revideres snart",
        "Gjeldende",
        "Revisjonsdato mangler",
    ]


def test_the_page_knows_its_status(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: ON)
    assert KnowledgePage(next_review=days(-1)).review_status == ReviewStatus.OVERDUE
    assert KnowledgePage(next_review=None).review_status == ReviewStatus.MISSING


@pytest.mark.django_db
def test_the_query_condition_agrees_with_the_rule():
    pages = {
        ProcedurePageFactory(title=f"Side {i}", next_review=date).pk: status
        for i, (date, status) in enumerate(BOUNDARIES)
    }
    for status in ReviewStatus:
        found = set(
            KnowledgePage.objects.filter(pk__in=pages)
            .filter(status.condition(ON))
            .values_list("pk", flat=True)
        )
        assert found == {pk for pk, expected in pages.items() if expected == status}, status


@pytest.mark.parametrize(("next_review", "status"), BOUNDARIES)
def test_the_day_the_status_changes_is_the_first_with_another_status(next_review, status):
    change = ReviewStatus.changes_on(next_review, ON)
    if change is None:
        # Missing and overdue stay as they are, whatever the date.
        assert status in (ReviewStatus.MISSING, ReviewStatus.OVERDUE)
        assert ReviewStatus.of(next_review, days(3650)) == status
        return
    day_before = change - datetime.timedelta(days=1)
    assert ReviewStatus.of(next_review, day_before) == status
    assert ReviewStatus.of(next_review, change) != status


@pytest.mark.django_db
def test_a_reader_page_that_shows_todays_status_is_kept_no_longer_than_today(client):
    """The page cache (core.pagecache) keeps a page until content changes; a status that turns by
    the clock at midnight must not be shown from the cache the day after."""
    from django.utils import timezone

    from core import pagecache

    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    page = ProcedurePageFactory(
        community="oslo", next_review=tomorrow + datetime.timedelta(days=REVIEW_SOON_DAYS)
    )
    midnight = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    with pagecache.one_reading():
        assert page.review_status == ReviewStatus.OK
        left = pagecache.seconds_left(10**7)
    assert abs(left - (midnight - timezone.now()).total_seconds()) <= 2
    # A page whose status will not change by the clock is kept as long as the cache keeps pages.
    settled = ProcedurePageFactory(community="oslo", next_review=today - datetime.timedelta(days=1))
    with pagecache.one_reading():
        assert settled.review_status == ReviewStatus.OVERDUE
        assert pagecache.seconds_left(10**7) == 10**7
    # Served to a reader: kept (a hit) today.
    client.get(page.url)
    assert client.get(page.url)["X-Cache"] == "hit"
