"""Fast imports (issue #19): Wagtail's search and reference index are written once per page at the
end of the import (kompetanse.packages.bulk), and the pages come out as the slow path made them."""

import contextlib
import io
import json
import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from modelsearch.backends import get_search_backend
from wagtail.models import GroupPagePermission, Page, PageLogEntry, ReferenceIndex

from kompetanse.models import KnowledgePage
from kompetanse.packages import PackageError, import_package, reading
from kompetanse.packages.bulk import deferred_index_updates
from kompetanse.packages.mapping import page_data
from reuse import importing
from reuse.models import PackageImport
from search.service import run_search
from tests.kompetanse.page_state import publication_state

# Wagtail's own search index is compared too: on for this module (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.wagtail_search]

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
        **publication_state(page),
        "data": data,
        # What the revision holds besides the page's identity: its fields, relations, children.
        "revision_keys": sorted(page.latest_revision.content),
        "revision_relations": {
            key: page.latest_revision.content[key]
            for key in ("target_groups", "topics", "levels", "wagtail_admin_comments")
        },
        "revision_children": {
            key: len(value)
            for key, value in page.latest_revision.content.items()
            if isinstance(value, list) and value and isinstance(value[0], dict)
        },
        "depth": page.depth,
        "url_path_under_listing": page.url_path.startswith(listing.url_path),
        "path_under_listing": page.path.startswith(listing.path) and len(page.path) == len(listing.path) + 4,
        "log": sorted(
            (entry.action, entry.user_id, entry.label == page.title, entry.content_changed, entry.uuid)
            + ((entry.revision_id == page.latest_revision_id) if entry.revision_id else None,)
            for entry in PageLogEntry.objects.filter(page=page)
        ),
        "references": sorted(
            (ref.to_content_type.model, ref.model_path)
            for ref in ReferenceIndex.get_references_for_object(page)
        ),
    }


@pytest.fixture
def slow_path(monkeypatch):
    """The import as it was: every save updates Wagtail's indexes on its own."""

    def create_published(page, appender, user):
        appender.parent.add_child(instance=page)  # treebeard's own insert, one page at a time
        appender.slugs.add(page.slug)
        page.save_revision(user=user, log_action=user is not None).publish(user=user)

    def use():
        monkeypatch.setattr(reading, "deferred_index_updates", contextlib.nullcontext)
        monkeypatch.setattr(reading, "_create_published", create_published)

    return use


@pytest.mark.parametrize("as_admin", [False, True], ids=["kommandolinjen", "admin"])
def test_a_batched_import_gives_the_pages_the_slow_path_gave(oslo, slow_path, django_user_model, as_admin):
    user = (
        django_user_model.objects.create_superuser("sjef", "sjef@example.no", "passord") if as_admin else None
    )
    count = 3 if as_admin else 6
    import_package(package("fast", count), user=user)
    slow_path()
    import_package(package("slow", count), user=user)
    fast, slow = imported("fast"), imported("slow")
    assert len(fast) == len(slow) == count
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


def listing_of(prefix, key="0"):
    return imported(prefix)[key].get_parent().specific


def test_a_second_import_into_a_listing_appends_after_its_children_and_keeps_the_tree_sound(oslo):
    import_package(package("first", count=6))
    listing = listing_of("first")
    # Inserted by Wagtail's own add_child meanwhile: the next import must append after it.
    listing.add_child(
        instance=type(imported("first")["0"])(title="Lagt til i admin", slug="lagt-til", live=False)
    )
    import_package(package("second", count=6))
    listing.refresh_from_db()
    children = list(listing.get_children())
    # Each kind has its listing: 2 pages of this kind per package, and the admin's page.
    assert [child.path[-4:] for child in children] == ["0001", "0002", "0003", "0004", "0005"]
    assert [child.title for child in children][2] == "Lagt til i admin"
    assert {imported("second")[key].pk for key in ("0", "3")} == {child.pk for child in children[3:]}
    assert listing.numchild == 5
    # treebeard's own check of paths, depths and numchild over the whole tree.
    assert all(not problem for problem in Page.find_problems())
    for page in children:
        assert page.depth == listing.depth + 1
        assert page.url_path == f"{listing.url_path}{page.slug}/"
        assert page.locale_id == listing.locale_id


