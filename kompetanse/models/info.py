"""Information pages every Norwegian public service must have («Om portalen», «Personvern»,
«Tilgjengelighetserklæring»), kept in the central team's section so that its editors own them."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

INFO_BODY_FEATURES = ["h2", "h3", "bold", "italic", "ul", "ol", "link"]


class InfoPage(Page):
    """A plain page with a heading, an introduction and a rich-text body, linked from the footer
    on every page."""

    intro = models.TextField(
        "ingress", blank=True, help_text="Vises under overskriften og som beskrivelse i søkemotorer."
    )
    body = RichTextField("innhold", blank=True, features=INFO_BODY_FEATURES)

    parent_page_types = ["kompetanse.CommunityHomePage"]
    subpage_types = []

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = "informasjonsside"
        verbose_name_plural = "informasjonssider"

    @classmethod
    def can_create_at(cls, parent):
        # Only the central section holds the portal's information pages.
        return super().can_create_at(parent) and getattr(parent.specific, "is_central", False)
