"""News (nyhet): what a community's team, or the central team, announces, newest first.

A news item is a KnowledgePage, so that it is searched, filtered, exported, fed and served by the
API as the other kinds are. It has no owner and no review date: news is true on its date and is
not kept up to date afterwards (lifecycle.review.REVIEW_YEARS leaves it out).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.search import index

from kompetanse.models.base import KnowledgePage


class NewsPage(KnowledgePage):
    date = models.DateField("dato", default=timezone.localdate, help_text="Datoen nyheten gjelder fra.")
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="hovedbilde",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_alt = models.CharField(
        "alternativ tekst for hovedbildet",
        max_length=250,
        blank=True,
        help_text="Hva bildet viser i denne nyheten. Tom: bildets egen alternative tekst brukes.",
    )

    content_kind = "news"
    topic_section_order = ("-date", "-first_published_at")
    is_creatable = True
    parent_page_types = ["kompetanse.NewsIndexPage"]
    subpage_types = []

    content_panels = KnowledgePage.content_panels + [
        FieldPanel("summary", heading="Ingress"),
        FieldPanel("date"),
        MultiFieldPanel([FieldPanel("lead_image"), FieldPanel("lead_image_alt")], heading="Hovedbilde"),
        FieldPanel("body"),
        *KnowledgePage.taxonomy_panels,
        *KnowledgePage.extension_panels,
    ]

    search_fields = KnowledgePage.search_fields + [index.FilterField("date")]
    api_fields = KnowledgePage.api_fields + [
        APIField("date"),
        APIField("lead_image"),
        APIField("lead_image_alt_text"),
    ]

    class Meta:
        verbose_name = "nyhet"
        verbose_name_plural = "nyheter"

    def clean(self):
        super().clean()
        if self.lead_image and not self.lead_image_alt_text:
            raise ValidationError(
                {"lead_image_alt": "Skriv en alternativ tekst: hovedbildet har ingen, og den kreves."}
            )

    @property
    def lead_image_alt_text(self):
        """The alt text the reader gets: this page's own, else the image's (Wagtail's
        ``description``, required on upload by kompetanse.image_forms)."""
        if self.lead_image_alt.strip():
            return self.lead_image_alt.strip()
        return (self.lead_image.description or "").strip() if self.lead_image else ""
