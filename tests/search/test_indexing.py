"""The index follows the page tree at once: publish, draft, unpublish, move, delete, restrict."""

import json
import logging

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import PageViewRestriction

from kompetanse.communities import ensure_community, listing_for
from search.models import SearchDocument, SearchTerm
from search.service import run_search
from tests.search.conftest import publish_page

pytestmark = pytest.mark.django_db


def titles(query, **kwargs):
    return [hit.title for hit in run_search(query, **kwargs).hits]


def test_a_published_page_is_found_at_once(pages):
    assert titles("legemiddelsamstemming") == ["Legemiddelsamstemming ved utskrivning"]


def test_a_draft_does_not_change_what_readers_find(pages):
    page = pages["samstemming"]
    page.title = "Hemmelig utkast om samstemming"
    page.save_revision()
    assert titles("hemmelig") == []
    assert titles("legemiddelsamstemming") == ["Legemiddelsamstemming ved utskrivning"]


def test_publishing_a_new_version_replaces_the_old_one(pages):
    page = pages["samstemming"]
    page.title = "Samstemming av legemidler ved utskrivning"
    page.save_revision().publish()
    assert titles("samstemming utskrivning")[0] == "Samstemming av legemidler ved utskrivning"
    assert SearchDocument.objects.filter(page=page).count() == 1


def test_an_unpublished_page_disappears(pages):
    pages["bup"].unpublish()
    assert titles("BUP") == []


def test_a_deleted_page_disappears(pages):
    pages["bup"].delete()
    assert titles("BUP") == []
    assert not SearchDocument.objects.filter(title="Henvisning til BUP").exists()


def test_a_private_page_is_never_found(pages):
    PageViewRestriction.objects.create(page=pages["bup"], restriction_type="login")
    assert titles("BUP") == []
    PageViewRestriction.objects.filter(page=pages["bup"]).delete()
    assert titles("BUP") == ["Henvisning til BUP"]


def test_a_restriction_above_a_page_hides_it_too(pages):
    listing = pages["bup"].get_parent()
    PageViewRestriction.objects.create(page=listing, restriction_type="password", password="x")
    assert titles("BUP") == []


def test_moving_a_page_moves_its_community_and_url(pages):
    target = listing_for(ensure_community("ahus"), "procedure")
    pages["bup"].move(target, pos="last-child")
    hit = run_search("BUP").hits[0]
    assert hit.community == "ahus"
    assert hit.url.startswith("/ahus/")


def test_indexing_failure_is_logged_and_publishing_goes_on(
    pages, settings, caplog, django_capture_on_commit_callbacks
):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens there
    # The Elasticsearch task runs when the publish commits (tests/search/test_tasks.py).
    with caplog.at_level(logging.WARNING, logger="search"), django_capture_on_commit_callbacks(execute=True):
        page = publish_page("procedure", "oslo", "Ny prosedyre om sondeernæring", "Sondeernæring hjemme.")
    assert page.live
    assert any("Elasticsearch" in record.getMessage() for record in caplog.records)
    # The database index still has it, and search falls back to it.
    result = run_search("sondeernæring")
    assert result.backend == "database"
    assert [hit.title for hit in result.hits] == ["Ny prosedyre om sondeernæring"]


def test_rebuild_search_index_restores_everything_with_a_progress_bar(pages, capsys):
    SearchDocument.objects.all().delete()
    assert titles("BUP") == []
    call_command("rebuild_search_index")
    out = capsys.readouterr().out
    assert "[" in out and "5/5" in out and "5 sider indeksert" in out
    assert titles("BUP") == ["Henvisning til BUP"]
    assert titles("legemiddelsamstemming") == ["Legemiddelsamstemming ved utskrivning"]
    # The vocabulary for spelling help is counted afresh: one page has the word in its title.
    assert SearchTerm.objects.get(word="henvisning").frequency == 1
    assert run_search("henvisnig").suggestion == "henvisning"


