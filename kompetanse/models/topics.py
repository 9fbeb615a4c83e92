"""Topic pages (temasider): one page per topic in the shared vocabulary, kept by the central team.

They live in the central section, under its «Tema» index (/sentral/tema/<fagområde>/): the
central team's page permissions on its section are what let it, and only it, edit them, and a
community's front page and listings stay as they are. A topic page gathers the topic's key
procedures, recommendations and good examples (chosen by the central editor, or the newest
when none are chosen) and a section for every other kind of content in ``CONTENT_MODELS`` (news,
upcoming events and whatever kinds are added later), each kind saying how it is listed
(``KnowledgePage.topic_section_order``, ``current_for_topic``).

Each community's local team adds its own introduction (``TopicIntroduction``, edited in the
admin for its own communities only, kompetanse.community_scope). The reader sees the one of the
community chosen in «Mitt helsefellesskap» (static/js/area.js adds ``?helsefellesskap=<slug>``
to the links here; without JavaScript the page's own form does), and the sections then list
that community's pages first, with the shared ones.
"""

from django import forms
from django.apps import apps
from django.db import models
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.panels import PublishedTitlePageChooserPanel

# The package this module is part of, for its registry of content kinds (CONTENT_MODELS), read
# when a page is shown: by then the package has finished importing.
from kompetanse import models as content
from kompetanse import registry
from kompetanse.blocks import INLINE_FEATURES, ContactBlock
from kompetanse.models.base import CENTRAL_SLUG, COMMUNITY_DEPTH, KnowledgePage
from kompetanse.models.taxonomy import TargetGroup, Topic

# The kinds a topic page leads with; every other kind gets a section of its own.
KEY_KINDS = ("procedure", "recommendation", "good_example")
AUTOMATIC_KEY_PAGES = 6
SECTION_SIZE = 4
# The reader's community in the address: ?helsefellesskap=<slug>.
COMMUNITY_PARAM = "helsefellesskap"
TARGET_GROUP_PARAM = "malgruppe"
INDEX_GROUP_PAGES = 12


def reader_community(params):
    """(community, unknown slug) for the address's ``helsefellesskap``: a published community
    other than the central section, or None (and the slug, if one was given and is not one)."""
    slug = (params.get(COMMUNITY_PARAM) or "").strip()
    if not slug or slug == CENTRAL_SLUG:  # the shared content is everyone's
        return None, ""
    community = (
        community_model()
        .objects.live()
        .public()
        .filter(depth=COMMUNITY_DEPTH, slug=slug)
        .exclude(slug=CENTRAL_SLUG)
        .first()
    )
    return community, "" if community else slug


def community_model():
    # By name: the community module builds on this one (a community home holds the «Tema» index).
    return apps.get_model("kompetanse", "CommunityHomePage")


def central_path():
    return community_model().objects.filter(slug=CENTRAL_SLUG).values_list("path", flat=True).first()


