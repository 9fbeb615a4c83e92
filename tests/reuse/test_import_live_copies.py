"""An import that updates a page with live copies queues their update, as a publish in the editor
does; which pages have live copies is read once per import, not once per page."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kompetanse.packages import import_package
from kompetanse.packages.writing import page_uid
from reuse.tasks import update_live_copies
from tests.reuse.test_live_copy_tasks import copy_of_source  # noqa: F401 (fixture)
from tests.task_queue import on_the_database_queue, queued


def item(uid, title, summary):
    return {
        "uid": uid,
        "type": "procedure",
        "community": "sentral",
        "title": title,
        "summary": summary,
        "body": "<p>Tekst.</p>",
        "target_groups": ["skropelige-eldre"],
        "next_review": "2027-05-15",
    }


@on_the_database_queue
def test_an_import_that_updates_a_source_queues_its_live_copies_once(copy_of_source):  # noqa: F811
    source, copy = copy_of_source
    items = [
        item(page_uid(source), source.title, "Nytt sammendrag fra importen."),
        item("ny-1", "Ny prosedyre én", "Ny."),
        item("ny-2", "Ny prosedyre to", "Ny."),
    ]
    with CaptureQueriesContext(connection) as queries:
        import_package({"format": "kompetanse-package", "version": 1, "items": items})

    [row] = queued(update_live_copies)
    assert row.args_kwargs["args"] == [source.pk]
    # Not one look-up per published page (three here): one read of the live copies' sources.
    assert not [q for q in queries if '"reuse_adoption"."source_id" = ' in q["sql"]]
    assert len([q for q in queries if q["sql"].startswith('SELECT "reuse_adoption"."source_id"')]) == 1
