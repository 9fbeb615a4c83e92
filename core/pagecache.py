"""A full-page cache for anonymous readers that is never stale.

Readers who are not logged in get the same page for the same address, so the rendered page is
kept in the ``pages`` cache (Redis when ``REDIS_URL`` is set, else each app process's memory)
and served from there until anything a reader could see changes. The key holds the **content
version** (``ContentVersion``, one row in the database): every save or delete of a model that
readers may see, through Django's signals, writes a new token in the same transaction, so all
cached pages are retired at once, on every app process, exactly when the change commits.

Why our own and not ``wagtail-cache`` (3.0, which installs on Wagtail 7): it keys on the address
alone and empties the whole cache (or a list of addresses) from hooks, which leaves every change
Wagtail sends no page hook for (snippets, the vocabulary, images, a community's settings) to
hand-written purges; here one version token covers them all. Django's ``CacheMiddleware`` has a
fixed key prefix and learns a key per ``Vary`` header, which would store one copy per reader's
cookies. The rules of what may be stored are Django's and the ones that library uses.

What is cached: GET and HEAD without a session or messages cookie (so nobody logged in, no
preview, no password-protected page that was unlocked), whose response says ``Cache-Control:
public`` (``kompetanse.caching.PublicPageCacheMiddleware`` says so only for published Wagtail
pages served to anonymous readers, and other views whose answer depends on the address alone,
through ``kompetanse.caching.share_with_readers``), is a 200, sets no cookie and used no CSRF
token. Apps whose pages show state that changes without a content change add a token of it to
the key (``register_key_part``): ``search`` adds its index version, so a search page that the
database answered is kept exactly as long as the index it was answered from.

Every answer the cache looked at carries ``X-Cache: hit``, ``miss`` (rendered and stored) or
``skip`` (rendered, not storable). A page whose HTML holds something that must differ per reader
(the public forms' single-use token) is refreshed on every hit by the app that knows it
(``register_hit_refresh``). What a view counted for an answer (a search without hits) is counted
again on every hit (``repeat_on_hit``).

Writes that send no signal (``QuerySet.update()``, ``bulk_create()``, raw SQL) must call
``content_changed()`` themselves when readers see what they write.
"""

import contextlib
import contextvars
import hashlib
import logging
import math
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.models import ContentVersion, read_token, write_token

logger = logging.getLogger("core")

CACHE_ALIAS = "pages"
DEFAULT_SECONDS = 3600
HEADER = "X-Cache"

# Models whose rows readers never see, or that reading itself writes (a search records its
# query, an image's first view makes a rendition, an editor's open edit form pings its session):
# changing them keeps the cached pages. Apps add their own with ``not_shown_to_readers``.
_not_shown = {
    "admin.logentry",
    "auth.group",
    "auth.group_permissions",
    "auth.permission",
    "auth.user",
    "auth.user_groups",
    "auth.user_user_permissions",
    "contenttypes.contenttype",
    "core.contentversion",
    "django_tasks_database.dbtaskresult",
    "sessions.session",
    "taggit.tag",  # a tag readers see is saved through its page's TaggedItem
    "wagtailadmin.admin",
    "wagtailadmin.editingsession",
    "wagtailadmin.formstate",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.groupapprovaltask",
    "wagtailcore.groupapprovaltask_groups",
    "wagtailcore.groupcollectionpermission",
    "wagtailcore.grouppagepermission",
    "wagtailcore.groupsitepermission",
    "wagtailcore.modellogentry",
    "wagtailcore.pagelogentry",
    "wagtailcore.pagesubscription",
    "wagtailcore.referenceindex",
    "wagtailcore.revision",  # a draft; publishing saves the page itself
    "wagtailcore.task",
    "wagtailcore.taskstate",
    "wagtailcore.uploadedfile",
    "wagtailcore.workflow",
    "wagtailcore.workflowcontenttype",
    "wagtailcore.workflowpage",
    "wagtailcore.workflowstate",
    "wagtailcore.workflowtask",
    "wagtailembeds.embed",  # filled in when a page with an embed is first rendered
    "wagtailforms.formsubmission",
    "wagtailimages.rendition",  # made when a page is rendered (or at upload, kompetanse.renditions)
    "wagtailsearch.indexentry",
    "wagtailsearch.sqliteftsindexentry",
    "wagtailsearchpromotions.query",  # every search adds its query; promotions themselves count
    "wagtailsearchpromotions.querydailyhits",
    "wagtailusers.userprofile",
}


def not_shown_to_readers(*labels):
    """Model labels (``"app.model"``) whose changes leave readers' pages as they are."""
    _not_shown.update(label.lower() for label in labels)


# ----------------------------------------------------------------------------- the version