def for_community(pages, community):
    """Pages of that community and the shared ones, the community's first (ordered by ``rank``
    then whatever follows); all pages when no community is chosen."""
    if community is None:
        return pages.annotate(rank=Value(0, output_field=IntegerField()))
    shared = central_path() or "-"
    pages = pages.filter(Q(path__startswith=community.path) | Q(path__startswith=shared))
    return pages.annotate(
        rank=Case(
            When(path__startswith=community.path, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )


def communities_by_path():
    return {c.path: c for c in community_model().objects.filter(depth=COMMUNITY_DEPTH)}


def label_communities(pages, by_path):
    """Give each page the community it belongs to (``listed_community``), from ``by_path``
    (``communities_by_path()``, read once per page shown)."""
    for page in pages:
        page.listed_community = by_path.get(page.path[: COMMUNITY_DEPTH * page.steplen])
    return pages


class TopicIndexPage(Page):
    """«Tema»: every topic page, and what there is for one target group (``?malgruppe=<slug>``),
    which the front page's target-group cards open."""

    intro = models.TextField("ingress", blank=True)

    parent_page_types = ["kompetanse.CommunityHomePage"]
    subpage_types = ["kompetanse.TopicPage"]
    max_count = 1

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = "temaoversikt"
        verbose_name_plural = "temaoversikter"

    @classmethod
    def can_create_at(cls, parent):
        # One index, in the central section, whose team keeps the topics.
        return super().can_create_at(parent) and getattr(parent.specific, "is_central", False)

    def topic_pages(self):
        return TopicPage.objects.child_of(self).live().public().select_related("topic").order_by("title")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        slug = (request.GET.get(TARGET_GROUP_PARAM) or "").strip()
        group = TargetGroup.objects.filter(slug=slug).first() if slug else None
        topic_pages = list(self.topic_pages())
        content = KnowledgePage.objects.live().public().not_type(TopicPage)
        if group is not None:
            content = content.filter(target_groups=group)
        counts = dict(
            Topic.objects.filter(topic_page__in=[p.pk for p in topic_pages])
            .annotate(n=Count("pages", filter=Q(pages__in=content), distinct=True))
            .values_list("pk", "n")
        )
        for topic_page in topic_pages:
            topic_page.content_count = counts.get(topic_page.topic_id, 0)
        if group is not None:
            topic_pages = [p for p in topic_pages if p.content_count]
            group_pages = registry.exclude_live_copies(content).specific().order_by("-last_published_at")
            context["group_pages"] = label_communities(
                list(group_pages[:INDEX_GROUP_PAGES]), communities_by_path()
            )
        context.update(
            topic_pages=topic_pages,
            target_groups=TargetGroup.objects.all(),
            chosen_group=group,
            unknown_group=slug if slug and group is None else "",
        )
        return context


class TopicPage(KnowledgePage):
    topic = models.OneToOneField(
        "kompetanse.Topic",
        verbose_name="fagområde",
        on_delete=models.PROTECT,
        related_name="topic_page",
        error_messages={"unique": "Fagområdet har allerede en temaside."},
        help_text="Hvert fagområde har én temaside.",
    )
    contacts = StreamField(
        [("contact", ContactBlock())], verbose_name="kontaktpersoner", blank=True, use_json_field=True
    )

    content_kind = "topic"
    # One page per topic, the central team's: a community adds its own introduction instead.
    adoptable = False
    is_creatable = True
    parent_page_types = ["kompetanse.TopicIndexPage"]
    subpage_types = []

    content_panels = KnowledgePage.content_panels + [
        FieldPanel("topic"),
        FieldPanel("summary", heading="Ingress"),
        FieldPanel("body", heading="Innledning"),
        MultiFieldPanel(
            [
                InlinePanel(
                    "key_page_links",
                    label="Nøkkelside",
                    help_text="Velg prosedyrer, samarbeidsanbefalinger og gode eksempler i den rekkefølgen de skal "
                    "vises. Uten valgte sider vises de nyeste sidene om fagområdet.",
                ),
            ],
            heading="Nøkkelsider",
        ),
        FieldPanel("contacts"),
        MultiFieldPanel(
            [FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple)],
            heading="Målgrupper",
        ),
        *KnowledgePage.review_panels,
        *KnowledgePage.extension_panels,
    ]
    search_fields = KnowledgePage.search_fields + [index.SearchField("contacts")]
    api_fields = KnowledgePage.api_fields + [APIField("topic_slug"), APIField("contacts")]

    class Meta:
        verbose_name = "tema"
        verbose_name_plural = "temasider"

    def save(self, *args, **kwargs):
        # The page is about its topic: found under it in search, facets and the API.
        if self.topic_id:
            self.topics = [self.topic]
        return super().save(*args, **kwargs)

    @property
    def topic_slug(self):
        return self.topic.slug if self.topic_id else ""

    def chosen_key_pages(self, *, published_only=True):
        """The key pages the central editor chose, in their order (for readers: the published,
        public ones)."""
        ids = [link.page_id for link in self.key_page_links.all() if link.page_id]
        pages = KnowledgePage.objects.filter(pk__in=ids)
        if published_only:
            pages = pages.live().public()
        found = {p.pk: p for p in pages.specific()}
        return [found[i] for i in ids if i in found]

    def automatic_key_pages(self, community):
        pages = (
            KnowledgePage.objects.live().public().type(*(content.CONTENT_MODELS[kind] for kind in KEY_KINDS))
        )
        pages = for_community(registry.exclude_live_copies(pages.filter(topics=self.topic_id)), community)
        return list(pages.order_by("rank", "-last_published_at", "title").specific()[:AUTOMATIC_KEY_PAGES])

    def sections(self, community):
        """(kind, title, pages) for each other kind of content about the topic that has any."""
        found = []
        for kind, model in content.CONTENT_MODELS.items():
            if kind in KEY_KINDS or issubclass(model, TopicPage):
                continue
            pages = registry.exclude_live_copies(model.objects.live().public().filter(topics=self.topic_id))
            pages = for_community(model.current_for_topic(pages), community)
            pages = list(pages.order_by("rank", *model.topic_section_order)[:SECTION_SIZE])
            if pages:
                title = getattr(model, "topic_section_title", "") or content.KIND_LABELS_PLURAL[kind]
                found.append((kind, title, label_communities(pages, self.communities_by_path)))
        return found

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        community, unknown = reader_community(request.GET)
        key_pages = self.chosen_key_pages()
        context.update(
            reader_community=community,
            unknown_community=unknown,
            local_introduction=(
                self.local_introductions.filter(community=community).first() if community else None
            ),
            key_pages=label_communities(
                key_pages or self.automatic_key_pages(community), self.communities_by_path
            ),
            key_pages_chosen=bool(key_pages),
            sections=self.sections(community),
            community_choices=self.community_choices,
            community_param=COMMUNITY_PARAM,
        )
        return context

    @cached_property
    def communities_by_path(self):
        return communities_by_path()

    @cached_property
    def community_choices(self):
        return list(
            community_model()
            .objects.live()
            .public()
            .filter(depth=COMMUNITY_DEPTH)
            .exclude(slug=CENTRAL_SLUG)
            .order_by("title")
        )


class TopicKeyPage(Orderable):
    """One of a topic page's key pages, in the central editor's order."""

    topic_page = ParentalKey(TopicPage, on_delete=models.CASCADE, related_name="key_page_links")
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="side", on_delete=models.CASCADE, related_name="+"
    )

    panels = [
        PublishedTitlePageChooserPanel(
            "page",
            page_type=[
                "kompetanse.ProcedurePage",
                "kompetanse.RecommendationPage",
                "kompetanse.GoodExamplePage",
            ],
        )
    ]

    class Meta(Orderable.Meta):
        verbose_name = "nøkkelside"
        verbose_name_plural = "nøkkelsider"


