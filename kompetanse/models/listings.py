"""Listing pages: one per content type in each community, with filters that work without JS."""

import datetime

from django.apps import apps
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from core import pagecache
from kompetanse import registry
from kompetanse.calendar import calendar_response
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


class NewsIndexPage(ListingPage):
    """News, newest first (by the date the news gives, then by publishing)."""

    subpage_types = ["kompetanse.NewsPage"]

    class Meta:
        verbose_name = "nyhetsliste"
        verbose_name_plural = "nyhetslister"

    def filtered_pages(self, params):
        pages, _sort, chosen_groups, chosen_topics = super().filtered_pages(params)
        return pages.order_by("-date", "-first_published_at"), "nyeste", chosen_groups, chosen_topics

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sort_choices"] = []  # by date only
        return context


# Past events a calendar feed still carries, so that a subscriber's calendar keeps them for a while.
CALENDAR_PAST_DAYS = 180
UPCOMING, PAST = "kommende", "tidligere"


class EventIndexPage(RoutablePageMixin, ListingPage):
    """Upcoming events (soonest first) or past ones (latest first), told apart by their end time
    at the moment of the request: an event leaves «Kommende» when it ends, with nothing to run.

    Its calendar feeds: ``kalender/`` (every event listed here) and ``kalender/<fagområde>/``.
    """

    subpage_types = ["kompetanse.EventPage"]

    class Meta:
        verbose_name = "liste over kurs og arrangementer"
        verbose_name_plural = "lister over kurs og arrangementer"

    def filtered_pages(self, params):
        pages, _sort, chosen_groups, chosen_topics = super().filtered_pages(params)
        now = timezone.now()
        # The listing (and the front page showing its first items) changes when the next of its
        # events ends: no cached copy outlives that.
        pagecache.valid_until(pages.filter(end__gte=now).aggregate(next_end=models.Min("end"))["next_end"])
        if params.get("visning") == PAST:
            pages = pages.filter(end__lt=now).order_by("-start", "title")
        else:
            pages = pages.filter(end__gte=now).order_by("start", "title")
        return pages, "nyeste", chosen_groups, chosen_topics

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sort_choices"] = []  # by time only
        context["showing"] = PAST if request.GET.get("visning") == PAST else UPCOMING
        # Absolute addresses: a reader pastes them into a calendar program.
        context["calendar_url"] = request.build_absolute_uri(self.calendar_url)
        context["topic_calendars"] = [
            (topic, request.build_absolute_uri(self.topic_calendar_url(topic))) for topic in context["topics"]
        ]
        return context

    def calendar_events(self, topic=None):
        events = self.listed_pages().filter(
            end__gte=timezone.now() - datetime.timedelta(days=CALENDAR_PAST_DAYS)
        )
        if topic is not None:
            events = events.filter(topics=topic)
        return events.order_by("start").prefetch_related("topics")

    @property
    def calendar_url(self):
        return self.url + self.reverse_subpage("calendar")

    def topic_calendar_url(self, topic):
        return self.url + self.reverse_subpage("topic_calendar", kwargs={"topic": topic.slug})

    @path("kalender/")
    def calendar(self, request):
        community = self.get_parent()
        return calendar_response(
            self.calendar_events(), f"{self.title} – {community.title}", f"{community.slug}.ics", request
        )

    @path("kalender/<slug:topic>/")
    def topic_calendar(self, request, topic):
        found = Topic.objects.filter(slug=topic).first()
        if found is None:
            raise Http404("Ukjent fagområde")
        community = self.get_parent()
        return calendar_response(
            self.calendar_events(found),
            f"{self.title} – {found.name} – {community.title}",
            f"{community.slug}-{found.slug}.ics",
            request,
        )


class CourseIndexPage(ListingPage):
    subpage_types = ["kompetanse.CoursePage"]

    class Meta:
        verbose_name = "liste over e-læringskurs"
        verbose_name_plural = "lister over e-læringskurs"


class FilmIndexPage(ListingPage):
    subpage_types = ["kompetanse.FilmPage"]

    class Meta:
        verbose_name = "filmliste"
        verbose_name_plural = "filmlister"


class PodcastIndexPage(ListingPage):
    """Podcast series; each series lists its own episodes (kompetanse.models.podcasts)."""

    subpage_types = ["kompetanse.PodcastPage"]

    class Meta:
        verbose_name = "podkastliste"
        verbose_name_plural = "podkastlister"


LISTING_MODELS = (
    ProcedureIndexPage,
    RecommendationIndexPage,
    GoodExampleIndexPage,
    NewsIndexPage,
    EventIndexPage,
    CourseIndexPage,
    FilmIndexPage,
    PodcastIndexPage,
)
