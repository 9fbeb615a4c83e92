"""Listing pages: one per content type in each community, with filters that work without JS."""

from django.apps import apps
from django.core.paginator import Paginator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from kompetanse import registry
from kompetanse.models.base import CENTRAL_SLUG
from kompetanse.models.taxonomy import TargetGroup, Topic

SORT_CHOICES = {
    "nyeste": ("Sist endret", ["-last_published_at", "title"]),
    "tittel": ("Tittel (A–Å)", ["title"]),
    "revisjon": ("Neste revisjon", ["next_review", "title"]),
}
PAGE_SIZE = 20


class ListingPage(Page):
    intro = models.TextField("ingress", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["kompetanse.CommunityHomePage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True

    @classmethod
    def listed_model(cls):
        """Each listing holds exactly one content type: the one its subpage_types names."""
        return apps.get_model(cls.subpage_types[0])

    def listed_pages(self):
        """This listing's pages, plus the central section's pages of the same type («Felles
        innhold»), shown without being copied. A central page that a page here replaces (one this
        community has taken into use, reported by the reuse app through ``kompetanse.registry``)
        is left out: its local copy is listed instead."""
        model = self.listed_model()
        pages = model.objects.child_of(self)
        shared = self.shared_listing()
        if shared is not None:
            central = model.objects.child_of(shared)
            for replaced_ids in registry.replaced_shared_page_ids(self):
                central = central.exclude(pk__in=replaced_ids)
            pages = pages | central
        return pages.live().public()

    def shared_listing(self):
        """The central section's listing of the same type, or None (also for the central one)."""
        # By name: the community module builds on this one (a community home lists its listings).
        CommunityHomePage = apps.get_model("kompetanse", "CommunityHomePage")
        central = CommunityHomePage.objects.filter(slug=CENTRAL_SLUG).first()
        if central is None or self.path.startswith(central.path):
            return None
        return type(self).objects.child_of(central).first()

    def filtered_pages(self, params):
        """Apply the reader's filters; unknown values are ignored rather than failing the page."""
        pages = self.listed_pages()
        chosen_groups = [slug for slug in params.getlist("malgruppe") if slug]
        chosen_topics = [slug for slug in params.getlist("fagomrade") if slug]
        if chosen_groups:
            pages = pages.filter(target_groups__slug__in=chosen_groups)
        if chosen_topics:
            pages = pages.filter(topics__slug__in=chosen_topics)
        sort = params.get("sortering")
        if sort not in SORT_CHOICES:
            sort = "nyeste"
        pages = pages.distinct().order_by(*SORT_CHOICES[sort][1])
        return pages, sort, chosen_groups, chosen_topics

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pages, sort, chosen_groups, chosen_topics = self.filtered_pages(request.GET)
        paginator = Paginator(
            pages.select_related("content_owner").prefetch_related("target_groups", "topics"),
            PAGE_SIZE,
        )
        context.update(
            page_obj=paginator.get_page(request.GET.get("side")),
            sort=sort,
            sort_choices=[(key, label) for key, (label, _) in SORT_CHOICES.items()],
            target_groups=TargetGroup.objects.all(),
            topics=Topic.objects.filter(pages__in=self.listed_pages()).distinct(),
            chosen_groups=chosen_groups,
            chosen_topics=chosen_topics,
        )
        return context


class ProcedureIndexPage(ListingPage):
    subpage_types = ["kompetanse.ProcedurePage"]

    class Meta:
        verbose_name = "prosedyreliste"
        verbose_name_plural = "prosedyrelister"


class RecommendationIndexPage(ListingPage):
    subpage_types = ["kompetanse.RecommendationPage"]

    class Meta:
        verbose_name = "liste over samarbeidsanbefalinger"
        verbose_name_plural = "lister over samarbeidsanbefalinger"


class GoodExampleIndexPage(ListingPage):
    subpage_types = ["kompetanse.GoodExamplePage"]

    class Meta:
        verbose_name = "liste over gode eksempler"
        verbose_name_plural = "lister over gode eksempler"


LISTING_MODELS = (ProcedureIndexPage, RecommendationIndexPage, GoodExampleIndexPage)