def test_imported_packages_are_searchable_at_once(db, tmp_path):
    package = {
        "format": "kompetanse-package",
        "version": 1,
        "items": [
            {
                "uid": "sok-001",
                "type": "procedure",
                "community": "oslo",
                "title": "Trakeostomistell i hjemmet",
                "summary": "Slik steller hjemmesykepleien trakeostomi.",
                "body": "<p>Skift kanyle etter prosedyren.</p>",
                "target_groups": ["flere-kroniske-lidelser"],
                "topics": ["legemidler"],
            }
        ],
    }
    path = tmp_path / "pakke.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    call_command("import_content", str(path))
    assert titles("trakeostomi") == ["Trakeostomistell i hjemmet"]
    # Its words joined the vocabulary for spelling help (written once, at the end of the import).
    assert run_search("trakeostomistel").suggestion == "trakeostomistell"


def index_writes(queries):
    """How many times the full-text index was written to in the captured queries."""
    mark = "search_vector" if connection.vendor == "postgresql" else "INSERT INTO search_fts"
    return sum(1 for q in queries if mark in q["sql"] and "INSERT INTO" in q["sql"])


def test_publishing_in_the_admin_indexes_the_page_once(db, admin_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from kompetanse.factories import ContentOwnerFactory
    from kompetanse.models import ProcedurePage
    from tests.editorial.helpers import new_page_form_data

    listing = listing_for(ensure_community("oslo"), "procedure")
    data = new_page_form_data(
        ProcedurePage,
        listing,
        title="Stell av perifert venekateter",
        slug="perifert-venekateter",
        summary="Hvordan PVK stelles og skiftes.",
        **{"action-publish": "1"},
    )
    data["content_owner"] = str(ContentOwnerFactory(name="Fagansvarlig").pk)
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.post(
            reverse("wagtailadmin_pages:add", args=["kompetanse", "procedurepage", listing.pk]), data
        )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert titles("venekateter") == ["Stell av perifert venekateter"]
    # add_child, save_revision and publish each send a signal; the page is written once.
    assert index_writes(captured.captured_queries) == 1


def test_a_batch_indexes_what_was_saved_not_what_was_signalled(pages):
    from django.db import transaction

    from search import indexing

    with indexing.batch():
        page = publish_page("procedure", "oslo", "Sårstell etter operasjon", "Sårstell hjemme.")
        try:
            with transaction.atomic():
                page.title = "Tilbakerullet tittel om sårstell"
                page.save_revision().publish()
                raise RuntimeError("the editor's save failed halfway")
        except RuntimeError:
            pass
        assert titles("sårstell") == []  # nothing is written before the batch ends
    assert titles("sårstell") == ["Sårstell etter operasjon"]
    assert titles("tilbakerullet") == []


def test_a_page_deleted_within_a_batch_leaves_the_index(pages):
    from search import indexing

    with indexing.batch():
        pages["bup"].delete()
    assert titles("BUP") == []
    assert not SearchDocument.objects.filter(title="Henvisning til BUP").exists()


def test_a_large_import_is_indexed_in_chunks_once_per_page(db, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kompetanse.packages import import_package
    from search import indexing

    # A smaller chunk than production's, so that a chunk and a remainder take 25 pages, not 205.
    monkeypatch.setattr(indexing, "BATCH_FLUSH_SIZE", 20)
    count = indexing.BATCH_FLUSH_SIZE + 5
    items = [
        {
            "uid": f"chunk-{n:04d}",
            "type": "recommendation",
            "community": "oslo",
            "title": f"Samhandling om ernæring nummer {n}",
            "summary": "Felles rutine for ernæringsscreening.",
            "body": "<p>Kommunen og sykehuset deler ansvaret.</p>",
        }
        for n in range(count)
    ]
    with CaptureQueriesContext(connection) as captured:
        import_package({"format": "kompetanse-package", "version": 1, "items": items})
    assert run_search("ernæringsscreening").total == count
    assert SearchDocument.objects.filter(title__startswith="Samhandling om ernæring").count() == count
    # One write per chunk of pages (SQLite's INSERT into FTS5, PostgreSQL's upsert with the vectors).
    assert index_writes(captured.captured_queries) <= 2
