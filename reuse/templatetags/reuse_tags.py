"""Template tags for reuse: license, provenance, local additions and versions elsewhere."""

from django import template

from kompetanse.models.community import LICENSE_CHOICES

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
    """Everything the page include shows: license, origin, local additions, other versions."""
    from reuse.relations import other_versions, related_pages

    page = page.specific
    community = page.community
    adoption = _related(page, "adoption")
    source = adoption.source.specific if adoption is not None and adoption.source_id else None
    versions = other_versions(page)
    return {
        "community": community,
        "license": license_info(page_license(page, community)),
        "provenance": _related(page, "provenance"),
        "adoption": adoption,
        "source": source,
        "source_community": source.community if source is not None else None,
        "local": _related(page, "local_addition") if adoption is not None else None,
        "versions": versions,
        "related": related_pages(page, exclude=versions),
    }


@register.filter
def community_name(page):
    community = page.community
    return community.display_name if community is not None else ""


@register.simple_tag
def listing_marker(item, listing):
    """«Felles innhold» on a central page shown in a community's listing; «Fra <community>» on a
    page this community uses from another (live copy)."""
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    from kompetanse.models import CENTRAL_SLUG

    if not item.path.startswith(listing.path):
        community = item.community if hasattr(item, "community") else None
        if community is not None and community.slug == CENTRAL_SLUG:
            return mark_safe('<p class="shared-marker">Felles innhold</p>')
        return ""
    adoption = _related(item, "adoption")
    if adoption is not None and adoption.is_live_copy and adoption.source_id:
        source_community = adoption.source.community
        if source_community is not None:
            return format_html('<p class="shared-marker">Fra {}</p>', source_community.title)
    return ""
