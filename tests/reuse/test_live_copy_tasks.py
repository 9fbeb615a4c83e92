"""Live copies follow their source from the worker: the source's publish only queues the update."""

import pytest
from django.test import TestCase

from kompetanse.communities import ensure_community
from kompetanse.models import ProcedurePage
from reuse.tasks import update_live_copies
from tests.kompetanse.sample_data import create_full_page
from tests.reuse.test_adopting import adopt_via_admin, editor, the_copy
from tests.task_queue import on_the_database_queue, queued, run_worker

NEW_SUMMARY = "Nytt sammendrag fra kilden."


@pytest.fixture
def copy_of_source(client, django_user_model, oslo):
    ensure_community("sentral")
    source = create_full_page("procedure", community="sentral")
    adopt_via_admin(client, editor(django_user_model, oslo, "oslo-redaktor"), source, "as_is", oslo)
    return ProcedurePage.objects.get(pk=source.pk), the_copy(oslo)


@on_the_database_queue
def test_the_source_publish_queues_the_update_and_the_worker_brings_the_copy_level(copy_of_source):
    source, copy = copy_of_source
    source.summary = NEW_SUMMARY
    source.save_revision().publish()

    [row] = queued(update_live_copies)
    assert ProcedurePage.objects.get(pk=copy.pk).summary != NEW_SUMMARY

    run_worker()

    copy = ProcedurePage.objects.get(pk=copy.pk)
    assert copy.summary == NEW_SUMMARY and copy.live and not copy.has_unpublished_changes
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and row.return_value == {"updated": [copy.pk]}


def test_an_update_that_runs_again_publishes_nothing_twice(copy_of_source):
    source, copy = copy_of_source
    source.summary = NEW_SUMMARY
    with TestCase.captureOnCommitCallbacks(execute=True):
        source.save_revision().publish()
    revisions = copy.revisions.count()

    assert update_live_copies.enqueue(source.pk).return_value == {"updated": []}
    assert copy.revisions.count() == revisions
    assert ProcedurePage.objects.get(pk=copy.pk).summary == NEW_SUMMARY
