"""What the satellites tell the content core at startup, so that the core never imports them.

``core`` ← ``kompetanse`` ← ``editorial``, ``lifecycle``, ``reuse``, ``search`` (CONTRIBUTING.md):
kompetanse asks these registries where it used to ask a satellite, and each satellite fills them
in from its ``AppConfig.ready()``. With nothing registered kompetanse works on its own, only
plainer: every central page is listed, fragments are cached for a fixed time, imports are not
batched for anyone.
"""

import contextlib

from django.core.cache import cache
from wagtail.models import Page

# ---------------------------------------------------------------------------------- listings

_replaced_shared_pages = []


def register_replaced_shared_pages(ids_for_listing):
    """``ids_for_listing(listing)`` gives the ids of central pages that ``listing`` leaves out
    because a page under it replaces them (reuse: a central page taken into use)."""
    if ids_for_listing not in _replaced_shared_pages:
        _replaced_shared_pages.append(ids_for_listing)


def replaced_shared_page_ids(listing):
    """One id collection (a queryset or list) per registered lookup."""
    return [ids_for_listing(listing) for ids_for_listing in _replaced_shared_pages]


# ------------------------------------------------------------------------------- live copies

_live_copy_ids = []


def register_live_copies(ids):
    """``ids()`` gives the ids of pages whose text is another page's (reuse: live copies).

    Search leaves them out: their text is their source's, which is indexed already.
    """
    if ids not in _live_copy_ids:
        _live_copy_ids.append(ids)


def exclude_live_copies(queryset):
    """A page queryset without live copies, so the same content is not found twice."""
    for ids in _live_copy_ids:
        queryset = queryset.exclude(pk__in=ids())
    return queryset


def is_live_copy(page):
    return any(Page.objects.filter(pk=page.pk, pk__in=ids()).exists() for ids in _live_copy_ids)


# ------------------------------------------------------------------------- content version

_versioned_cache = None


def register_versioned_cache(cached):
    """``cached(key, compute, seconds)`` computes or returns a value that stays valid until
    published content changes (search: its index version changes on every publish, unpublish,
    move, restriction and delete, on every app server at once)."""
    global _versioned_cache
    _versioned_cache = cached


def cached_until_content_changes(key, compute, seconds):
    if _versioned_cache is not None:
        return _versioned_cache(key, compute, seconds)
    # Nobody reports content changes: the time limit alone decides.
    cache_key = f"kompetanse:fragment:{key!r}"
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, seconds)
    return value


# ------------------------------------------------------------------------------ bulk writes

_bulk_writes = []


def register_bulk_writes(context_manager):
    """``context_manager()`` wraps a block that writes many pages inside one transaction (an
    import, the demo), so that work per page can be done once, at the end (search: each page
    is indexed once instead of once per signal)."""
    if context_manager not in _bulk_writes:
        _bulk_writes.append(context_manager)


@contextlib.contextmanager
def read_once_block(memo):
    """Give the ContextVar ``memo`` an empty dict for the block: what the block's code reads once
    and keeps (the vocabulary, the subscriptions, the pages with live copies), read again by
    nobody inside it, and dropped when it ends. A block inside another keeps the outer one's."""
    if memo.get() is not None:
        yield
        return
    token = memo.set({})
    try:
        yield
    finally:
        memo.reset(token)


@contextlib.contextmanager
def bulk_writes():
    """Enter every registered bulk-write block, in the order they were registered."""
    with contextlib.ExitStack() as stack:
        for context_manager in _bulk_writes:
            stack.enter_context(context_manager())
        yield


# -------------------------------------------------------------------------- page edit form

_page_form_extensions = []


def register_page_form_extension(extension):
    """Add fields, checks and a panel to the content types' edit form (``KnowledgePageForm``;
    lifecycle: «Hva er endret?»). See ``kompetanse.forms.PageFormExtension``."""
    if extension not in _page_form_extensions:
        _page_form_extensions.append(extension)


def page_form_extensions():
    return list(_page_form_extensions)


# ----------------------------------------------------------------------------- export origin

_export_origins = []


def register_export_origin(origin):
    """``origin(page, described)`` tells an export where a page comes from. ``described`` is
    ``{"license", "provenance"}`` as for the portal's own content (or as an earlier lookup left
    it); the lookup returns it, changed where it knows better (reuse: an imported page passes its
    package's provenance and license on, a page taken into use names its source)."""
    if origin not in _export_origins:
        _export_origins.append(origin)


def export_origin(page, described):
    for origin in _export_origins:
        described = origin(page, described)
    return described


# ------------------------------------------------------------------- community front page

_community_offers = []


def register_community_offer(offer):
    """``offer(community)`` gives what a satellite offers a community's readers, shown on the
    community's front page: ``{"heading", "text", "url", "link_text"}``, or None where it offers
    nothing there (newsletter: «Nyhetsbrev», the subscription to the community's digest)."""
    if offer not in _community_offers:
        _community_offers.append(offer)


def community_offers(community):
    return [found for offer in _community_offers if (found := offer(community)) is not None]
