"""Template tags for reuse: license, provenance, local additions and versions elsewhere."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from kompetanse.models import CENTRAL_SLUG
from kompetanse.models.community import LICENSE_CHOICES
from reuse.models import LIVE_COPY_MODES, MODE_WITH_LOCAL, Adoption, LocalAddition, Provenance
from reuse.relations import communities_by_path, family_ids, other_versions, related_pages

register = template.Library()

LICENSE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/deed.no",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/deed.no",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/deed.no",
}


def _related(page, name):
    try:
        return getattr(page, name)
    except Exception:
        return None


def page_license(page, community=None):
    """The license code a page's content is shared under: an imported page keeps the license
    it came with; otherwise its community's."""
    provenance = _related(page, "provenance")
    if provenance is not None and provenance.license:
        return provenance.license
    community = community if community is not None else page.community
    return community.license if community is not None else ""


def license_info(code):
    return {"code": code, "label": dict(LICENSE_CHOICES).get(code, code), "url": LICENSE_URLS.get(code, "")}


@register.simple_tag
def reuse_info(page):
    """Everything the page include shows: license, origin, local additions, other versions.

    A fixed number of queries, whatever the amount of content around the page.
    """
    communities = communities_by_path()
    community = communities.get(page.path[: 3 * page.steplen]) if page.path else None
    adoption = provenance = local = source = None
    if page.pk is not None:
        adoption = (
            Adoption.objects.filter(page_id=page.pk).select_related("source", "source_revision").first()
        )
        provenance = Provenance.objects.filter(page_id=page.pk).first()
        if adoption is not None and adoption.mode == MODE_WITH_LOCAL:
            local = LocalAddition.objects.filter(page_id=page.pk).first()
    if adoption is not None and adoption.source is not None:
        source = adoption.source
    # Works on previews and revisions too, where relations live in memory.
    topics = [topic.pk for topic in page.topics.all()]
    groups = [group.pk for group in page.target_groups.all()]
    family = family_ids(page, adoption) if page.pk is not None else set()
    context = {"family": family, "topics": topics, "groups": groups, "communities": communities}
    versions = other_versions(page, **context) if page.path else []
    code = (
        provenance.license
        if provenance is not None and provenance.license
        else (community.license if community is not None else "")
    )
    return {
        "community": community,
        "license": license_info(code),
        "provenance": provenance,
        "adoption": adoption,
        "source": source,
        "source_community": communities.get(source.path[: 3 * source.steplen])
        if source is not None
        else None,
        "local": local,
        "versions": versions,
        "related": related_pages(page, exclude=versions, **context) if page.path else [],
    }


@register.filter
def community_name(page):
    community = page.community
    return community.display_name if community is not None else ""


@register.simple_tag(takes_context=True)
def listing_marker(context, item, listing):
    """«Felles innhold» on a central page shown in a community's listing; «Fra <community>» on a
    page this community uses from another (live copy). Worked out once for the whole page of
    results (a fixed number of queries)."""
    markers = context.render_context.get("reuse_listing_markers")
    if markers is None:
        items = list(context.get("page_obj") or [item])
        markers = _listing_markers(items, listing)
        context.render_context["reuse_listing_markers"] = markers
    if item.pk not in markers:  # an item outside page_obj: work it out alone
        markers.update(_listing_markers([item], listing))
    return markers[item.pk]


def _listing_markers(items, listing):
    communities = communities_by_path()
    central = next((c for c in communities.values() if c.slug == CENTRAL_SLUG), None)
    own = [item.pk for item in items if item.path.startswith(listing.path)]
    copies = {
        adoption.page_id: adoption
        for adoption in Adoption.objects.filter(
            page_id__in=own, mode__in=LIVE_COPY_MODES, source__isnull=False
        ).select_related("source")
    }
    markers = {}
    for item in items:
        marker = ""
        if not item.path.startswith(listing.path):
            if central is not None and item.path.startswith(central.path):
                marker = mark_safe('<p class="shared-marker">Felles innhold</p>')
        elif item.pk in copies:
            source = copies[item.pk].source
            community = communities.get(source.path[: 3 * source.steplen])
            if community is not None:
                marker = format_html('<p class="shared-marker">Fra {}</p>', community.title)
        markers[item.pk] = marker
    return markers
