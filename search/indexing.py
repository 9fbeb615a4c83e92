"""Keeping the search index in step with the page tree: what a page contributes, and when.

The database index is written here, in the transaction that changed the pages (it is the
embedded default and the fallback when Elasticsearch is down). Elasticsearch, when configured,
is brought level by a task enqueued when that transaction commits (``search.tasks``): publishing
never waits for the cluster. A failure is logged and swallowed: indexing never breaks publishing.
"""

import html
import logging
import re
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import prefetch_related_objects
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from kompetanse.models import CONTENT_MODELS, CommunityHomePage
from kompetanse.models.base import COMMUNITY_DEPTH
from kompetanse.registry import exclude_live_copies, is_live_copy
from search import backends, tasks

logger = logging.getLogger("search")

TAG_RE = re.compile(r"<[^>]+>")


def indexable_models():
    return tuple(CONTENT_MODELS.values())


def plain_text(value):
    """Text of an HTML fragment, with block boundaries kept as spaces."""
    text = html.unescape(TAG_RE.sub(" ", str(value or "")))
    return " ".join(text.split())


def _field_text(page, field_name):
    value = getattr(page, field_name, None)
    if value is None:
        return ""
    try:
        model_field = page._meta.get_field(field_name)
    except Exception:
        model_field = None
    if model_field is not None and hasattr(model_field, "get_searchable_content"):
        try:
            return plain_text(" ".join(str(v) for v in model_field.get_searchable_content(value)))
        except Exception:  # a block without searchable content: fall back to its string form
            pass
    return plain_text(value)


def is_searchable(page):
    """Only live pages without a view restriction (on them or above them) may be found."""
    if not page.live or page.get_view_restrictions().exists():
        return False
    if not isinstance(page.specific, indexable_models()):
        return False
    # A live copy (reported by the reuse app, kompetanse.registry) shows its source's text,
    # which is indexed already: one hit per content.
    return not is_live_copy(page)


def document_for(page, communities=None):
    """The plain data a page contributes to the index (both backends build on this).

    ``communities`` (tree path → community home) saves a query per page in bulk indexing.
    """
    page = page.specific
    body_parts = []
    for field in page.get_search_fields():
        if isinstance(field, index.SearchField) and field.field_name not in ("title", "summary"):
            body_parts.append(_field_text(page, field.field_name))
    if hasattr(page, "parties"):
        body_parts.extend(f"{p.name} {p.description}" for p in page.parties.all())
    if communities is not None:
        community = communities.get(page.path[: COMMUNITY_DEPTH * page.steplen])
    else:
        community = page.community
    target_groups = list(page.target_groups.all())
    topics = list(page.topics.all())
    levels = list(page.levels.all())
    community_name = community.display_name if community else ""
    taxonomy = " ".join(
        [t.name for t in topics]
        + [g.name for g in target_groups]
        + [lv.name for lv in levels]
        + [community_name]
    )
    return {
        "page_id": page.pk,
        "kind": page.content_kind,
        "community": community.slug if community else "",
        "community_name": community_name,
        "path": page.path,
        "depth": page.depth,
        "url_path": page.url_path,
        "title": page.title,
        "summary": plain_text(page.summary),
        "taxonomy": taxonomy,
        "body": " ".join(part for part in body_parts if part),
        "target_groups": sorted({g.slug for g in target_groups}),
        "topics": sorted({t.slug for t in topics}),
        "last_reviewed": page.last_reviewed,
        "next_review": page.next_review,
    }


def _guarded(action, page_id, func):
    try:
        with transaction.atomic():
            func()
    except Exception:
        logger.exception("Søkeindeksen kunne ikke oppdateres (%s, side %s).", action, page_id)


# Pages waiting to be indexed by the innermost open ``batch()``: {page id: None}. None outside.
_pending = ContextVar("search_index_pending", default=None)
BATCH_FLUSH_SIZE = 200


