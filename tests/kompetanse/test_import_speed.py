"""Fast imports (issue #19): Wagtail's search and reference index are written once per page at the
end of the import (kompetanse.packages.bulk), and the pages come out as the slow path made them."""

import contextlib

import pytest
from django.db.models.signals import post_save
from modelsearch.backends import get_search_backend
from wagtail.models import PageLogEntry, ReferenceIndex

from kompetanse.models import KnowledgePage
from kompetanse.packages import PackageError, import_package, reading
from kompetanse.packages.bulk import deferred_index_updates
from kompetanse.packages.mapping import page_data
from search.service import run_search

pytestmark = pytest.mark.django_db

KINDS = ["procedure", "recommendation", "good_example"]


def item(n, prefix):
    return {
        "uid": f"{prefix}-{n}",
        "type": KINDS[n % 3],
        "community": "oslo",
        "title": f"Fallforebygging {prefix}{n} i hjemmetjenesten",
        "summary": f"Kartlegging av fallrisiko, tiltak {n}.",
        "body": [["paragraph", f"<p>Ord{prefix}{n} står bare på denne siden.</p>"]],
        "target_groups": ["skropelige-eldre"],
        "topics": ["fallforebygging"],
        "owner": {"name": "Fagrådet for eldre", "unit": "Legevakten", "email": "fag@example.no"},
    }


def package(prefix, count=6):
    return {
        "format": "kompetanse-package",
        "version": 2,
        "topic_names": {"fallforebygging": {"name": "Fallforebygging"}},
        "items": [item(n, prefix) for n in range(count)],
    }


def imported(prefix):
    return {
        page.import_uid.removeprefix(f"{prefix}-"): page
        for page in KnowledgePage.objects.filter(import_uid__startswith=f"{prefix}-").specific()
    }


def state(page):
    """What a reader, an editor and Wagtail see of an imported page, without its identity."""
    page.refresh_from_db()
    data = page_data(page)
    for key in ("title", "slug", "summary", "body"):
        data.pop(key)  # they carry the prefix; compared through search below
    listing = page.get_parent()
    return {
        "data": data,
        "live": page.live,
        "has_unpublished_changes": page.has_unpublished_changes,
        "published": page.first_published_at is not None and page.last_published_at is not None,
        "revisions": page.revisions.count(),
        "live_is_latest": page.live_revision_id == page.latest_revision_id is not None,
        "depth": page.depth,
        "url_path_under_listing": page.url_path.startswith(listing.url_path),
        "path_under_listing": page.path.startswith(listing.path) and len(page.path) == len(listing.path) + 4,
        "log": sorted(PageLogEntry.objects.filter(page=page).values_list("action", flat=True)),
        "references": sorted(
            (ref.to_content_type.model, ref.model_path)
            for ref in ReferenceIndex.get_references_for_object(page)
        ),
    }


@pytest.fixture
def slow_path(monkeypatch):
    """The import as it was: every save updates Wagtail's indexes on its own."""

    def use():
        monkeypatch.setattr(reading, "deferred_index_updates", contextlib.nullcontext)

    return use


def test_a_batched_import_gives_the_pages_the_slow_path_gave(oslo, slow_path):
    import_package(package("fast"))
    slow_path()
    import_package(package("slow"))
    fast, slow = imported("fast"), imported("slow")
    assert len(fast) == len(slow) == 6
    for key in fast:
        assert state(fast[key]) == state(slow[key]), key
        # The content owner is in Wagtail's reference index («Bruk» in the admin).
        assert "contentowner" in {model for model, _ in state(fast[key])["references"]}
    listing = fast["0"].get_parent()
    assert listing.numchild == listing.get_children().count()


def test_batched_pages_are_found_by_the_portal_search_and_wagtails_admin_search(oslo, slow_path):
    import_package(package("fast", count=3))
    slow_path()
    import_package(package("slow", count=3))
    backend = get_search_backend()
    for prefix in ("fast", "slow"):
        for n, page in imported(prefix).items():
            word = f"ord{prefix}{n}"
            assert [hit.page_id for hit in run_search(word).hits] == [page.pk]
            found = backend.search(f"Fallforebygging {prefix}{n}", KnowledgePage.objects.live())
            assert page.pk in [hit.pk for hit in found]


def test_each_page_is_indexed_once_not_once_per_save(oslo, monkeypatch):
    """The deferral's point: one write per page to Wagtail's indexes, where there were three."""
    calls = {"search": 0, "references": 0}
    backend_class = type(get_search_backend())
    real_add_bulk, real_refs = backend_class.add_bulk, ReferenceIndex.create_or_update_for_object.__func__

    def add_bulk(self, model, objs):
        calls["search"] += sum(isinstance(obj, KnowledgePage) for obj in objs)
        return real_add_bulk(self, model, objs)

    def create_or_update(cls, obj):
        calls["references"] += isinstance(obj, KnowledgePage)
        return real_refs(cls, obj)

    monkeypatch.setattr(backend_class, "add_bulk", add_bulk)
    monkeypatch.setattr(ReferenceIndex, "create_or_update_for_object", classmethod(create_or_update))
    import_package(package("fast", count=4))
    assert calls == {"search": 4, "references": 4}


def test_a_failure_in_the_middle_writes_nothing_to_any_index(oslo, monkeypatch):
    real = reading._import_item
    calls = {"n": 0}

    def failing_on_fourth(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise ValueError("noe gikk galt midt i importen")
        return real(*args, **kwargs)

    monkeypatch.setattr(reading, "_import_item", failing_on_fourth)
    with pytest.raises(PackageError, match="Element 4"):
        import_package(package("fast"))
    assert not KnowledgePage.objects.filter(import_uid__startswith="fast-").exists()
    assert run_search("ordfast0").total == 0
    assert not list(get_search_backend().search("fast0", KnowledgePage))


def test_saves_outside_an_import_still_update_wagtails_indexes_at_once(oslo):
    import_package(package("fast", count=1))
    page = imported("fast")["0"]
    page.title = "Nytt navn Trappeheis"
    page.save_revision().publish()
    assert page.pk in [hit.pk for hit in get_search_backend().search("Trappeheis", KnowledgePage)]
    # Wagtail's own receiver was replaced once, not stacked: one per indexed model.
    with deferred_index_updates():
        receivers = post_save._live_receivers(type(page))
    assert len([r for r in receivers[0] if getattr(r, "__name__", "") == "_search_on_save"]) == 1
