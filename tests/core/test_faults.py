"""Faults: the database restarting, the media disk full or read-only, a reindex stopped halfway.

Each gives a clear answer (a 503 that says what happened, or the old state kept), loses nothing,
and recovers by itself once the fault is gone. Elasticsearch being unreachable is covered in
tests/search (search falls back to the database) and tests/core/test_health.py.
"""

import socket

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from kompetanse.models import KnowledgePage
from kompetanse.packages import import_package
from search import indexing
from search.models import SearchDocument
from search.service import run_search
from tests.core.test_uploads import image_bytes
from tests.faults import (
    FillsUpWhileWritingStorage,
    FullDiskStorage,
    ReadOnlyDiskStorage,
    files_under,
    media_on,
)
from tests.search.conftest import publish_page

needs_server = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite is a file, not a server that restarts; CI runs these on PostgreSQL too",
)


# The connection is broken on purpose, so the test cannot run inside a transaction of its own;
# it ends with an empty database, so it runs after every other test (tests/conftest.py).
def outside_transaction(test):
    return pytest.mark.empties_database(
        pytest.mark.django_db(transaction=True, serialized_rollback=True)(test)
    )


def reader():
    return Client(raise_request_exception=False)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def terminate_django_connection():
    """What a database restart does to open connections: the server ends them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


# ---------------------------------------------------------------------------------- database


def ensure_page_tree_root():
    """The tree root the migrations make; gone if a transactional test before this one flushed."""
    from wagtail.models import Locale, Page

    if Page.get_first_root_node() is None:
        Locale.objects.get_or_create(language_code="nb")
        Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.objects.get(language_code="nb")))


@needs_server
@outside_transaction
def test_connections_ended_by_a_restart_give_a_503_and_the_next_request_recovers():
    client = reader()
    search = "/sok/?q=legemidler"
    assert client.get(search).status_code == 200
    terminate_django_connection()
    response = client.get(search)
    assert response.status_code == 503
    assert "Databasen svarer ikke" in response.content.decode()
    assert "Ingenting du har lagret er tapt" in response.content.decode()
    assert response["Retry-After"] == "30"
    assert client.get(search).status_code == 200


@needs_server
@outside_transaction
def test_while_the_database_refuses_connections_readers_and_the_balancer_are_told():
    client = reader()
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = free_port()  # nothing listens: as while it restarts
    try:
        page = client.get("/")
        health = client.get("/healthz")
        api = client.get("/api/search/", {"q": "legemidler"})
        read_api = client.get("/api/v2/innhold/", {"search": '"'})  # a search like any other
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    assert page.status_code == 503 and "Databasen svarer ikke" in page.content.decode()
    assert health.status_code == 503 and health.json()["database"]["status"] == "feil"
    assert api.status_code == 503 and api.json()["error"] == "Databasen svarer ikke akkurat nå"
    assert read_api.status_code == 503 and read_api.json()["error"] == "Databasen svarer ikke akkurat nå"
    assert read_api["Retry-After"] == "30"
    assert client.get("/api/search/", {"q": "legemidler"}).status_code == 200
    assert client.get("/api/v2/innhold/", {"search": '"'}).status_code == 200
    assert client.get("/healthz").json()["database"]["status"] == "ok"


@needs_server
@outside_transaction
def test_a_connection_lost_in_the_middle_of_an_import_leaves_nothing_half_written():
    ensure_page_tree_root()
    items = [
        {
            "uid": f"brudd-{n}",
            "type": "procedure",
            "community": "oslo",
            "title": f"Prosedyre om trykksår {n}",
            "summary": "Forebygging av trykksår.",
        }
        for n in range(4)
    ]

    def lose_the_connection_after_two(done, total):
        if done == 2:
            terminate_django_connection()

    with pytest.raises(Exception) as raised:
        import_package(
            {"format": "kompetanse-package", "version": 1, "items": items},
            progress=lose_the_connection_after_two,
        )
    assert "terminat" in str(raised.value).lower() or "closed" in str(raised.value).lower()
    connection.close()
    assert not KnowledgePage.objects.filter(import_uid__startswith="brudd-").exists()
    assert not SearchDocument.objects.filter(title__startswith="Prosedyre om trykksår").exists()
    # The same import succeeds once the database is back.
    import_package({"format": "kompetanse-package", "version": 1, "items": items})
    assert KnowledgePage.objects.filter(import_uid__startswith="brudd-").count() == 4


# ---------------------------------------------------------------------------------- media disk


@pytest.fixture
def editor_client(db, django_user_model):
    user = django_user_model.objects.create_superuser("driftstest", "d@example.no", "passord-for-test-1")
    client = reader()
    client.force_login(user)
    return client


def upload_image(client):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Sårstell",
            "description": "Bilde av bandasje",
            "file": SimpleUploadedFile("sar.png", image_bytes(), content_type="image/png"),
            "collection": 1,
        },
    )


def upload_document(client):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": "Rutine", "file": SimpleUploadedFile("rutine.pdf", b"%PDF-1.4\n%%EOF\n"), "collection": 1},
    )


@pytest.mark.parametrize(
    "disk",
    [FullDiskStorage, ReadOnlyDiskStorage, FillsUpWhileWritingStorage],
    ids=["full", "skrivebeskyttet", "fylles-under-skriving"],
)
@pytest.mark.parametrize(
    "upload, model",
    [(upload_image, get_image_model), (upload_document, get_document_model)],
    ids=["bilde", "dokument"],
)
def test_an_upload_to_a_broken_media_disk_is_refused_clearly_and_stores_nothing(
    editor_client, settings, disk, upload, model
):
    settings.MEDIA_ROOT = settings.MEDIA_ROOT + "-fault"
    before = files_under(settings.MEDIA_ROOT)
    with media_on(disk):
        response = upload(editor_client)
    assert response.status_code == 503
    text = response.content.decode()
    assert "Filen kunne ikke lagres" in text and "Ingenting ble lagret" in text
    assert not model().objects.exists()
    assert files_under(settings.MEDIA_ROOT) == before
    # Space freed (or the volume remounted): the same upload works without anything else.
    assert upload(editor_client).status_code == 302
    assert model().objects.count() == 1


# ---------------------------------------------------------------------------------- reindexing


@pytest.fixture
def indexed_pages(db):
    publish_page("procedure", "oslo", "Trykksårforebygging", "Snuregime og madrasser.")
    publish_page("recommendation", "sentral", "Ansvar ved trykksår", "Kommune og sykehus.")
    return SearchDocument.objects.count()


def test_a_rebuild_interrupted_halfway_leaves_the_old_index_searchable(indexed_pages, monkeypatch):
    real = indexing.iter_documents

    def stopped_halfway(batch=200):
        for n, doc in enumerate(real(batch)):
            if n == 1:
                raise KeyboardInterrupt  # Ctrl+C, or the deploy stopping the job
            yield doc

    monkeypatch.setattr(indexing, "iter_documents", stopped_halfway)
    with pytest.raises(KeyboardInterrupt):
        call_command("rebuild_search_index", no_progress=True)
    assert SearchDocument.objects.count() == indexed_pages
    assert run_search("trykksår").total == 2
    # Run again, it completes.
    monkeypatch.setattr(indexing, "iter_documents", real)
    call_command("rebuild_search_index", no_progress=True)
    assert run_search("trykksår").total == 2


def test_an_interrupted_elasticsearch_rebuild_leaves_no_index_behind_after_the_next():
    from search.backends.elastic import indexes_to_drop
    from search.documents import alias

    current = f"{alias()}-20261126030000000000"
    left_by_a_stopped_rebuild = f"{alias()}-20261125120000000000"
    previous = f"{alias()}-20261120080000000000"
    someone_elses = "kompetanse-sok-arkiv"
    names = [current, left_by_a_stopped_rebuild, previous, someone_elses, "logs-2026"]
    assert indexes_to_drop(names, current) == [previous, left_by_a_stopped_rebuild]