def test_colliding_slugs_get_a_number_as_before(oslo, slow_path):
    same = package("like", count=3)
    for entry in same["items"]:
        entry.update(type="procedure", title="Samme tittel")
    import_package(same)
    again = package("igjen", count=2)
    for entry in again["items"]:
        entry.update(type="procedure", title="Samme tittel")
    import_package(again)
    slugs = sorted(page.slug for page in [*imported("like").values(), *imported("igjen").values()])
    assert slugs == ["samme-tittel", "samme-tittel-2", "samme-tittel-3", "samme-tittel-4", "samme-tittel-5"]
    # The old path in the same listing numbers on from there.
    slow_path()
    last = package("sakte", count=1)
    last["items"][0].update(type="procedure", title="Samme tittel")
    import_package(last)
    assert imported("sakte")["0"].slug == "samme-tittel-6"
    assert all(not problem for problem in Page.find_problems())


def test_the_listing_is_locked_read_and_counted_once_per_import_not_once_per_page(oslo):
    import_package(package("first", count=3))
    listing = listing_of("first")
    with CaptureQueriesContext(connection) as queries:
        import_package(package("mange", count=12))
    numchild_updates = [
        q["sql"] for q in queries if q["sql"].startswith('UPDATE "wagtailcore_page" SET "numchild"')
    ]
    # Three listings (one per kind), each raised once by its four new pages.
    assert len(numchild_updates) == 3
    listing.refresh_from_db()
    assert listing.numchild == listing.get_children().count() == 5


def test_drafts_inserted_by_add_child_between_batched_imports_keep_the_tree_sound(oslo, django_user_model):
    """An editor who may add but not publish gets drafts through Wagtail's add_child; the batched
    imports before and after append around them."""
    editor = django_user_model.objects.create_user("skribent", "skribent@example.no", "passord")
    group = Group.objects.create(name="Skribenter Oslo")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group, page=oslo, permission=Permission.objects.get(codename=codename)
        )
    editor.groups.add(group)
    same_title = {"type": "procedure", "title": "Samme tittel"}
    first, drafts, last = package("for", 2), package("utkast", 2), package("etter", 2)
    for content in (first, drafts, last):
        for entry in content["items"]:
            entry.update(same_title)
    import_package(first)
    result = import_package(drafts, user=editor)
    assert len(result.drafts) + len(result.submitted) == 2 and not result.published
    import_package(last)
    listing = listing_of("for")
    listing.refresh_from_db()
    children = list(listing.get_children())
    assert [child.slug for child in children] == [
        "samme-tittel",
        "samme-tittel-2",
        "samme-tittel-3",
        "samme-tittel-4",
        "samme-tittel-5",
        "samme-tittel-6",
    ]
    assert [child.live for child in children] == [True, True, False, False, True, True]
    assert listing.numchild == 6
    assert all(not problem for problem in Page.find_problems())


def test_the_pages_log_entries_are_written_together_at_the_end(oslo, django_user_model):
    user = django_user_model.objects.create_superuser("sjef", "sjef@example.no", "passord")
    with CaptureQueriesContext(connection) as queries:
        import_package(package("logg", count=5), user=user)
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "wagtailcore_pagelogentry"')]
    assert len(inserts) == 1  # one bulk insert, where there were fifteen
    entries = PageLogEntry.objects.filter(page__in=imported("logg").values())
    assert sorted(entries.values_list("action", flat=True)) == sorted(
        ["wagtail.create", "wagtail.edit", "wagtail.publish"] * 5
    )
    assert set(entries.values_list("user__username", flat=True)) == {"sjef"}


# --- The admin: a large import runs in the background, and its progress is shown ---------------


@pytest.fixture
def admin_client(client, django_user_model, monkeypatch):
    monkeypatch.setattr(importing, "BACKGROUND_FROM_ITEMS", 3)
    client.force_login(django_user_model.objects.create_superuser("sjef", "sjef@example.no", "passord"))
    return client


def upload(content):
    return SimpleUploadedFile("stor-pakke.json", json.dumps(content).encode(), "application/json")