# Within one request the version is read once: the page, and every fragment cached under the
# version (kompetanse.caching), show one state of the content.
_request_version = contextvars.ContextVar("content_version", default=None)
# The earliest moment the page being rendered stops being true by the clock alone (an event
# ends), set by the page through ``valid_until``; the page is not kept past it.
_request_until = contextvars.ContextVar("page_valid_until", default=None)
# Inside ``one_change()`` (an import): changes are counted and the version written once, at the end.
_batch = contextvars.ContextVar("content_version_batch", default=None)


def content_version():
    """The current content version (a token); read once per request inside ``PageCacheMiddleware``."""
    return read_token(ContentVersion, _request_version.get())


def content_changed(**kwargs):
    """Retire every cached page: write a new content version (in the current transaction).

    Takes and ignores a signal's arguments, so it can be connected as a receiver.
    """
    batch = _batch.get()
    if batch is not None:
        batch["changed"] = True
        return
    write_token(ContentVersion, _request_version.get())


@contextlib.contextmanager
def one_change():
    """Inside the block, any number of changes write the content version once, when it ends.

    Registered as a bulk write (``kompetanse.registry.register_bulk_writes``): an import of
    10,000 pages inside one transaction writes the row once instead of once per saved object.
    """
    if _batch.get() is not None:
        yield
        return
    batch = {"changed": False}
    reset = _batch.set(batch)
    try:
        yield
    except BaseException:
        _batch.reset(reset)
        if batch["changed"]:
            # Whatever was written outside a rolled-back transaction must still retire the pages;
            # the transaction itself may be broken now, so the write waits for a commit.
            transaction.on_commit(content_changed, robust=True)
        raise
    _batch.reset(reset)
    if batch["changed"]:
        content_changed()


def _changed(sender, **kwargs):
    if sender._meta.label_lower not in _not_shown:
        content_changed()


