"""The read API (Wagtail API v2) for the three content types, at /api/v2/.

Only live pages without view restrictions, with their structured fields, community, license and
type. Filters: type, community, target_group, topic, updated_since. See docs/api.md.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from rest_framework import serializers
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Locale, Site

from kompetanse.models import CONTENT_MODELS, CommunityHomePage, KnowledgePage
from kompetanse.models.base import COMMUNITY_DEPTH
from reuse.templatetags.reuse_tags import page_license

# Beyond any collection the portal will hold, and far inside what a database takes as OFFSET.
MAX_OFFSET = 1_000_000
# Parameters that may be repeated or hold several slugs separated by commas (one of them matches).
LIST_PARAMETERS = ("target_group", "topic")


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
        return page_license(page, _communities(self).for_page(page))

    def get_target_groups(self, page):
        return [{"slug": g.slug, "name": g.name} for g in page.target_groups.all()]

    def get_topics(self, page):
        return [{"slug": t.slug, "name": t.name} for t in page.topics.all()]

    def get_levels(self, page):
        return [{"slug": lv.slug, "name": lv.name} for lv in page.levels.all()]


class ListingParameters(forms.Form):
    """The listing's parameters, with Django's checks and Norwegian messages.

    A value the database cannot take (a date that is no date, a number past its range, a NUL
    character) failed deep in a query with a 500, or a 503 saying the database was down; here it
    is a 400 that names the parameter. Wagtail checks limit and offset itself, but in English and
    without an upper bound for offset. The search text is not checked: any text is a search
    (search/backends/wagtail_database.py), with results or without.
    """

    type = forms.CharField(required=False)
    community = forms.CharField(required=False)
    target_group = forms.CharField(required=False)
    topic = forms.CharField(required=False)
    updated_since = forms.DateTimeField(
        required=False,
        error_messages={"invalid": "Oppgi en dato (ÅÅÅÅ-MM-DD) eller et tidspunkt (ISO 8601)."},
    )
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET)
    limit = forms.IntegerField(
        required=False, min_value=0, max_value=getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20)
    )
    search_operator = forms.ChoiceField(required=False, choices=[("and", "and"), ("or", "or")])
    site = forms.CharField(required=False)
    locale = forms.CharField(required=False)

    def clean_type(self):
        kind = self.cleaned_data["type"]
        if not kind:
            return KnowledgePage
        # The portal's names, or Wagtail's own form (kompetanse.ProcedurePage).
        model = CONTENT_MODELS.get(kind) or next(
            (m for m in CONTENT_MODELS.values() if m._meta.label_lower == kind.lower()), None
        )
        if model is None:
            raise ValidationError(f"Velg en av {', '.join(CONTENT_MODELS)}.")
        return model

    def clean_site(self):
        site = self.cleaned_data["site"]
        if site:
            hostname, _, port = site.partition(":")
            sites = Site.objects.filter(hostname=hostname)
            if port:
                sites = sites.filter(port=int(port)) if port.isdecimal() else sites.none()
            if not sites.exists():
                raise ValidationError("Ukjent nettsted.")
        return site

    def clean_locale(self):
        locale = self.cleaned_data["locale"]
        if locale and not Locale.objects.filter(language_code=locale).exists():
            raise ValidationError("Ukjent språkkode.")
        return locale


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

    @cached_property
    def parameters(self):
        """The query parameters, checked (ListingParameters) before any query is made."""
        query = self.request.GET
        form = ListingParameters(
            {
                name: ",".join(values) if name in LIST_PARAMETERS else values[-1]
                for name, values in query.lists()
            }
        )
        if not form.is_valid():
            raise BadRequestError(" ".join(f"{name}: {errors[0]}" for name, errors in form.errors.items()))
        return form.cleaned_data

    def get_queryset(self):
        params = self.parameters
        pages = params["type"].objects.filter(pk__in=self.get_base_queryset().values("pk")).public()
        if params["community"]:
            home = CommunityHomePage.objects.filter(slug=params["community"]).first()
            pages = pages.descendant_of(home) if home else pages.none()
        for param, relation in (("target_group", "target_groups__slug"), ("topic", "topics__slug")):
            slugs = [slug for slug in params[param].split(",") if slug]
            if slugs:
                pages = pages.filter(**{f"{relation}__in": slugs})
        if params["updated_since"]:
            pages = pages.filter(last_published_at__gte=params["updated_since"])
        return pages.distinct().order_by("-last_published_at", "pk")

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        # Wagtail hands the value of a field filter (?first_published_at=…) to the database as it
        # is: a date that is no date, or a number past the column's range, failed there with a 500.
        model = queryset.model
        for name in self.get_available_fields(model, db_fields_only=True):
            if name in self.request.GET and name not in self.known_query_parameters:
                field = model._meta.get_field(name)
                field = getattr(field, "target_field", field)
                try:
                    field.run_validators(field.to_python(self.request.GET[name]))
                except ValidationError as exc:
                    raise BadRequestError(f"{name}: {exc.messages[0]}") from exc


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("innhold", KnowledgePagesAPIViewSet)
