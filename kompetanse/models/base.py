"""The shared base of the three content types: summary, body, taxonomy, ownership and review.

KnowledgePage is a concrete (multi-table) page model rather than an abstract one, so that
listings, facets, reports and the API can query every content type in one query
(``KnowledgePage.objects.live().filter(topics__slug=...)``). It is never created on its own.
"""

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.widgets import AdminSnippetChooser

from kompetanse.blocks import BaseStreamBlock
from kompetanse.forms import ExtensionPanels, KnowledgePageForm
from kompetanse.models.taxonomy import ContentOwner
from kompetanse.review import ReviewStatus

# Root (1) → portal home (2) → community home (3): a community's subtree is every page whose
# tree path starts with the community home's path.
COMMUNITY_DEPTH = 3

# The central editorial team's shared section («Felles innhold») is the community with this slug.
CENTRAL_SLUG = "sentral"


class KnowledgePage(Page):
    summary = models.TextField(
        "sammendrag", help_text="To til fire setninger: hva siden gjelder og for hvem."
    )
    body = StreamField(BaseStreamBlock(), verbose_name="innhold", blank=True)
    target_groups = ParentalManyToManyField(
        "kompetanse.TargetGroup", verbose_name="målgrupper", blank=True, related_name="pages"
    )
    topics = ParentalManyToManyField(
        "kompetanse.Topic", verbose_name="fagområder", blank=True, related_name="pages"
    )
    levels = ParentalManyToManyField(
        "kompetanse.Level", verbose_name="tjenestenivåer", blank=True, related_name="pages"
    )

    content_owner = models.ForeignKey(
        "kompetanse.ContentOwner",
        verbose_name="innholdsansvarlig",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pages",
        help_text="Personen eller enheten som svarer for innholdet.",
    )
    approved_by = models.CharField("godkjent av", max_length=200, blank=True)
    version = models.CharField("versjon", max_length=30, blank=True)
    valid_from = models.DateField("gyldig fra", null=True, blank=True)
    last_reviewed = models.DateField("sist revidert", null=True, blank=True)
    next_review = models.DateField("neste revisjon", null=True, blank=True)

    # Stable identity of content brought in from a package; re-importing the same uid updates.
    import_uid = models.CharField(
        "import-ID", max_length=100, unique=True, null=True, blank=True, editable=False
    )

    is_creatable = False
    parent_page_types = []

    # How a topic page lists this kind in its section (kompetanse.models.topics): the order, and
    # which pages are current (``current_for_topic``); a kind may name its section
    # (``topic_section_title``), else its plural verbose name is used.
    topic_section_order = ("-last_published_at", "title")
    # Whether another community may take a page of this kind into use (reuse: «Ta i bruk»).
    adoptable = True

    # The edit form and the panels other apps add to it (kompetanse.forms, kompetanse.registry).
    base_form_class = KnowledgePageForm
    extension_panels = [ExtensionPanels()]

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.RelatedFields("target_groups", [index.SearchField("name")]),
        index.FilterField("next_review"),
    ]

    api_fields = [
        APIField("summary"),
        APIField("body"),
        APIField("version"),
        APIField("valid_from"),
        APIField("last_reviewed"),
        APIField("next_review"),
    ]

    taxonomy_panels = [
        MultiFieldPanel(
            [
                FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("levels", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Målgrupper og fagområder",
        ),
    ]
    review_panels = [
        MultiFieldPanel(
            [
                # Wagtail builds the snippet chooser's labels once, when the snippet is registered
                # at startup («Choose %(object)s» formatted with gettext before any request has
                # activated bokmål), so it showed «Choose innholdsansvarlig». Named here instead.
                FieldPanel(
                    "content_owner",
                    widget=AdminSnippetChooser(
                        ContentOwner,
                        icon="user",
                        choose_one_text="Velg innholdsansvarlig",
                        choose_another_text="Velg en annen innholdsansvarlig",
                        link_to_chosen_text="Endre innholdsansvarlig",
                    ),
                ),
                FieldPanel("approved_by"),
                FieldPanel("version"),
                FieldPanel("valid_from"),
                FieldPanel("last_reviewed"),
                FieldPanel("next_review"),
            ],
            heading="Eierskap og revisjon",
        ),
    ]

    class Meta:
        verbose_name = "fagside"
        verbose_name_plural = "fagsider"

    def clean(self):
        super().clean()
        if self.next_review and self.last_reviewed and self.next_review < self.last_reviewed:
            raise ValidationError({"next_review": "Neste revisjon kan ikke være før siste revisjon."})
        if self.valid_from and self.next_review and self.next_review < self.valid_from:
            raise ValidationError({"next_review": "Neste revisjon kan ikke være før gyldig fra."})

    @property
    def community(self):
        # By name: the community module builds on this one (its home pages list KnowledgePages).
        return community_of(self, apps.get_model("kompetanse", "CommunityHomePage"))

    @property
    def review_status(self):
        """Where the page stands with its next review today (kompetanse.review.ReviewStatus)."""
        return ReviewStatus.of(self.next_review)

    @property
    def content_kind(self):
        """The short type name used in imports, exports, search facets and the API."""
        return self.specific_class.content_kind if self.specific_class is not KnowledgePage else ""

    @classmethod
    def current_for_topic(cls, pages):
        """The pages of this kind a topic page shows now (all of them, unless a kind says)."""
        return pages

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self.prefetch_body_renditions()
        return context

    def prefetch_body_renditions(self):
        """Fetch the renditions of every image in the body in one query, not one per image.

        The template asks each image for its renditions; with them prefetched here (on the same
        block values the template iterates), a page costs the same queries however many images
        its body holds.
        """
        images = [block.value for block in self.body if block.block_type == "image" and block.value]
        if images:
            prefetch_related_objects(images, "renditions")

    def sorted_target_groups(self):
        return sorted(self.target_groups.all(), key=lambda g: (g.sort_order, g.name))


def community_of(page, community_model):
    """The community home a page belongs to, or None for pages above the communities."""
    if page.depth < COMMUNITY_DEPTH:
        return None
    if page.depth == COMMUNITY_DEPTH:
        specific = page.specific
        return specific if isinstance(specific, community_model) else None
    prefix = page.path[: COMMUNITY_DEPTH * page.steplen]
    return community_model.objects.filter(path=prefix).first()
