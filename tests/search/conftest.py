"""Fixtures for search tests: a small, varied set of published pages in three communities."""

import importlib.util
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction

from kompetanse.communities import ensure_community, listing_for
from kompetanse.models import CONTENT_MODELS, TargetGroup, Topic


def publish_page(kind, community, title, summary, *, body_text="", topics=(), target_groups=(), **fields):
    """Create a page the way an editor does: add it under the listing and publish a revision."""
    home = ensure_community(community)
    model = CONTENT_MODELS[kind]
    page = model(title=title, summary=summary, **fields)
    if body_text:
        page.body = [("paragraph", f"<p>{body_text}</p>")]
    listing_for(home, kind).add_child(instance=page)
    page.topics.set(Topic.objects.filter(slug__in=topics))
    page.target_groups.set(TargetGroup.objects.filter(slug__in=target_groups))
    page.save_revision().publish()
    return page


SEASONS = ("høst", "vinter", "vår", "sommer")


def publish_seasonal_plans(word, community="sentral", seasons=SEASONS):
    """A plan for each season, each with ``word`` in its summary, to stand beside a test's own
    pages: the rarities of the query's words are then those of a portal, not of two pages."""
    for season in seasons:
        publish_page("procedure", community, f"Plan for {season}", f"Hvem får {word} i {season}, og hvor.")


def bench_script(name):
    """A script of bench/ (not a package) imported by its path: bench/relevance_gap.py is
    ``bench_script("relevance_gap")``. The scripts put the project and bench/ on the path
    themselves, for their neighbours."""
    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location(name, root / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Parameters of a fixture that runs each test on the database backend and on Elasticsearch.
BACKENDS = ["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]


def on_backend(request, pages):
    """A module's pages built once (tests/worlds.py), read anew; on the ``elasticsearch`` parameter
    also indexed into the test's own Elasticsearch index."""
    from search import indexing
    from search.backends import elastic
    from tests.worlds import fresh

    pages = fresh(pages)
    if request.param == "elasticsearch":
        request.getfixturevalue("elasticsearch")
        elastic.rebuild(indexing.document_for(page) for page in indexing.searchable_pages())
    return pages


@pytest.fixture(scope="module")
def _module_pages(django_db_setup, django_db_blocker):
    """Build the pages once per module inside a transaction that is rolled back at the end.

    Each test still runs in its own savepoint (pytest-django's ``db``), so changes a test makes
    are undone before the next one; publishing a page costs a lot, so it is done once.
    """
    with django_db_blocker.unblock():
        with transaction.atomic():
            pages = _create_pages()
            yield pages
            transaction.set_rollback(True)
    cache.clear()


@pytest.fixture
def pages(_module_pages, db):
    yield {name: type(page).objects.get(pk=page.pk) for name, page in _module_pages.items()}
    cache.clear()  # Wagtail caches site root paths; a rolled-back Site must not linger


def _create_pages():
    Topic.objects.get_or_create(slug="legemidler", defaults={"name": "Legemidler"})
    Topic.objects.get_or_create(slug="psykisk-helse", defaults={"name": "Psykisk helse"})
    ensure_community("sentral", "Felles innhold")
    return {
        "samstemming": publish_page(
            "procedure",
            "oslo",
            "Legemiddelsamstemming ved utskrivning",
            "Sykehuset samstemmer legemidlene før pasienten skrives ut til hjemmesykepleien.",
            body_text="Fastlegen oppdaterer legemiddellisten etter utskrivning.",
            topics=["legemidler"],
            target_groups=["skropelige-eldre"],
        ),
        "kols": publish_page(
            "good_example",
            "ahus",
            "Digital hjemmeoppfølging ved kronisk obstruktiv lungesykdom",
            "Pasienter følges opp hjemme med nettbrett og pulsoksymeter.",
            target_groups=["flere-kroniske-lidelser"],
        ),
        "bup": publish_page(
            "procedure",
            "oslo",
            "Henvisning til BUP",
            "Slik henviser kommunen barn og unge til spesialisthelsetjenesten.",
            topics=["psykisk-helse"],
            target_groups=["barn-og-unge"],
        ),
        "felles": publish_page(
            "recommendation",
            "sentral",
            "Felles anbefaling om legemiddelliste",
            "Alle helsefellesskap bruker pasientens legemiddelliste ved overganger.",
            topics=["legemidler"],
        ),
        "fall": publish_page(
            "procedure",
            "vestre-viken",
            "Forebygging av fall hos eldre",
            "Tiltak mot fall for hjemmeboende eldre.",
            target_groups=["skropelige-eldre"],
        ),
    }


def required_environment(name, need):
    """The variable's value; without it the test is skipped, or fails in CI (``CI`` set), where
    every test that needs a service must run against it."""
    import os

    value = os.environ.get(name)
    if not value:
        message = f"{name} er ikke satt: {need}."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return value


@pytest.fixture
def elasticsearch(settings):
    """A real Elasticsearch cluster (``TEST_ELASTICSEARCH_URL``) with an index of this test's own.

    Without the variable the test is skipped; in CI (``CI`` set) it fails instead, since CI starts
    a node and must run every Elasticsearch test against it. Each test gets its own alias, so the
    SQLite and PostgreSQL runs can share one node, and its indexes are dropped afterwards.
    """
    import uuid

    from search import backends
    from search.backends import elastic

    url = required_environment(
        "TEST_ELASTICSEARCH_URL", "testen trenger en Elasticsearch-klynge (make elasticsearch)"
    )
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_INDEX = f"kp-test-{uuid.uuid4().hex[:12]}"
    backends._es_down_until = 0.0
    es = elastic.client()
    yield es
    names = es.indices.get(index=f"{settings.ELASTICSEARCH_INDEX}*", allow_no_indices=True)
    for name in names:
        es.indices.delete(index=name, ignore_unavailable=True)
    backends._es_down_until = 0.0


@pytest.fixture
def indexed(pages, elasticsearch):
    """The search fixture's pages, in a fresh Elasticsearch index."""
    from search import indexing
    from search.backends import elastic

    elastic.rebuild(indexing.document_for(page) for page in indexing.searchable_pages())
    return pages
