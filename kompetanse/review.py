"""Review status: the one rule for whether a page's next review date has passed or is near.

Every place that shows or filters by review status asks here: the page's status line, the
search results, and lifecycle's dashboard panel, report and reminders.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

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
        """The status of a page whose next review is `next_review`, on `on` (default today)."""
        on = on or timezone.localdate()
        if next_review is None:
            return cls.MISSING
        if next_review < on:
            return cls.OVERDUE
        if next_review <= on + datetime.timedelta(days=REVIEW_SOON_DAYS):
            return cls.DUE_SOON
        return cls.OK

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
