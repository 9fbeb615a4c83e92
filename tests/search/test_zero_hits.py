"""The report of searches that found nothing (search/zero_hits.py): every such search is counted
once, under its folded text, also when two searches for a new query meet."""

import datetime
import io

import pytest
from django.db import transaction
from django.utils import timezone

from search import zero_hits
from search.models import ZeroResultQuery

pytestmark = pytest.mark.django_db


def test_a_new_query_is_counted_once_and_a_repeated_one_again_with_its_last_time():
    zero_hits.log_zero_hits("Tannregulering  BARN")
    row = ZeroResultQuery.objects.get()
    assert (row.query, row.count) == ("tannregulering barn", 1)
    ZeroResultQuery.objects.filter(pk=row.pk).update(last_seen=timezone.now() - datetime.timedelta(days=2))

    zero_hits.log_zero_hits("tannregulering barn")

    again = ZeroResultQuery.objects.get()
    assert again.count == 2
    assert again.first_seen == row.first_seen
    assert timezone.now() - again.last_seen < datetime.timedelta(minutes=1)


def test_a_query_another_search_created_a_moment_before_is_counted_on_that_row(monkeypatch):
    """The race between this search's update (no row yet) and its insert: another search inserted
    the row in between. The insert fails on the unique query, and the count goes onto that row;
    the reader's transaction is not spoilt (the insert ran in a savepoint)."""
    real_count_again = zero_hits._count_again
    calls = []

    def other_search_first(text):
        calls.append(text)
        if len(calls) == 1:
            updated = real_count_again(text)  # no row yet: nothing to update
            ZeroResultQuery.objects.create(query=text, count=1)  # the other search's row
            return updated
        return real_count_again(text)

    monkeypatch.setattr(zero_hits, "_count_again", other_search_first)
    with transaction.atomic():
        zero_hits.log_zero_hits("xylofonterapi")
        # The transaction can still be used after the failed insert.
        assert ZeroResultQuery.objects.get(query="xylofonterapi").count == 2
    assert calls == ["xylofonterapi", "xylofonterapi"]
    assert ZeroResultQuery.objects.count() == 1


def _searched(query, count, days_ago):
    row = ZeroResultQuery.objects.create(query=query, count=count)
    seen = timezone.now() - datetime.timedelta(days=days_ago)
    ZeroResultQuery.objects.filter(pk=row.pk).update(last_seen=seen)


def test_pruning_forgets_the_queries_searched_once_long_ago_and_keeps_what_readers_miss():
    from django.core.management import call_command

    _searched("xqzv", 1, days_ago=200)  # a one-off, long ago: forgotten
    _searched("tannregulering barn", 14, days_ago=200)  # many readers missed it: kept
    _searched("tolk døv", 1, days_ago=10)  # searched once, lately: kept
    out = io.StringIO()
    call_command("prune_zero_hits", stdout=out)
    assert sorted(ZeroResultQuery.objects.values_list("query", flat=True)) == [
        "tannregulering barn",
        "tolk døv",
    ]
    assert out.getvalue() == "Glemte 1 søk uten treff, gjort høyst 1 gang(er) og ikke de siste 90 dagene.\n"

    call_command("prune_zero_hits", "--days", "5", "--at-most", "20", stdout=io.StringIO())
    assert not ZeroResultQuery.objects.exists()


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--days", "0"], "argument --days: 0 er mindre enn 1."),
        (["--days", "mange"], "argument --days: «mange» er ikke et heltall."),
        (["--at-most", "-3"], "argument --at-most: -3 er mindre enn 1."),
    ],
)
def test_pruning_with_a_bad_argument_says_which_and_forgets_nothing(arguments, message):
    from django.core.management import CommandError, call_command

    _searched("xqzv", 1, days_ago=200)
    with pytest.raises(CommandError, match=message):
        call_command("prune_zero_hits", *arguments)
    assert ZeroResultQuery.objects.count() == 1
