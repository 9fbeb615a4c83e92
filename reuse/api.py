"""The read API (Wagtail API v2) for the three content types, at /api/v2/.

Only live pages without view restrictions, with their structured fields, community, license and
type. Filters: type, community, target_group, topic, updated_since. See docs/api.md.
"""

import datetime

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware
from rest_framework import serializers
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from kompetanse.models import CONTENT_MODELS, CommunityHomePage, KnowledgePage
from kompetanse.models.base import COMMUNITY_DEPTH


class CommunityCache:
    """Community homes by tree path, looked up once per request."""

    def __init__(self):
        self.by_path = {c.path: c for c in CommunityHomePage.objects.all()}

    def for_page(self, page):
        return self.by_path.get(page.path[: COMMUNITY_DEPTH * page.steplen])


def _communities(serializer):
    context = serializer.context
    if "communities" not in context:
        context["communities"] = CommunityCache()
    return context["communities"]


class KnowledgePageSerializer(PageSerializer):
    content_kind = serializers.SerializerMethodField()
    community = serializers.SerializerMethodField()
    community_name = serializers.SerializerMethodField()
    license = serializers.SerializerMethodField()
    target_groups = serializers.SerializerMethodField()
    topics = serializers.SerializerMethodField()
    levels = serializers.SerializerMethodField()
    last_published_at = serializers.DateTimeField(read_only=True)

    def get_content_kind(self, page):
        return page.specific_class.content_kind if page.specific_class is not KnowledgePage else ""

    def get_community(self, page):
        community = _communities(self).for_page(page)
        return community.slug if community else None

    def get_community_name(self, page):
        community = _communities(self).for_page(page)
        return community.title if community else None

    def get_license(self, page):
        from reuse.templatetags.reuse_tags import page_license

        return page_license(page, _communities(self).for_page(page))

    def get_target_groups(self, page):
        return [{"slug": g.slug, "name": g.name} for g in page.target_groups.all()]

    def get_topics(self, page):
        return [{"slug": t.slug, "name": t.name} for t in page.topics.all()]

    def get_levels(self, page):
        return [{"slug": lv.slug, "name": lv.name} for lv in page.levels.all()]


class KnowledgePagesAPIViewSet(PagesAPIViewSet):
    """/api/v2/innhold/: prosedyrer, samarbeidsanbefalinger og gode eksempler."""

    base_serializer_class = KnowledgePageSerializer
    name = "innhold"
    model = KnowledgePage
    extra_fields = [
        "content_kind",
        "community",
        "community_name",
        "license",
        "target_groups",
        "topics",
        "levels",
        "last_published_at",
    ]
    body_fields = PagesAPIViewSet.body_fields + extra_fields
    listing_default_fields = PagesAPIViewSet.listing_default_fields + [
        "content_kind",
        "community",
        "license",
        "last_published_at",
        "summary",
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(
        ["community", "target_group", "topic", "updated_since"]
    )

    def get_queryset(self):
        params = self.request.GET
        kind = params.get("type")
        if kind in CONTENT_MODELS:
            model = CONTENT_MODELS[kind]
        elif kind:
            model = next((m for m in CONTENT_MODELS.values() if m._meta.label.lower() == kind.lower()), None)
            if model is None:
                raise BadRequestError(f"type må være en av: {', '.join(CONTENT_MODELS)}")
        else:
            model = KnowledgePage
        pages = model.objects.filter(pk__in=self.get_base_queryset().values("pk")).public()
        community = params.get("community")
        if community:
            home = CommunityHomePage.objects.filter(slug=community).first()
            pages = pages.descendant_of(home) if home else pages.none()
        for param, relation in (("target_group", "target_groups__slug"), ("topic", "topics__slug")):
            slugs = [slug for value in params.getlist(param) for slug in value.split(",") if slug]
            if slugs:
                pages = pages.filter(**{f"{relation}__in": slugs})
        since = params.get("updated_since")
        if since:
            pages = pages.filter(last_published_at__gte=_parse_since(since))
        return pages.distinct().order_by("-last_published_at", "pk")


def _parse_since(value):
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise BadRequestError("updated_since må være en dato (ÅÅÅÅ-MM-DD) eller et tidspunkt (ISO 8601)")
        moment = datetime.datetime.combine(day, datetime.time.min)
    return make_aware(moment) if is_naive(moment) else moment


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("innhold", KnowledgePagesAPIViewSet)
