"""Template tags for the reader's portal: layout context, home page sections, QR codes for print."""

import functools
from functools import cached_property
from urllib.parse import quote

import qrcode
from django import template
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Site

from kompetanse.browse import browse_url
from kompetanse.caching import until_content_changes
from kompetanse.communities import LISTING_FOR_KIND
from kompetanse.models import (
    CENTRAL_SLUG,
    LISTING_MODELS,
    CommunityHomePage,
    GoodExampleImage,
    GoodExamplePage,
    InfoPage,
    TargetGroup,
    Topic,
    TopicIndexPage,
    TopicPage,
)
from kompetanse.models.base import COMMUNITY_DEPTH, community_of

register = template.Library()

DEFAULT_DESCRIPTION = (
    "Prosedyrer, samarbeidsanbefalinger og gode eksempler fra helsefellesskapene – kommuner, "
    "sykehus og fastleger."
)
# A procedure with more sections or steps than this gets a table of contents.
TOC_MIN_ENTRIES = 5


class PortalContext:
    """Facts the base layout needs, computed once per render with a fixed number of queries."""

    def __init__(self, request, page):
        self.request = request
        self.page = page

    @cached_property
    def community(self):
        """The community home the page is in (listing pages included), or None above them."""
        page = self.page
        if page is None or not hasattr(page, "depth") or page.depth < COMMUNITY_DEPTH:
            return None
        if isinstance(page, CommunityHomePage):
            return page
        return community_of(page, CommunityHomePage)

    @cached_property
    def home(self):
        if self.request is None:
            return None
        site = Site.find_for_request(self.request)
        return site.root_page if site else None

    @cached_property
    def communities(self):
        return until_content_changes(
            "communities",
            lambda: list(CommunityHomePage.objects.live().public().filter(depth=3).order_by("path")),
        )

    @cached_property
    def navigation(self):
        """The listing pages of the current community (the shared section when there is none)."""
        community = self.community
        if community is None:
            community = next((c for c in self.communities if c.slug == CENTRAL_SLUG), None)
        if community is None:
            return []
        return until_content_changes(
            ("navigation", community.pk),
            lambda: list(community.get_children().live().public().type(*LISTING_MODELS).order_by("path")),
        )

    @cached_property
    def nav_links(self):
        """(listing, address across communities or None) for the main navigation. Outside a community
        (the front page, search, the shared section) procedures, recommendations and good
        examples open the listing across communities (kompetanse/browse.py), which
        static/js/area.js points at the reader's own community; in a community, its listings."""
        local = self.community is not None and not self.community.is_central
        links = []
        for listing in self.navigation:
            links.append((listing, None if local else browse_url_for(listing)))
        return links

    @cached_property
    def nav_community(self):
        if self.community is not None:
            return self.community
        return next((c for c in self.communities if c.slug == CENTRAL_SLUG), None)

    @cached_property
    def info_pages(self):
        """«Om portalen», «Personvern», «Tilgjengelighetserklæring» and any other information
        page the central team publishes: linked from the footer on every page."""
        return until_content_changes(
            "info_pages",
            lambda: list(
                InfoPage.objects.live()
                .public()
                .filter(path__startswith=self._central_path())
                .order_by("path")
            ),
        )

    @cached_property
    def topic_index(self):
        """«Tema» in the main navigation, on every page."""
        return topic_index()

    def _central_path(self):
        central = next((c for c in self.communities if c.slug == CENTRAL_SLUG), None)
        return central.path if central else "-"


@register.simple_tag(takes_context=True)
def portal_context(context):
    return PortalContext(context.get("request"), context.get("page"))


@register.simple_tag
def browse_url_for(listing):
    """The listing across communities of a listing's content type (None for news and events)."""
    kind = next((k for k, model in LISTING_FOR_KIND.items() if listing.specific_class is model), None)
    return browse_url(kind)


@register.simple_tag
def target_groups():
    return list(TargetGroup.objects.all())


def topic_index():
    """The published «Tema» index (kompetanse.models.topics) once it has a published topic page;
    None before (the navigation has no «Tema», target-group cards lead to the search)."""

    def find():
        index = TopicIndexPage.objects.live().public().first()
        return index if index and TopicPage.objects.child_of(index).live().public().exists() else None

    return until_content_changes("topic_index", find)


def _topic_page_urls():
    return until_content_changes(
        "topic_page_urls",
        lambda: {page.topic_id: page.url for page in TopicPage.objects.live().public()},
    )


@register.filter
def topic_href(topic):
    """The address of a topic's page, where its chips lead; the search for the topic while it
    has none (a topic the central team has not written a page for yet)."""
    return _topic_page_urls().get(topic.pk) or f"/sok/?topic={quote(topic.slug)}"


@register.filter
def target_group_href(group):
    """Where a target-group card leads: the topics and content for that group («Tema» filtered
    by målgruppe), or the search for it while there is no «Tema» index."""
    index = topic_index()
    if index is None:
        return f"/sok/?target_group={quote(group.slug)}"
    return f"{index.url}?malgruppe={quote(group.slug)}"


@register.simple_tag
def topics_in_use(limit=24):
    """The topics that live pages use, most used first."""
    return until_content_changes(
        ("topics_in_use", limit),
        lambda: list(
            Topic.objects.annotate(
                # A topic's own page is not one of its pages.
                live_count=Count(
                    "pages", filter=Q(pages__live=True, pages__topicpage__isnull=True), distinct=True
                )
            )
            .filter(live_count__gt=0)
            .order_by("-live_count", "name")[:limit]
        ),
    )