class TopicIntroduction(models.Model):
    """A community's own introduction to a topic, shown on the topic page to its readers.

    Its local team edits it in the admin, for its own communities only (kompetanse.community_scope)."""

    topic_page = models.ForeignKey(
        TopicPage, verbose_name="temaside", on_delete=models.CASCADE, related_name="local_introductions"
    )
    community = models.ForeignKey(
        "kompetanse.CommunityHomePage",
        verbose_name="helsefellesskap",
        on_delete=models.CASCADE,
        related_name="topic_introductions",
    )
    text = RichTextField(
        "lokal innledning",
        features=INLINE_FEATURES,
        help_text="Hva som gjelder i helsefellesskapet: lokale avtaler, tilbud og hvem som kan svare.",
    )

    panels = [FieldPanel("topic_page"), FieldPanel("community"), FieldPanel("text")]

    class Meta:
        ordering = ["topic_page__title", "community__title"]
        verbose_name = "lokal innledning til tema"
        verbose_name_plural = "lokale innledninger til tema"
        constraints = [
            models.UniqueConstraint(
                fields=["topic_page", "community"],
                name="kompetanse_topic_introduction_once",
                violation_error_message="Helsefellesskapet har allerede en lokal innledning til denne temasiden.",
            )
        ]

    def __str__(self):
        return f"{self.topic_page.title} – {self.community.title}"
