"""Podcast: a series (a community's own, or the shared one) with its episodes under it.

The series is the page readers subscribe to: its RSS 2.0 feed with the iTunes tags
(``rss/``, kompetanse.podcast_feed) lists every published episode with its audio file. An episode
has an audio file (MP3 or M4A, checked), its length, a description and a transcript (required:
WCAG 1.2.1), shown below the player. Neither has a review date: an episode is a recording of its
day, like a news item, and is unpublished rather than rewritten when it is out of date
(lifecycle.review.REVIEW_YEARS leaves both out).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.search import index

from kompetanse.mediafiles import (
    DURATION_HELP,
    Recording,
    check_audio,
    check_document,
    document_field,
    mime_type,
    transcript_field,
)
from kompetanse.models.base import KnowledgePage
from kompetanse.podcast_feed import podcast_feed_response


class PodcastPage(RoutablePageMixin, KnowledgePage):
    author = models.CharField(
        "avsender",
        max_length=200,
        help_text="Hvem som lager podkasten, slik podkastappene viser det (itunes:author).",
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="omslagsbilde",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Kvadratisk, helst minst 1400 × 1400 piksler. Vises i podkastappene.",
    )

    content_kind = "podcast"
    # A copy of a series would come without its episodes: shown in every community as it is.
    adoptable = False
    is_creatable = True
    parent_page_types = ["kompetanse.PodcastIndexPage"]
    subpage_types = ["kompetanse.PodcastEpisodePage"]

    content_panels = KnowledgePage.content_panels + [
        FieldPanel("summary", heading="Om podkasten"),
        MultiFieldPanel([FieldPanel("author"), FieldPanel("cover_image")], heading="I podkastappene"),
        FieldPanel("body"),
        *KnowledgePage.taxonomy_panels,
        *KnowledgePage.extension_panels,
    ]

    search_fields = KnowledgePage.search_fields + [index.SearchField("author")]
    api_fields = KnowledgePage.api_fields + [APIField("author"), APIField("cover_image")]

    class Meta:
        verbose_name = "podkast"
        verbose_name_plural = "podkaster"

    def episodes(self):
        """The published episodes readers may hear, newest first."""
        return (
            PodcastEpisodePage.objects.child_of(self).live().public().order_by("-date", "-first_published_at")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["episodes"] = self.episodes().select_related("audio")
        context["feed_url"] = request.build_absolute_uri(self.feed_url)
        return context

    @property
    def feed_url(self):
        return self.url + self.reverse_subpage("feed")

    @path("rss/")
    def feed(self, request):
        """The series as a podcast feed (RSS 2.0 with the iTunes tags) for podcast apps."""
        return podcast_feed_response(self, self.episodes().select_related("audio"), request)


class PodcastEpisodePage(Recording, KnowledgePage):
    date = models.DateField(
        "publiseringsdato",
        default=timezone.localdate,
        help_text="Datoen episoden kom ut (pubDate i podkastappene).",
    )
    audio = document_field("lydfil", "En MP3- eller M4A-fil lastet opp som dokument.")
    duration = models.DurationField("varighet", help_text=DURATION_HELP)
    transcript = transcript_field("Alt som sies i episoden, som tekst (for dem som ikke kan høre den).")

    content_kind = "podcast_episode"
    # An episode belongs to its series, which is shown in every community as it is.
    adoptable = False
    is_creatable = True
    parent_page_types = ["kompetanse.PodcastPage"]
    subpage_types = []

    content_panels = KnowledgePage.content_panels + [
        FieldPanel("summary", heading="Om episoden"),
        MultiFieldPanel([FieldPanel("audio"), FieldPanel("duration"), FieldPanel("date")], heading="Lyden"),
        FieldPanel("transcript"),
        FieldPanel("body"),
        *KnowledgePage.taxonomy_panels,
        *KnowledgePage.extension_panels,
    ]

    search_fields = KnowledgePage.search_fields + [index.SearchField("transcript"), index.FilterField("date")]
    api_fields = KnowledgePage.api_fields + [
        APIField("date"),
        APIField("audio"),
        APIField("duration"),
        APIField("transcript"),
    ]

    class Meta:
        verbose_name = "podkastepisode"
        verbose_name_plural = "podkastepisoder"

    def clean(self):
        super().clean()
        errors = {}
        if self.audio is None:
            errors["audio"] = ["Velg lydfilen (MP3 eller M4A)."]
        check_document(errors, "audio", self.audio, check_audio)
        if errors:
            raise ValidationError(errors)

    @property
    def audio_type(self):
        return mime_type(self.audio) if self.audio else ""

    @property
    def published_moment(self):
        """The episode's day at 06:00 Norwegian time: what the feed gives as its pubDate."""
        return timezone.make_aware(datetime.datetime.combine(self.date, datetime.time(6)))
