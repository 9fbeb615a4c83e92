"""Factories for the content model, shared by the tests and by anything that needs sample pages."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone
from factory.django import DjangoModelFactory

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


class TopicPageFactory(KnowledgePageFactory):
    """A topic's page, in the central section's «Tema» index."""

    topic = factory.SubFactory(TopicFactory)
    title = factory.LazyAttribute(lambda page: page.topic.name)
    slug = factory.LazyAttribute(lambda page: page.topic.slug)
    community = models.CENTRAL_SLUG

    class Meta:
        model = models.TopicPage
