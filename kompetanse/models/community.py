"""The top of the page tree: the portal home and one home page per health community."""

from django.db import models
from django.http import Http404, QueryDict
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from kompetanse import registry
from kompetanse.models.base import CENTRAL_SLUG, KnowledgePage
from kompetanse.models.events import EventPage
from kompetanse.models.listings import LISTING_MODELS, EventIndexPage, NewsIndexPage
from kompetanse.models.news import NewsPage

# How many news items and upcoming events a community's front page shows.
FRONT_PAGE_NEWS = 4
FRONT_PAGE_EVENTS = 3

LICENSE_CHOICES = [
    ("CC-BY-4.0", "CC BY 4.0 – Navngivelse"),
    ("CC-BY-SA-4.0", "CC BY-SA 4.0 – Navngivelse, del på samme vilkår"),
    ("CC0-1.0", "CC0 1.0 – Ingen rettigheter forbeholdt"),
    ("alle-rettigheter", "Alle rettigheter forbeholdt"),
]


class PortalHomePage(Page):
    intro = RichTextField("ingress", blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["kompetanse.CommunityHomePage"]
    max_count = 1

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = "portalforside"
        verbose_name_plural = "portalforsider"

    def communities(self):
        return CommunityHomePage.objects.child_of(self).live().public().order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["communities"] = self.communities()
        context["recent_pages"] = (
            KnowledgePage.objects.live().public().specific().order_by("-last_published_at")[:10]
        )
        return context


class CommunityHomePage(Page):
    """A health community (helsefellesskap); its slug is the community's identifier.

    The central editorial team's shared section is a community like the others, with slug
    ``sentral``.
    """

    short_name = models.CharField(
        "kortnavn", max_length=80, blank=True, help_text="Brukes i lister, for eksempel «Oslo»."
    )
    intro = models.TextField("ingress", blank=True)
    description = RichTextField(
        "om helsefellesskapet", blank=True, features=["h2", "h3", "bold", "italic", "ul", "ol", "link"]
    )
    members = models.TextField(
        "deltakere", blank=True, help_text="Helseforetak og kommuner i helsefellesskapet, én per linje."
    )
    contact_email = models.EmailField("kontakt-e-post", blank=True)
    contact_phone = models.CharField("kontakttelefon", max_length=40, blank=True)
    license = models.CharField(
        "lisens for innholdet", max_length=30, choices=LICENSE_CHOICES, default="CC-BY-4.0"
    )

    parent_page_types = ["kompetanse.PortalHomePage"]
    subpage_types = [
        "kompetanse.ProcedureIndexPage",
        "kompetanse.RecommendationIndexPage",
        "kompetanse.GoodExampleIndexPage",
        "kompetanse.NewsIndexPage",
        "kompetanse.EventIndexPage",
        "kompetanse.CourseIndexPage",
        "kompetanse.FilmIndexPage",
        "kompetanse.PodcastIndexPage",
        "kompetanse.InfoPage",
        "kompetanse.TopicIndexPage",
    ]

    content_panels = Page.content_panels + [
        FieldPanel("short_name"),
        FieldPanel("intro"),
        FieldPanel("description"),
        FieldPanel("members"),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("license")],
            heading="Kontakt og lisens",
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = "helsefellesskap"
        verbose_name_plural = "helsefellesskap"

    @property
    def community(self):
        return self

    @property
    def display_name(self):
        return self.short_name or self.title

    @property
    def is_central(self):
        return self.slug == CENTRAL_SLUG

    def route(self, request, path_components):
        # A new community is not public until its team publishes the home page: nothing under an
        # unpublished home is served, even a page published there ahead of it.
        if not self.live:
            raise Http404
        return super().route(request, path_components)

    def member_list(self):
        return [line.strip() for line in self.members.splitlines() if line.strip()]

    def listing_pages(self):
        return [page.specific for page in self.get_children().live().public().type(*LISTING_MODELS)]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listings"] = self.listing_pages()
        context["recent_pages"] = (
            KnowledgePage.objects.live()
            .public()
            .descendant_of(self)
            .not_type(NewsPage, EventPage)  # they have their own sections below
            .specific()
            .order_by("-last_published_at")[:8]
        )
        context["news_listing"], context["news"] = self.front_page_items(NewsIndexPage, FRONT_PAGE_NEWS)
        context["events_listing"], context["events"] = self.front_page_items(
            EventIndexPage, FRONT_PAGE_EVENTS
        )
        # What the satellites offer the community's readers (kompetanse.registry), e.g. «Nyhetsbrev».
        context["offers"] = registry.community_offers(self)
        return context

    def front_page_items(self, listing_model, count):
        """The listing and its first items as the listing orders them: the newest news, the
        next upcoming events (the community's own and the shared ones)."""
        listing = listing_model.objects.child_of(self).live().public().first()
        if listing is None:
            return None, []
        pages, *_ = listing.filtered_pages(QueryDict())
        return listing, list(pages[:count])
