"""Creating the tree's fixed parts: the portal home and a community with its listing pages.

Used by load_demo, import_content and (later) create_community, so that each of them works on
a freshly migrated, empty database as well as on a populated portal.
"""

import json
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.text import slugify
from wagtail.models import Page, Site

from kompetanse.models import (
    CENTRAL_SLUG,
    LISTING_MODELS,
    CommunityHomePage,
    CourseIndexPage,
    EventIndexPage,
    FilmIndexPage,
    GoodExampleIndexPage,
    InfoPage,
    NewsIndexPage,
    PodcastIndexPage,
    PortalHomePage,
    ProcedureIndexPage,
    RecommendationIndexPage,
    TopicIndexPage,
    TopicPage,
)
from kompetanse.pagetree import add_live_child

LISTINGS = [
    (ProcedureIndexPage, "Prosedyrer", "prosedyrer"),
    (RecommendationIndexPage, "Samarbeidsanbefalinger", "samarbeidsanbefalinger"),
    (GoodExampleIndexPage, "Gode eksempler", "gode-eksempler"),
    (NewsIndexPage, "Nyheter", "nyheter"),
    (EventIndexPage, "Kurs og arrangementer", "arrangementer"),
    (CourseIndexPage, "E-læring", "e-laering"),
    (FilmIndexPage, "Filmer", "filmer"),
    (PodcastIndexPage, "Podkaster", "podkaster"),
]
LISTING_FOR_KIND = {
    "procedure": ProcedureIndexPage,
    "recommendation": RecommendationIndexPage,
    "good_example": GoodExampleIndexPage,
    "news": NewsIndexPage,
    "event": EventIndexPage,
    "course": CourseIndexPage,
    "film": FilmIndexPage,
    "podcast": PodcastIndexPage,
    # Episodes live under their series, inside this listing: who may add to it may add to them.
    "podcast_episode": PodcastIndexPage,
    # Topic pages have one index, in the central section (kompetanse.models.topics).
    "topic": TopicIndexPage,
}
TOPIC_INDEX = {
    "title": "Tema",
    "slug": "tema",
    "intro": "Alt om et fagområde på ett sted: nøkkelsider, nyheter, kurs og hvem du kan spørre.",
}


def get_portal_home():
    """The portal home, created under the tree root (and made the default site) if missing."""
    home = PortalHomePage.objects.first()
    if home is not None:
        return home
    home = add_live_child(Page.get_first_root_node(), PortalHomePage(title="Kompetanseportalen", slug="hjem"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Kompetanseportalen"},
    )
    return home


def default_community_name(slug):
    if slug == CENTRAL_SLUG:
        return "Felles innhold"
    return "Helsefellesskap " + slug.replace("-", " ").title()


@transaction.atomic
def ensure_community(slug, name=None, *, publish=True, **fields):
    """Return the community with this slug, creating it and its listings when missing.

    An existing community keeps its title unless a name is given; fields update it. With
    ``publish=False`` a new community's home and listings are drafts: the community is not public
    until its team publishes the home page, and its listings go live with it
    (``publish_listings_with_home``). Changes to an existing draft community stay drafts.
    """
    slug = slugify(slug)
    if not slug:
        raise ValueError("Et helsefellesskap må ha et kortnavn (slug).")
    community = CommunityHomePage.objects.filter(slug=slug).first()
    changed = False
    if community is None:
        community = CommunityHomePage(
            title=name or default_community_name(slug), slug=slug, live=publish, **fields
        )
        if publish:
            add_live_child(get_portal_home(), community)
        else:
            get_portal_home().add_child(instance=community)
            changed = True
    else:
        if name and community.title != name:
            community.title = name
            changed = True
        for field, value in fields.items():
            if getattr(community, field) != value:
                setattr(community, field, value)
                changed = True
    if changed:
        if not community.live:
            # Nothing is public yet: the page itself carries the name the team's groups follow.
            community.save()
        revision = community.save_revision()
        if community.live:
            revision.publish()
    add_missing_listings(community)
    return community


def add_missing_listings(community):
    """The listings a community lacks (a new one, or all of them when a new content type has
    come), live if the community is."""
    missing = [
        model(title=title, slug=slug)
        for model, title, slug in LISTINGS
        if not model.objects.child_of(community).exists()
    ]
    if community.is_central and not TopicIndexPage.objects.child_of(community).exists():
        missing.append(TopicIndexPage(**TOPIC_INDEX))
    for listing in missing:
        if community.live:
            add_live_child(community, listing)
        else:
            listing.live = False
            community.add_child(instance=listing)
            listing.save_revision()


def add_listings_after_migrate(sender, **kwargs):
    """After ``migrate``: every existing community gets the listings of content types added
    since it was created (news and events came with migration 0006, the learning resources with 0007). Nothing to do on a fresh
    database, and nothing once they are there."""
    using = kwargs.get("using", DEFAULT_DB_ALIAS)
    tables = connections[using].introspection.table_names()
    if any(model._meta.db_table not in tables for model in (*LISTING_FOR_KIND.values(), TopicPage)):
        return  # migrated back to before a listing existed
    for community in CommunityHomePage.objects.using(using):
        if community.get_children().type(*LISTING_MODELS).count() < len(LISTINGS) or (
            community.is_central and not TopicIndexPage.objects.child_of(community).exists()
        ):
            add_missing_listings(community)


def publish_listings_with_home(sender, instance, **kwargs):
    """When a community's home is published, its listings that were never published go live too
    (a new community's structure is published by its team in one step)."""
    for listing in instance.get_children().not_live().type(*LISTING_MODELS).specific():
        if listing.first_published_at is None:
            listing.save_revision().publish()


def listing_for(community, kind):
    """The listing page of a community that holds pages of the given content kind."""
    model = LISTING_FOR_KIND[kind]
    return model.objects.child_of(community).get()


# Which collection holds a community's images or documents is the editorial app's knowledge
# (its teams own collections); it registers a lookup here, so that the importer can put media
# where the community's team manages them without kompetanse importing editorial.
_media_collection_lookups = []


def register_media_collection_lookup(lookup):
    """Register `lookup(community, kind)` → a Collection or None; kind is "image" or "document"."""
    if lookup not in _media_collection_lookups:
        _media_collection_lookups.append(lookup)
    return lookup


def media_collection(community, kind):
    """The collection for a community's new images or documents; None means Wagtail's root."""
    for lookup in _media_collection_lookups:
        collection = lookup(community, kind)
        if collection is not None:
            return collection
    return None


INFO_PAGES_FILE = Path(__file__).parent / "fixed" / "info_pages.json"


@transaction.atomic
def ensure_info_pages():
    """The pages a Norwegian public service must have («Om portalen», «Personvern»,
    «Tilgjengelighetserklæring»), created in the central section when missing; an existing page
    (found by slug) is the central team's and stays as they left it."""
    central = ensure_community(CENTRAL_SLUG)
    pages = []
    for data in json.loads(INFO_PAGES_FILE.read_text(encoding="utf-8")):
        page = InfoPage.objects.child_of(central).filter(slug=data["slug"]).first()
        if page is None:
            page = central.add_child(instance=InfoPage(**data))
            page.save_revision().publish()
        pages.append(page)
    return pages
