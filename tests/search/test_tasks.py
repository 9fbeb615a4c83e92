"""Publishing never waits for Elasticsearch: the index write is a task, retried while the cluster
is down, and the page is searchable in Elasticsearch once the worker has run it."""

import pytest
from django.urls import reverse
from django.utils.text import slugify

from editorial.communities import PUBLISHER, add_editor, setup_community
from kompetanse.communities import listing_for
from kompetanse.factories import ContentOwnerFactory
from kompetanse.models import ProcedurePage
from search import backends, service
from search.documents import alias
from search.tasks import update_elasticsearch
from tests.editorial.helpers import new_page_form_data
from tests.task_queue import make_due, on_the_database_queue, queued, run_worker, seconds_until

pytestmark = pytest.mark.elasticsearch

DEAD_CLUSTER = "http://127.0.0.1:9"  # nothing listens on the discard port


@pytest.fixture
def publisher(client, db):
    """A community's publisher, logged in to the admin; returns the community's procedure listing."""
    team = setup_community("oslo")
    user, _ = add_editor("ansvarlig-oslo", "oslo", PUBLISHER)
    client.force_login(user)
    return listing_for(team.community, "procedure")


def publish_in_admin(client, listing, title, summary):
    """Create and publish a procedure through the admin's own form and URL."""
    data = new_page_form_data(
        ProcedurePage, listing, title=title, slug=slugify(title), summary=summary, **{"action-publish": "1"}
    )
    data["content_owner"] = str(ContentOwnerFactory(name="Fagansvarlig").pk)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["kompetanse", "procedurepage", listing.pk]), data
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return ProcedurePage.objects.get(title=title)


def in_elasticsearch(es, page):
    return bool(es.indices.exists_alias(name=alias()) and es.exists(index=alias(), id=page.pk))


def found_by_readers(es, word):
    # The worker does not wait for the cluster's refresh (about a second) to make its writes
    # searchable; here the refresh comes at once.
    es.indices.refresh(index=alias())
    backends._es_down_until = 0.0
    result = service.run_search(word)
    assert result.backend == "elasticsearch", "the search fell back to the database"
    return [hit.title for hit in result.hits]


@on_the_database_queue
def test_publishing_queues_one_index_task_and_the_worker_makes_the_page_searchable(
    client, elasticsearch, publisher
):
    earlier = list(queued(update_elasticsearch).values_list("pk", flat=True))  # setting up the community
    page = publish_in_admin(
        client, publisher, "Stell av perifert venekateter", "Hvordan PVK stelles og skiftes."
    )

    [row] = queued(update_elasticsearch).exclude(pk__in=earlier)
    assert row.status == "READY" and row.args_kwargs["args"] == [[page.pk]]
    # The request wrote nothing to Elasticsearch: not even the index behind the alias exists yet.
    assert not elasticsearch.indices.exists_alias(name=alias())
    # Readers find the page at once all the same, in the database index.
    assert [hit.title for hit in service.run_search("venekateter").hits] == ["Stell av perifert venekateter"]

    run_worker()

    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and row.return_value == {"indexed": [page.pk], "removed": []}
    assert in_elasticsearch(elasticsearch, page)
    assert found_by_readers(elasticsearch, "venekateter") == ["Stell av perifert venekateter"]


@on_the_database_queue
def test_while_the_cluster_is_down_the_task_retries_later_and_the_page_arrives_when_it_is_back(
    client, elasticsearch, settings, publisher
):
    run_worker()  # the community's own tasks
    live_cluster = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = DEAD_CLUSTER
    page = publish_in_admin(client, publisher, "Skifte av urinkateter", "Kateterskifte hjemme.")

    run_worker()
    first, retry = [row for row in queued(update_elasticsearch) if row.args_kwargs["args"] == [[page.pk]]]
    assert first.status == "SUCCESSFUL" and first.return_value["next_attempt"] == 2
    assert retry.status == "READY" and retry.args_kwargs == {"args": [[page.pk]], "kwargs": {"attempt": 2}}
    assert 5 < seconds_until(retry) <= 10  # the first back-off step; the batch left it for later

    make_due(retry)
    run_worker()  # still down: the next step is longer
    later = queued(update_elasticsearch).last()
    assert later.args_kwargs["kwargs"] == {"attempt": 3} and 25 < seconds_until(later) <= 30

    settings.ELASTICSEARCH_URL = live_cluster
    make_due(later)
    run_worker()

    later.refresh_from_db()
    assert later.status == "SUCCESSFUL" and later.return_value == {"indexed": [page.pk], "removed": []}
    assert queued(update_elasticsearch).filter(status="READY").count() == 0
    assert found_by_readers(elasticsearch, "urinkateter") == ["Skifte av urinkateter"]


@on_the_database_queue
def test_a_task_reads_the_page_as_saved_when_it_runs(client, elasticsearch, publisher):
    """Tasks that wait (a cluster that was down) replay in any order and still end right."""
    page = publish_in_admin(client, publisher, "Blodsukkermåling i hjemmet", "Måling av blodsukker.")
    run_worker()
    assert in_elasticsearch(elasticsearch, page)

    page.unpublish()  # queues a removal; the older task runs again afterwards
    update_elasticsearch.enqueue([page.pk])
    run_worker()

    assert not in_elasticsearch(elasticsearch, page)
    assert all(row.status == "SUCCESSFUL" for row in queued(update_elasticsearch))


def test_with_the_immediate_backend_the_page_is_searchable_when_the_publish_returns(
    client, elasticsearch, publisher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_in_admin(client, publisher, "Munnstell hos eldre", "Daglig munnstell på sykehjem.")

    assert in_elasticsearch(elasticsearch, page)
    assert found_by_readers(elasticsearch, "munnstell") == ["Munnstell hos eldre"]