def test_a_large_admin_import_runs_as_a_task_and_shows_its_outcome(
    admin_client, oslo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/gjenbruk/import/", {"package": upload(package("adm", 3))})
    record = PackageImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/gjenbruk/import/{record.pk}/"
    assert len(imported("adm")) == 3
    page = admin_client.get(response["Location"]).content.decode()
    assert "Importert: 3 nye og 0 oppdaterte sider. Publisert: 3." in page
    assert "import-progress.js" not in page  # done: nothing to ask for
    status = admin_client.get(f"/admin/gjenbruk/import/{record.pk}/status/").json()
    assert (status["status"], status["done"], status["total"], status["finished"]) == ("done", 3, 3, True)
    record.refresh_from_db()
    assert record.package == b"" and record.user.username == "sjef"


def test_a_small_admin_import_still_runs_in_the_request(admin_client, oslo):
    response = admin_client.post(
        "/admin/gjenbruk/import/", {"package": upload(package("liten", 2))}, follow=True
    )
    assert "Importert: 2 nye og 0 oppdaterte sider. Publisert: 2." in response.content.decode()
    assert not PackageImport.objects.exists()


def test_a_running_import_shows_how_far_it_has_come(admin_client, oslo):
    record = PackageImport.objects.create(
        user=User.objects.get(username="sjef"), file_name="stor-pakke.json", status="running", total=10
    )
    cache.set(importing._key(record.pk), (4, 10))
    page = admin_client.get(f"/admin/gjenbruk/import/{record.pk}/").content.decode()
    assert 'max="10" value="4"' in page
    assert "4 av 10 sider importert …" in page
    assert "reuse/js/import-progress.js" in page and "<script>" not in page  # CSP: no inline script
    status = admin_client.get(f"/admin/gjenbruk/import/{record.pk}/status/").json()
    assert (status["done"], status["total"], status["finished"], status["label"]) == (4, 10, False, "Pågår")


def test_a_failed_background_import_says_why_and_writes_nothing(
    admin_client, oslo, django_capture_on_commit_callbacks
):
    content = package("feil", 3)
    content["items"][1]["target_groups"] = ["ukjent"]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/gjenbruk/import/", {"package": upload(content)})
    page = admin_client.get(response["Location"]).content.decode()
    assert "Ingenting ble importert. Element 2 (uid «feil-1»): ukjent målgruppe «ukjent»" in page
    assert not imported("feil")
    assert PackageImport.objects.get().status == "failed"


def test_an_import_is_shown_only_to_the_user_who_started_it(oslo, django_user_model, client):
    access = Permission.objects.get(codename="access_admin")
    importer, other, reader = (
        django_user_model.objects.create_user(name, f"{name}@example.no", "passord")
        for name in ("importoer", "annen", "leser")
    )
    for user in (importer, other, reader):
        user.user_permissions.add(access)
    for user in (importer, other):
        user.user_permissions.add(Permission.objects.get(codename="import_content_package"))
    mine = PackageImport.objects.create(user=importer, file_name="min.json")
    theirs = PackageImport.objects.create(user=other, file_name="deres.json")
    client.force_login(importer)
    assert client.get(f"/admin/gjenbruk/import/{mine.pk}/").status_code == 200
    assert client.get(f"/admin/gjenbruk/import/{mine.pk}/status/").json()["label"] == "Venter"
    for url in (f"/admin/gjenbruk/import/{theirs.pk}/", f"/admin/gjenbruk/import/{theirs.pk}/status/"):
        assert client.get(url).status_code == 404
    client.force_login(reader)  # may use the admin, but not import: Wagtail sends them to the dashboard
    refused = client.get(f"/admin/gjenbruk/import/{mine.pk}/status/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"


def test_the_command_line_shows_a_progress_bar_with_the_rate_and_time_left(oslo, tmp_path):
    path = tmp_path / "pakke.json"
    path.write_text(json.dumps(package("cli", 4)), encoding="utf-8")
    out = io.StringIO()
    call_command("import_content", str(path), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[#####               ] Importert 1 av 4 (")
    assert re.search(r"\(\d+ sider/s, ca\. \d+ s igjen\) …$", lines[0])
    assert lines[3].startswith("[####################] Importert 4 av 4 (") and "ca. 0 s igjen" in lines[3]
    assert re.search(r"Tid brukt: (\d+ min )?\d+ s\.$", lines[-1])


def test_an_unexpected_error_in_a_background_import_is_reported_not_left_running(oslo, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disken forsvant")

    monkeypatch.setattr(importing, "import_package", broken)
    record = PackageImport.objects.create(
        file_name="stor-pakke.json", package=json.dumps(package("brudd", 1)).encode()
    )
    with pytest.raises(RuntimeError):
        importing.run_package_import.call(record.pk)
    record.refresh_from_db()
    assert record.status == "failed" and record.finished
    assert record.error.startswith("Ingenting ble importert. Importen stoppet på grunn av en feil i portalen")
