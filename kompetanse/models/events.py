"""Event (arrangement): a course, webinar or network meeting, with its time, place and
registration, and its own iCalendar file.

An event is a KnowledgePage (searched, filtered, exported, served by the API like the others)
without owner or review date: it is over when it is over (lifecycle.review.REVIEW_YEARS leaves it
out), and listings tell upcoming from past by its end time, so nothing has to move it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.search import index

from core import pagecache
from kompetanse.calendar import calendar_response
from kompetanse.models.base import KnowledgePage


class EventPage(RoutablePageMixin, KnowledgePage):
    start = models.DateTimeField("starter", help_text="Dato og klokkeslett (norsk tid).")
    end = models.DateTimeField("slutter", help_text="Dato og klokkeslett (norsk tid).")
    location = models.CharField(
        "sted",
        max_length=250,
        blank=True,
        help_text="Adresse og rom, for eksempel «Ahus, Nordbyhagen, auditorium 1».",
    )
    online_url = models.URLField("lenke til digital deltakelse", blank=True)
    registration_url = models.URLField("påmeldingslenke", blank=True)
    registration_deadline = models.DateField("påmeldingsfrist", null=True, blank=True)
    organiser = models.CharField("arrangør", max_length=250, blank=True)

    content_kind = "event"
    topic_section_order = ("start", "title")
    topic_section_title = "Kommende kurs og arrangementer"
    is_creatable = True
    parent_page_types = ["kompetanse.EventIndexPage"]
    subpage_types = []

    content_panels = KnowledgePage.content_panels + [
        FieldPanel("summary", heading="Ingress"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("location"),
                FieldPanel("online_url"),
            ],
            heading="Tid og sted",
        ),
        MultiFieldPanel(
            [FieldPanel("organiser"), FieldPanel("registration_url"), FieldPanel("registration_deadline")],
            heading="Arrangør og påmelding",
        ),
        FieldPanel("body"),
        *KnowledgePage.taxonomy_panels,
        *KnowledgePage.extension_panels,
    ]

    search_fields = KnowledgePage.search_fields + [
        index.SearchField("location"),
        index.SearchField("organiser"),
        index.FilterField("start"),
        index.FilterField("end"),
    ]
    api_fields = KnowledgePage.api_fields + [
        APIField("start"),
        APIField("end"),
        APIField("location"),
        APIField("online_url"),
        APIField("registration_url"),
        APIField("registration_deadline"),
        APIField("organiser"),
    ]

    class Meta:
        verbose_name = "arrangement"
        verbose_name_plural = "kurs og arrangementer"

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = "Arrangementet kan ikke slutte før det starter."
        if not self.location.strip() and not self.online_url:
            errors["location"] = "Oppgi et sted eller en lenke til digital deltakelse."
        if (
            self.registration_deadline
            and self.start
            and self.registration_deadline > timezone.localdate(self.start)
        ):
            errors["registration_deadline"] = (
                "Påmeldingsfristen kan ikke være etter at arrangementet starter."
            )
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        # The page closes registration and then says «over» by the clock alone: no cached copy
        # outlives the first of those still to come.
        now = timezone.now()
        for moment in (self.registration_closes, self.end):
            if moment > now:
                pagecache.valid_until(moment)
        return super().get_context(request, *args, **kwargs)

    @classmethod
    def current_for_topic(cls, pages):
        """Upcoming events only; the page showing them is valid until the first of them ends."""
        now = timezone.now()
        pages = pages.filter(end__gte=now)
        pagecache.valid_until(pages.aggregate(next_end=models.Min("end"))["next_end"])
        return pages

    @property
    def is_past(self):
        return self.end < timezone.now()

    @property
    def registration_closes(self):
        """When registration closes: at the start, or when the deadline day is over if that is sooner."""
        if self.registration_deadline is None:
            return self.start
        day_after = self.registration_deadline + datetime.timedelta(days=1)
        return min(self.start, timezone.make_aware(datetime.datetime.combine(day_after, datetime.time())))

    @property
    def registration_open(self):
        return timezone.now() < self.registration_closes

    @property
    def calendar_url(self):
        return self.url + self.reverse_subpage("ics")

    @path("kalender/")
    def ics(self, request):
        """This event as an .ics file for the reader's calendar."""
        return calendar_response([self], self.title, f"{self.slug}.ics", request)