@contextmanager
def batch():
    """Collect index updates and write each page once, when the block ends.

    Publishing one page sends several signals (``add_child``, ``save_revision``, ``publish``),
    and each used to index the page again. Within a batch a page is only noted; at the end its
    state is read back from the database and indexed (or removed) once, so what the index holds
    is whatever was really saved, even if part of the block failed or rolled back. Requests run
    in a batch (``search.middleware``), and so do imports and the demo loader. Wagtail has no
    hook for this: its own ``index.insert_or_update_object`` runs per signal, too.
    """
    if _pending.get() is not None:  # nested: the outermost batch writes
        yield
        return
    token = _pending.set({})
    try:
        yield
    finally:
        pending = _pending.get()
        _pending.reset(token)
        if pending:
            _write(list(pending))


def _note(page_ids, removal=False):
    """True if a batch took the page ids; it writes them later (early when it grows large).

    A removal never writes early: it is noted before Django deletes the page, which must be gone
    by the time the batch reads it back.
    """
    pending = _pending.get()
    if pending is None:
        return False
    pending.update(dict.fromkeys(page_ids))
    if not removal and len(pending) >= BATCH_FLUSH_SIZE:
        page_ids = list(pending)
        pending.clear()
        _write(page_ids)
    return True


def saved_state(page_ids):
    """The pages among ``page_ids`` that may be found, and the ids of the rest, as saved now.

    ``is_searchable`` for many pages at once: the view restrictions and live copies are read once,
    and the taxonomy ``document_for`` reads is fetched for all pages together (an import flushes
    hundreds of pages at a time).
    """
    pages = {page.pk: page for page in Page.objects.filter(pk__in=page_ids).specific()}
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    candidates = [
        page
        for page in pages.values()
        if page.live
        and isinstance(page, indexable_models())
        and not any(page.path.startswith(path) for path in restricted)
    ]
    kept = set(
        exclude_live_copies(Page.objects.filter(pk__in=[p.pk for p in candidates])).values_list(
            "pk", flat=True
        )
    )
    searchable = [pages[pk] for pk in page_ids if pk in kept]
    prefetch_related_objects(searchable, "topics", "target_groups", "levels")
    prefetch_related_objects([page for page in searchable if hasattr(page, "parties")], "parties")
    found = {page.pk for page in searchable}
    return searchable, [pk for pk in page_ids if pk not in found]


def _write(page_ids):
    """Index the pages among ``page_ids`` that may be found and remove the rest, as saved now."""
    searchable, gone = saved_state(page_ids)

    def run():
        if searchable:
            communities = {c.path: c for c in CommunityHomePage.objects.all()}
            backends.database.index_documents([document_for(page, communities) for page in searchable])
        if gone:
            backends.database.remove_documents(gone)
        tasks.enqueue_elasticsearch(page_ids)

    _guarded("oppdatering", page_ids[0], run)


def update_page(page):
    """Index a page if it may be found, and remove it otherwise (at the end of a batch, if one
    is open; at once otherwise)."""
    if not _note([page.pk]):
        _write([page.pk])


def update_subtree(page):
    """Re-index a page and every page below it (after a move or a change of view restriction)."""
    ids = list(
        Page.objects.descendant_of(page, inclusive=True)
        .type(*indexable_models())
        .values_list("pk", flat=True)
    )
    if not _note(ids):
        for pk in ids:  # one at a time: a page that fails does not keep the others out
            _write([pk])


def remove_pages(page_ids):
    page_ids = list(page_ids)
    if not page_ids or _note(page_ids, removal=True):
        return

    def run():
        backends.database.remove_documents(page_ids)
        tasks.enqueue_elasticsearch(page_ids)

    _guarded("fjerning", page_ids[0], run)


def searchable_pages():
    return (
        exclude_live_copies(Page.objects.live().public().type(*indexable_models()))
        .specific()
        .order_by("path")
    )


def iter_documents(batch=500):
    """Documents for every searchable page, loaded in batches with their taxonomy prefetched."""
    communities = {c.path: c for c in CommunityHomePage.objects.all()}
    ids = list(
        exclude_live_copies(Page.objects.live().public().type(*indexable_models()))
        .order_by("path")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        pages = {}
        for model in indexable_models():
            queryset = model.objects.filter(pk__in=chunk).prefetch_related(
                "topics", "target_groups", "levels"
            )
            if hasattr(model, "parties"):
                queryset = queryset.prefetch_related("parties")
            pages.update((page.pk, page) for page in queryset)
        for pk in chunk:
            if pk in pages:
                yield document_for(pages[pk], communities)