def connect():
    """Retire the cached pages on every save and delete of a model readers may see.

    Every concrete model (and many-to-many table) is connected by name, so a model added later
    is covered without anyone remembering to; ``_not_shown`` and ``not_shown_to_readers`` list
    the ones that never show. Wagtail's publish, unpublish and move signals are connected for
    the page models too (a move rewrites the descendants' paths without saving them).
    """
    page_model = apps.get_model("wagtailcore", "Page")
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if model._meta.auto_created:
            m2m_changed.connect(_changed, sender=model, dispatch_uid=f"core_pagecache_m2m_{label}")
            continue
        post_save.connect(_changed, sender=model, dispatch_uid=f"core_pagecache_save_{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"core_pagecache_delete_{label}")
        if issubclass(model, page_model):
            for signal, name in (
                (page_published, "publish"),
                (page_unpublished, "unpublish"),
                (post_page_move, "move"),
            ):
                signal.connect(_changed, sender=model, dispatch_uid=f"core_pagecache_{name}_{label}")


@contextlib.contextmanager
def one_reading():
    """One reading request (the middleware): the content version is read once, and what the page
    says of how long it stays true (``valid_until``) is gathered for ``seconds_left``."""
    reset = _request_version.set({})
    reset_until = _request_until.set({})
    try:
        with contextlib.ExitStack() as scopes:
            for scope in _reading_scopes:
                scopes.enter_context(scope())
            yield
    finally:
        _request_version.reset(reset)
        _request_until.reset(reset_until)


def valid_until(moment):
    """The page being rendered changes by itself at ``moment`` (an aware datetime), without any
    save: an upcoming event becomes past, a registration closes. The page cache keeps it no
    longer than that, and ``seconds_left()`` tells the HTTP headers the same."""
    memo = _request_until.get()
    if memo is None or moment is None:
        return
    if memo.get("until") is None or moment < memo["until"]:
        memo["until"] = moment


def seconds_left(default):
    """``default`` seconds, or fewer when the page being rendered said it changes sooner."""
    memo = _request_until.get()
    until = memo.get("until") if memo else None
    if until is None:
        return default
    return max(0, min(default, math.floor((until - timezone.now()).total_seconds())))


# -------------------------------------------------------------------------- refresh on hit

_hit_refreshes = []


def register_hit_refresh(refresh):
    """``refresh(request, content)`` returns the cached HTML (bytes) with what must be new for
    every reader made new (lifecycle: the public forms' single-use token)."""
    if refresh not in _hit_refreshes:
        _hit_refreshes.append(refresh)


# What a view did for an answer that must be done again each time the kept copy is given.
_hit_actions = {}


def register_hit_action(name, action):
    """``action(*args)`` is what ``repeat_on_hit(response, name, *args)`` asks to be done again."""
    _hit_actions[name] = action


def repeat_on_hit(response, name, *args):
    """The view counted or recorded something for this answer (search: a search without hits,
    for the editors' report): every reader given the kept copy is counted the same way. The
    arguments are stored with the page, so they must be plain values."""
    response.pagecache_repeat = [*getattr(response, "pagecache_repeat", []), (name, args)]


# ---------------------------------------------------------------------------- the middleware

# A Vary on these does not split the cache: requests with a session or messages cookie are never
# served from it, and the portal speaks one language.
_VARY_COVERED = {"cookie", "accept-language"}
# Not kept with the page: set per answer by the middleware outside this one, or by us.
_NOT_STORED_HEADERS = {"set-cookie", "date", HEADER.lower()}


def _seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", DEFAULT_SECONDS)


def _cache():
    return caches[CACHE_ALIAS] if CACHE_ALIAS in settings.CACHES else caches["default"]


def _eligible(request):
    return (
        _seconds() > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _storable(request, response):
    cache_control = {
        part.split("=")[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    vary = {part.strip().lower() for part in cc_delim_re.split(response.get("Vary", "")) if part.strip()}
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "public" in cache_control
        and not cache_control & {"private", "no-store", "no-cache"}
        and not request.META.get("CSRF_COOKIE_USED")
        and vary <= _VARY_COVERED
    )


# Tokens of other state the cached pages show, and the blocks that read each once per request
# (``register_key_part``).
_key_parts = []
_reading_scopes = []


def register_key_part(part, once_per_request=None):
    """``part()`` returns a token (a string) of state that readers' pages show and that changes
    without a content change; it becomes part of every cached page's key (search: the index
    version, which changes when the index is written after a publish). ``once_per_request()``, a
    context manager, is entered around every reading request, so that the key and the page read
    the token once between them."""
    if part not in _key_parts:
        _key_parts.append(part)
    if once_per_request is not None and once_per_request not in _reading_scopes:
        _reading_scopes.append(once_per_request)


def _key(request):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    versions = " ".join([content_version(), *(part() for part in _key_parts)])
    # "page2": entries hold (status, headers, content, repeat); a new layout gets a new prefix, so
    # that a deploy never reads entries the code before it wrote to a shared Redis.
    return "page2:" + hashlib.sha256(f"{versions} {address}".encode()).hexdigest()


class PageCacheMiddleware:
    """Serve anonymous readers' pages from the cache; store the ones that may be (see above).

    Sits before the session, so that a hit touches nothing but the version row and the cache;
    the security headers are added outside it on every answer, cached or not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with one_reading():
            return self._serve(request) if _eligible(request) else self.get_response(request)

    def _serve(self, request):
        try:
            key = _key(request)
        except Exception:
            # A host Django refuses: let the usual handling answer (400), uncached.
            return self.get_response(request)
        cache = _cache()
        stored = cache.get(key)
        rendering = False
        if stored is None and cache.get(key + NOT_KEPT) is None:
            # One request renders a page that is not kept; the others asking for it meanwhile
            # wait for its copy (see _wait_for_copy).
            rendering = cache.add(key + RENDERING, True, RENDERING_SECONDS)
            if not rendering:
                stored = _wait_for_copy(cache, key)
        if stored is not None:
            return _from_copy(request, stored)
        try:
            response = self.get_response(request)
            seconds = seconds_left(_seconds())
            if seconds > 0 and _storable(request, response):
                headers = [
                    (name, value)
                    for name, value in response.items()
                    if name.lower() not in _NOT_STORED_HEADERS
                ]
                repeat = getattr(response, "pagecache_repeat", [])
                cache.set(key, (response.status_code, headers, response.content, repeat), seconds)
                response[HEADER] = "miss"
            else:
                # Nobody waits for a copy of this one (with these versions) again.
                cache.set(key + NOT_KEPT, True, RENDERING_SECONDS)
                response[HEADER] = "skip"
            return response
        finally:
            if rendering:
                cache.delete(key + RENDERING)


# A change retires every kept page at once: right after a publish, every reader asking for the
# front page would render it at the same moment, each on its own (50 readers, 50 renders of the
# same page on two cores). The first request for a page that is not kept marks it as being
# rendered (an atomic ``add``; per process without Redis); requests for it meanwhile wait up to
# ``WAIT_SECONDS`` for its copy, and render it themselves if none comes (the page could not be
# kept, or the renderer failed). Django's cache middleware and wagtail-cache have no such wait.
RENDERING = ":rendering"
NOT_KEPT = ":not-kept"
RENDERING_SECONDS = 30
WAIT_SECONDS = 3.0
_POLL_SECONDS = 0.005


def _wait_for_copy(cache, key):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(_POLL_SECONDS)
        stored = cache.get(key)
        if stored is not None:
            return stored
        if cache.get(key + RENDERING) is None:
            # Rendered but not kept (or failed): no copy is coming.
            return cache.get(key)
    return None


def _from_copy(request, stored):
    status, headers, content, repeat = stored
    for name, args in repeat:
        _hit_actions[name](*args)
    for refresh in _hit_refreshes:
        content = refresh(request, content)
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(content))
    response[HEADER] = "hit"
    return response


def clear():
    """Empty the page cache (tests; the content version retires pages without it)."""
    _cache().clear()
