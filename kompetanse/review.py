"""Review status: the one rule for whether a page's next review date has passed or is near.

Every place that shows or filters by review status asks here: the page's status line, the
search results, and lifecycle's dashboard panel, report and reminders.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from core import pagecache

# A review date this many days ahead or fewer counts as «snart».
REVIEW_SOON_DAYS = 60


class ReviewStatus(models.TextChoices):
    """Where a page stands with its next review. ``label`` is the editors' word (admin report
    and dashboard), ``reader_label`` the readers' (the page's status line and search results)."""

    OVERDUE = "overdue", "Forfalt"
    DUE_SOON = "due_soon", f"Revideres innen {REVIEW_SOON_DAYS} dager"
    OK = "ok", "I orden"
    MISSING = "missing", "Mangler revisjonsdato"

    @classmethod
    def of(cls, next_review, on=None):
        """The status of a page whose next review is `next_review`, on `on` (default today).

        Today's status changes by the clock alone, at the start of ``changes_on``: a reader's page
        that shows it is not kept past then (``core.pagecache.valid_until``).
        """
        if on is None:
            on = timezone.localdate()
            change = cls.changes_on(next_review, on)
            if change is not None:
                midnight = datetime.datetime.combine(change, datetime.time.min)
                pagecache.valid_until(timezone.make_aware(midnight))
        if next_review is None:
            return cls.MISSING
        if next_review < on:
            return cls.OVERDUE
        if next_review <= on + datetime.timedelta(days=REVIEW_SOON_DAYS):
            return cls.DUE_SOON
        return cls.OK

    @staticmethod
    def changes_on(next_review, on):
        """The first day after `on` whose status differs from `on`'s, or None if it never will: a
        page becomes «snart» ``REVIEW_SOON_DAYS`` before its review date, and overdue the day after."""
        if next_review is None:
            return None
        soon = next_review - datetime.timedelta(days=REVIEW_SOON_DAYS)
        overdue = next_review + datetime.timedelta(days=1)
        return next((day for day in (soon, overdue) if day > on), None)

    def condition(self, on=None, field="next_review"):
        """The same rule as a query condition on the date field, for filtering many pages."""
        on = on or timezone.localdate()
        soon = on + datetime.timedelta(days=REVIEW_SOON_DAYS)
        return {
            ReviewStatus.OVERDUE: Q(**{f"{field}__lt": on}),
            ReviewStatus.DUE_SOON: Q(**{f"{field}__gte": on, f"{field}__lte": soon}),
            ReviewStatus.OK: Q(**{f"{field}__gt": soon}),
            ReviewStatus.MISSING: Q(**{f"{field}__isnull": True}),
        }[self]

    @property
    def reader_label(self):
        return {
            ReviewStatus.OVERDUE: "Revisjon forfalt",
            ReviewStatus.DUE_SOON: "Revideres snart",
            ReviewStatus.OK: "Gjeldende",
            ReviewStatus.MISSING: "Revisjonsdato mangler",
        }[self]
