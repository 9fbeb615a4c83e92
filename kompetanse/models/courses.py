"""E-learning course (e-læringskurs): a course taken elsewhere, described and found here.

The portal does not host the course; it says what the course teaches, for whom, how long it takes
and what it counts for, and links out to it. A course has an owner and a review date like the
knowledge pages (lifecycle.review.REVIEW_YEARS): a link and an approval go out of date.
"""

from django.core.validators import URLValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.search import index

from kompetanse.blocks import INLINE_FEATURES
from kompetanse.mediafiles import minutes_text
from kompetanse.models.base import KnowledgePage

WEB_ADDRESS = URLValidator(
    schemes=["http", "https"], message="Skriv en fullstendig nettadresse som begynner med https://."
)


class CoursePage(KnowledgePage):
    learning_outcomes = RichTextField(
        "dette lærer du",
        features=INLINE_FEATURES,
        help_text="Hva deltakeren kan etter kurset, gjerne som en punktliste.",
    )
    course_url = models.URLField(
        "lenke til kurset",
        max_length=500,
        validators=[WEB_ADDRESS],
        help_text="Adressen der kurset tas, for eksempel hos Kompetansebroen eller helseforetaket.",
    )
    provider = models.CharField("tilbyder", max_length=200, help_text="Hvem som har laget og driver kurset.")
    duration_minutes = models.PositiveIntegerField(
        "varighet (minutter)", null=True, blank=True, help_text="Omtrent hvor lang tid kurset tar."
    )
    credits = models.CharField(
        "godkjenning",
        max_length=300,
        blank=True,
        help_text="For eksempel «Godkjent med 2 timer i spesialistutdanningen for sykepleiere». "
        "Tom hvis kurset ikke er godkjent som tellende.",
    )

    content_kind = "course"
    is_creatable = True
    parent_page_types = ["kompetanse.CourseIndexPage"]
    subpage_types = []

    content_panels = KnowledgePage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [
                FieldPanel("course_url"),
                FieldRowPanel([FieldPanel("provider"), FieldPanel("duration_minutes")]),
                FieldPanel("credits"),
            ],
            heading="Om kurset",
        ),
        FieldPanel("body"),
        *KnowledgePage.review_panels,
        *KnowledgePage.taxonomy_panels,
        *KnowledgePage.extension_panels,
    ]

    search_fields = KnowledgePage.search_fields + [
        index.SearchField("learning_outcomes"),
        index.SearchField("provider"),
        index.SearchField("credits"),
    ]
    api_fields = KnowledgePage.api_fields + [
        APIField("learning_outcomes"),
        APIField("course_url"),
        APIField("provider"),
        APIField("duration_minutes"),
        APIField("credits"),
    ]

    class Meta:
        verbose_name = "e-læringskurs"
        verbose_name_plural = "e-læringskurs"

    @property
    def duration_text(self):
        return minutes_text(self.duration_minutes)
