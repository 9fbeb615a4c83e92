"""Cooperation recommendation (samarbeidsanbefaling): who does what between the service levels."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from kompetanse.blocks import INLINE_FEATURES, ResponsibilityBlock
from kompetanse.models.base import KnowledgePage

# Stored as English codes; editors and readers see the Norwegian labels.
AGREEMENT_CHOICES = [
    ("cooperation_agreement", "Samarbeidsavtale"),
    ("service_agreement", "Tjenesteavtale"),
    ("other", "Annen avtale"),
]


class RecommendationPage(KnowledgePage):
    situation = RichTextField(
        "situasjon", features=INLINE_FEATURES, blank=True, help_text="Hvilken situasjon anbefalingen gjelder."
    )
    responsibilities = StreamField(
        [("responsibility", ResponsibilityBlock())], verbose_name="ansvarsfordeling", blank=True
    )
    agreement_type = models.CharField("avtaletype", max_length=30, choices=AGREEMENT_CHOICES, blank=True)
    agreement_name = models.CharField(
        "avtale", max_length=255, blank=True, help_text="For eksempel «Tjenesteavtale 5 om utskrivning»."
    )
    agreement_url = models.URLField("lenke til avtalen", blank=True)

    content_kind = "recommendation"
    is_creatable = True
    parent_page_types = ["kompetanse.RecommendationIndexPage"]
    subpage_types = []

    content_panels = KnowledgePage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("situation"),
        InlinePanel("parties", heading="Parter", label="Part"),
        FieldPanel("responsibilities"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("agreement_type"), FieldPanel("agreement_name"), FieldPanel("agreement_url")],
            heading="Avtalegrunnlag",
        ),
        *KnowledgePage.review_panels,
        *KnowledgePage.taxonomy_panels,
        *KnowledgePage.extension_panels,
    ]

    search_fields = KnowledgePage.search_fields + [
        index.SearchField("situation"),
        index.SearchField("responsibilities"),
        index.SearchField("agreement_name"),
    ]
    api_fields = KnowledgePage.api_fields + [
        APIField("situation"),
        APIField("parties"),
        APIField("responsibilities"),
        APIField("agreement_type"),
        APIField("agreement_name"),
        APIField("agreement_url"),
    ]

    class Meta:
        verbose_name = "samarbeidsanbefaling"
        verbose_name_plural = "samarbeidsanbefalinger"


class RecommendationParty(Orderable):
    page = ParentalKey(RecommendationPage, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField("part", max_length=200)
    description = models.CharField("rolle", max_length=300, blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]
    api_fields = [APIField("name"), APIField("description")]

    class Meta(Orderable.Meta):
        verbose_name = "part"
        verbose_name_plural = "parter"

    def __str__(self):
        return self.name