@register.simple_tag
def featured_good_examples(limit=3):
    """The newest good examples, with their first image (and its renditions) fetched up front."""
    images = GoodExampleImage.objects.select_related("image").prefetch_related(Prefetch("image__renditions"))
    return until_content_changes(
        ("featured_good_examples", limit),
        lambda: list(
            GoodExamplePage.objects.live()
            .public()
            .order_by("-first_published_at")
            .prefetch_related(Prefetch("gallery_images", queryset=images))[:limit]
        ),
    )


@register.simple_tag
def gallery_images(page):
    """A good example's images with their renditions prefetched: one query each, however many.

    In a preview the images come from the draft (held in memory), not from the database.
    """
    items = page.gallery_images.all()
    if isinstance(items, QuerySet):
        items = items.select_related("image").prefetch_related("image__renditions").order_by("sort_order")
    return list(items)


@register.simple_tag
def print_date():
    return timezone.localdate()


@register.simple_tag(takes_context=True)
def absolute_page_url(context, page):
    request = context.get("request")
    url = page.get_url(request)
    if url and url.startswith("/") and request is not None:
        url = request.build_absolute_uri(url)
    return url or ""


@register.simple_tag
def qr_svg(data, label=""):
    """An inline SVG QR code for `data`, drawn on the server (no external service)."""
    return mark_safe(_qr_svg(data, label))


@functools.lru_cache(maxsize=2048)
def _qr_svg(data, label):
    # Drawing a code takes 30 ms; a page's address rarely changes, so each is drawn once per process.
    qr = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(data)
    qr.make(fit=True)
    matrix = qr.get_matrix()  # with the border
    size = len(matrix)
    title = escape(label or data)
    return (
        f'<svg role="img" aria-label="QR-kode: {title}" class="qr-code" width="37mm" height="37mm" '
        f'viewBox="0 0 {size} {size}" xmlns="http://www.w3.org/2000/svg">'
        f'<path d="{qr_path(matrix)}"/></svg>'
    )


def qr_path(matrix):
    """An SVG path of the dark modules, one rectangle per run of them in a row.

    The qrcode library's SVG path draws every module as a square of its own: 9 kB of every
    procedure's HTML, against some 4 kB for the runs (tests/kompetanse/test_reader_pages.py weighs
    a procedure page).
    """
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    return "".join(parts)


@register.filter
def needs_toc(page):
    """A procedure is long enough for a table of contents."""
    return len(toc_entries(page)) >= TOC_MIN_ENTRIES


@register.simple_tag
def toc_entries(page):
    """(anchor, title) for each section a procedure page shows, in order."""
    entries = []
    for field, anchor, title in (
        ("purpose", "formal", "Formål"),
        ("scope", "omfang", "Omfang"),
        ("responsibility", "ansvar", "Ansvar"),
        ("steps", "fremgangsmate", "Fremgangsmåte"),
    ):
        if getattr(page, field, None):
            entries.append((anchor, title))
    for block in getattr(page, "body", None) or []:
        if block.block_type == "heading" and block.value.get("level") == "h2":
            entries.append((heading_anchor(block.value.get("text")), block.value.get("text")))
    for field, anchor, title in (
        ("references", "referanser", "Referanser"),
        ("attachments", "vedlegg", "Vedlegg"),
    ):
        if getattr(page, field, None):
            entries.append((anchor, title))
    entries.append(("eierskap", "Eierskap og revisjon"))
    return entries


@register.filter
def heading_anchor(text):
    from django.utils.text import slugify

    return "del-" + (slugify(text or "") or "overskrift")


PICTURE_FORMATS = ("avif", "webp", "jpeg")


@register.simple_tag
def responsive_picture(image, widths="400,800,1200", sizes="100vw", alt=None):
    """A <picture> with AVIF and WebP sources and a JPEG fallback, in the given widths.

    Unlike ``{% picture %}`` with fixed widths, widths at or above the original collapse into
    one, so a small image never lists the same width twice (which is invalid HTML).
    """
    from wagtail.images.models import Picture

    if not image:
        return ""
    chosen = sorted({min(int(width), image.width) for width in str(widths).split(",")})
    specs = [f"format-{fmt}|width-{width}" for fmt in PICTURE_FORMATS for width in chosen]
    renditions = image.get_renditions(*specs)
    attrs = {"loading": "lazy", "decoding": "async"}
    if len(chosen) > 1:
        attrs["sizes"] = sizes
    if alt is not None:
        attrs["alt"] = alt
    return mark_safe(Picture(renditions, attrs).__html__())


@register.filter
def tel_href(number):
    """A phone number as written («22 00 00 00», «+47 22 00 00 00») → «tel:+4722000000»: a
    tap calls it on a phone. Norwegian eight-digit numbers get the country code."""
    text = str(number or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.startswith("+"):
        return f"tel:+{digits}"
    if text.startswith("00"):
        return f"tel:+{digits[2:]}"
    if len(digits) == 8:
        return f"tel:+47{digits}"
    return f"tel:{digits}"


@register.simple_tag
def meta_description(page):
    """The page's description for search engines and link previews: its search description,
    else its summary or introduction (plain text, at most 300 characters), else the portal's."""
    from django.utils.html import strip_tags
    from django.utils.text import Truncator

    for field in ("search_description", "summary", "intro"):
        value = getattr(page, field, "") or ""
        text = " ".join(strip_tags(str(value)).split())
        if text:
            return Truncator(text).chars(300)
    return DEFAULT_DESCRIPTION


@register.filter
def css_string(value):
    """Text as the inside of a CSS string: every character but letters, digits and spaces as a
    CSS escape, so that no title can end the string or the <style> element."""
    return mark_safe(
        "".join(
            ch if (ch.isascii() and ch.isalnum()) or ch == " " else f"\\{ord(ch):x} " for ch in str(value)
        )
    )
