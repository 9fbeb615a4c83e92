"""The content model, one module per kind of thing, re-exported here."""

from django.utils.text import capfirst

from kompetanse.models.base import KnowledgePage
from kompetanse.models.community import CENTRAL_SLUG, CommunityHomePage, PortalHomePage
from kompetanse.models.courses import CoursePage
from kompetanse.models.events import EventPage
from kompetanse.models.films import FilmPage
from kompetanse.models.good_example import GoodExampleImage, GoodExamplePage
from kompetanse.models.info import InfoPage
from kompetanse.models.listings import (
    LISTING_MODELS,
    CourseIndexPage,
    EventIndexPage,
    FilmIndexPage,
    GoodExampleIndexPage,
    ListingPage,
    NewsIndexPage,
    PodcastIndexPage,
    ProcedureIndexPage,
    RecommendationIndexPage,
)
from kompetanse.models.news import NewsPage
from kompetanse.models.podcasts import PodcastEpisodePage, PodcastPage
from kompetanse.models.procedure import ProcedurePage
from kompetanse.models.recommendation import RecommendationPage, RecommendationParty
from kompetanse.models.taxonomy import ContentOwner, Level, TargetGroup, Topic
from kompetanse.models.topics import TopicIndexPage, TopicIntroduction, TopicKeyPage, TopicPage

CONTENT_MODELS = {
    model.content_kind: model
    for model in (
        ProcedurePage,
        RecommendationPage,
        GoodExamplePage,
        NewsPage,
        EventPage,
        CoursePage,
        FilmPage,
        PodcastPage,
        PodcastEpisodePage,
        TopicPage,
    )
}
# What each kind is called («Prosedyre», «Prosedyrer»): the models' verbose names, capitalised.
KIND_LABELS = {kind: capfirst(model._meta.verbose_name) for kind, model in CONTENT_MODELS.items()}
KIND_LABELS_PLURAL = {
    kind: capfirst(model._meta.verbose_name_plural) for kind, model in CONTENT_MODELS.items()
}

__all__ = [
    "CENTRAL_SLUG",
    "CONTENT_MODELS",
    "KIND_LABELS",
    "KIND_LABELS_PLURAL",
    "LISTING_MODELS",
    "CommunityHomePage",
    "ContentOwner",
    "CourseIndexPage",
    "CoursePage",
    "EventIndexPage",
    "EventPage",
    "FilmIndexPage",
    "FilmPage",
    "GoodExampleImage",
    "GoodExampleIndexPage",
    "GoodExamplePage",
    "InfoPage",
    "KnowledgePage",
    "Level",
    "ListingPage",
    "NewsIndexPage",
    "NewsPage",
    "PodcastEpisodePage",
    "PodcastIndexPage",
    "PodcastPage",
    "PortalHomePage",
    "ProcedureIndexPage",
    "ProcedurePage",
    "RecommendationIndexPage",
    "RecommendationPage",
    "RecommendationParty",
    "TargetGroup",
    "Topic",
    "TopicIndexPage",
    "TopicIntroduction",
    "TopicKeyPage",
    "TopicPage",
]
