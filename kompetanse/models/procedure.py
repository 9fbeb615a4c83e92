"""Procedure (prosedyre): how a task is done, step by step, and who answers for it."""

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from kompetanse.blocks import INLINE_FEATURES, AttachmentBlock, ReferenceBlock, StepBlock
from kompetanse.models.base import KnowledgePage


class ProcedurePage(KnowledgePage):
    purpose = RichTextField("formål", features=INLINE_FEATURES, blank=True)
    scope = RichTextField(
        "omfang",
        features=INLINE_FEATURES,
        blank=True,
        help_text="Hvem og hvilke situasjoner prosedyren gjelder.",
    )
    responsibility = RichTextField("ansvar", features=INLINE_FEATURES, blank=True)
    steps = StreamField([("step", StepBlock())], verbose_name="fremgangsmåte", blank=True)
    references = StreamField([("reference", ReferenceBlock())], verbose_name="referanser", blank=True)
    attachments = StreamField([("attachment", AttachmentBlock())], verbose_name="vedlegg", blank=True)

    content_kind = "procedure"
    is_creatable = True
    parent_page_types = ["kompetanse.ProcedureIndexPage"]
    subpage_types = []

    content_panels = KnowledgePage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("purpose"), FieldPanel("scope"), FieldPanel("responsibility")],
            heading="Formål, omfang og ansvar",
        ),
        FieldPanel("steps"),
        FieldPanel("body"),
        FieldPanel("references"),
        FieldPanel("attachments"),
        *KnowledgePage.review_panels,
        *KnowledgePage.taxonomy_panels,
        *KnowledgePage.extension_panels,
    ]

    search_fields = KnowledgePage.search_fields + [
        index.SearchField("purpose"),
        index.SearchField("scope"),
        index.SearchField("responsibility"),
        index.SearchField("steps"),
    ]
    api_fields = KnowledgePage.api_fields + [
        APIField("purpose"),
        APIField("scope"),
        APIField("responsibility"),
        APIField("steps"),
        APIField("references"),
        APIField("attachments"),
    ]

    class Meta:
        verbose_name = "prosedyre"
        verbose_name_plural = "prosedyrer"
