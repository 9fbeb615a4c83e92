"""Factories for the content model, shared by the tests and by anything that needs sample pages."""

import datetime
import hashlib

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from wagtail.documents import get_document_model

from kompetanse import models
from kompetanse.communities import ensure_community, listing_for


class TopicFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Fagområde {n}")
    slug = factory.Sequence(lambda n: f"fagomrade-{n}")

    class Meta:
        model = models.Topic
        django_get_or_create = ("slug",)


class ContentOwnerFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Fagansvarlig {n}")
    unit = "Samhandlingsavdelingen"
    email = factory.Sequence(lambda n: f"fagansvarlig{n}@example.no")
    phone = "22 00 00 00"

    class Meta:
        model = models.ContentOwner


class KnowledgePageFactory(wagtail_factories.PageFactory):
    """Creates a page under its community's listing: pass community="oslo" (created if missing)."""

    title = factory.Sequence(lambda n: f"Side {n}")
    summary = "Et kort sammendrag av siden."
    live = True
    # A community slug, not a model field: it picks the parent listing (see _create).
    community = "oslo"

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("community", None)
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        slug = kwargs.pop("community", "oslo")
        if kwargs.get("parent") is None:
            kwargs["parent"] = listing_for(ensure_community(slug), model_class.content_kind)
        return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def target_groups(self, create, slugs, **kwargs):
        if slugs:
            self.target_groups.set(models.TargetGroup.objects.filter(slug__in=slugs))
            if create:
                self.save()

    @factory.post_generation
    def topics(self, create, topics, **kwargs):
        if topics:
            self.topics.set(topics)
            if create:
                self.save()


class ProcedurePageFactory(KnowledgePageFactory):
    purpose = "<p>Sikre trygg overføring.</p>"
    version = "1.0"
    next_review = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=365))

    class Meta:
        model = models.ProcedurePage


class RecommendationPageFactory(KnowledgePageFactory):
    situation = "<p>Når pasienten skrives ut.</p>"

    class Meta:
        model = models.RecommendationPage


class GoodExamplePageFactory(KnowledgePageFactory):
    problem = "<p>For mange reinnleggelser.</p>"

    class Meta:
        model = models.GoodExamplePage


class NewsPageFactory(KnowledgePageFactory):
    date = factory.LazyFunction(timezone.localdate)

    class Meta:
        model = models.NewsPage


class EventPageFactory(KnowledgePageFactory):
    """An event a week from now, 09:00–15:00 Norwegian time, at a place."""

    start = factory.LazyFunction(
        lambda: timezone.make_aware(
            datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=7), datetime.time(9))
        )
    )
    end = factory.LazyAttribute(lambda event: event.start + datetime.timedelta(hours=6))
    location = "Rådhuset, møterom 2"

    class Meta:
        model = models.EventPage


# A WebVTT file with one Norwegian cue, and one second of silent MPEG-1 Layer III audio (38 frames
# of 96 bytes: header FF FB 14 C0 = 32 kbit/s, 48 kHz, mono; zero side info decodes to silence).
# demo/content/make_media.py writes the demo's files the same way.
SAMPLE_VTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:04.000\nVelkommen til filmen.\n"
SILENT_MP3_SECOND = (b"\xff\xfb\x14\xc0" + bytes(92)) * 38


def make_document(title, filename, content):
    """A document as an upload leaves it, with its size and hash (Wagtail's
    ``get_file_size()`` would otherwise save the size on first use, while a reader reads)."""
    return get_document_model().objects.create(
        title=title,
        file=ContentFile(content, name=filename),
        file_size=len(content),
        file_hash=hashlib.sha1(content).hexdigest(),
    )


class CoursePageFactory(KnowledgePageFactory):
    learning_outcomes = "<ul><li>Kjenne igjen tegn på forverring</li></ul>"
    course_url = "https://kurs.example.no/kurs/1"
    provider = "Kompetansebroen"
    duration_minutes = 45

    class Meta:
        model = models.CoursePage


class FilmPageFactory(KnowledgePageFactory):
    """An embedded YouTube film with captions and a transcript."""

    embed_url = "https://www.youtube.com/watch?v=aBcDeFgHiJ0"
    captions = factory.LazyFunction(lambda: make_document("Teksting", "teksting.vtt", SAMPLE_VTT))
    transcript = "<p>Velkommen til filmen.</p>"
    duration = datetime.timedelta(minutes=4, seconds=30)

    class Meta:
        model = models.FilmPage


class PodcastPageFactory(KnowledgePageFactory):
    author = "Kompetanseportalen"

    class Meta:
        model = models.PodcastPage


class PodcastEpisodePageFactory(KnowledgePageFactory):
    """An episode of one second of silence, under a new series unless a parent is given."""

    audio = factory.LazyFunction(lambda: make_document("Episode", "episode.mp3", SILENT_MP3_SECOND))
    duration = datetime.timedelta(minutes=21, seconds=5)
    transcript = "<p>Hei, og velkommen til episoden.</p>"

    class Meta:
        model = models.PodcastEpisodePage

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("parent") is None:
            kwargs["parent"] = PodcastPageFactory(community=kwargs.get("community", "oslo"))
        return super()._create(model_class, *args, **kwargs)


class TopicPageFactory(KnowledgePageFactory):
    """A topic's page, in the central section's «Tema» index."""

    topic = factory.SubFactory(TopicFactory)
    title = factory.LazyAttribute(lambda page: page.topic.name)
    slug = factory.LazyAttribute(lambda page: page.topic.slug)
    community = models.CENTRAL_SLUG

    class Meta:
        model = models.TopicPage
