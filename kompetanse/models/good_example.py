"""Good example (godt eksempel): a local service others can learn from and reuse."""

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from kompetanse.blocks import INLINE_FEATURES, FigureBlock
from kompetanse.models.base import KnowledgePage


class GoodExamplePage(KnowledgePage):
    problem = RichTextField("utfordringen", features=INLINE_FEATURES, blank=True)
    what_was_done = RichTextField("hva ble gjort", features=INLINE_FEATURES, blank=True)
    results = RichTextField("resultater", features=INLINE_FEATURES, blank=True)
    result_figures = StreamField([("figure", FigureBlock())], verbose_name="resultater i tall", blank=True)
    partners = models.TextField("samarbeidspartnere", blank=True, help_text="Én per linje.")
    period_start = models.DateField("startet", null=True, blank=True)
    period_end = models.DateField("avsluttet", null=True, blank=True, help_text="Tom hvis tiltaket pågår.")
    contact_name = models.CharField("kontaktperson", max_length=200, blank=True)
    contact_role = models.CharField("stilling/enhet", max_length=200, blank=True)
    contact_email = models.EmailField("kontakt-e-post", blank=True)
    contact_phone = models.CharField("kontakttelefon", max_length=40, blank=True)
    transferability = RichTextField(
        "overføringsverdi",
        features=INLINE_FEATURES,
        blank=True,
        help_text="Hva andre trenger for å ta tiltaket i bruk: ressurser, kompetanse, avtaler.",
    )

    content_kind = "good_example"
    is_creatable = True
    parent_page_types = ["kompetanse.GoodExampleIndexPage"]
    subpage_types = []

    content_panels = KnowledgePage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("problem"),
        FieldPanel("what_was_done"),
        FieldPanel("results"),
        FieldPanel("result_figures"),
        FieldPanel("transferability"),
        FieldPanel("body"),
        InlinePanel("gallery_images", heading="Bilder", label="Bilde"),
        MultiFieldPanel(
            [
                FieldPanel("partners"),
                FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
            ],
            heading="Samarbeid og periode",
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_role"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
            ],
            heading="Kontakt",
        ),
        MultiFieldPanel([FieldPanel("last_reviewed"), FieldPanel("next_review")], heading="Revisjon"),
        *KnowledgePage.taxonomy_panels,
        *KnowledgePage.extension_panels,
    ]

    search_fields = KnowledgePage.search_fields + [
        index.SearchField("problem"),
        index.SearchField("what_was_done"),
        index.SearchField("results"),
        index.SearchField("transferability"),
        index.SearchField("partners"),
    ]
    api_fields = KnowledgePage.api_fields + [
        APIField("problem"),
        APIField("what_was_done"),
        APIField("results"),
        APIField("result_figures"),
        APIField("partners"),
        APIField("period_start"),
        APIField("period_end"),
        APIField("contact_name"),
        APIField("contact_role"),
        APIField("contact_email"),
        APIField("contact_phone"),
        APIField("transferability"),
        APIField("gallery_images"),
    ]

    class Meta:
        verbose_name = "godt eksempel"
        verbose_name_plural = "gode eksempler"

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "Sluttdato kan ikke være før startdato."})

    def partner_list(self):
        return [line.strip() for line in self.partners.splitlines() if line.strip()]


class GoodExampleImage(Orderable):
    page = ParentalKey(GoodExamplePage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name="bilde"
    )
    caption = models.CharField("bildetekst", max_length=300, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]
    api_fields = [APIField("image"), APIField("caption")]

    class Meta(Orderable.Meta):
        verbose_name = "bilde"
        verbose_name_plural = "bilder"
