"""An import publishes many pages in one transaction: the subscribers of a page and of its
community are told as after a publish in the editor, and whom to tell is read once per import."""

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kompetanse.communities import ensure_community
from kompetanse.models import KnowledgePage
from kompetanse.packages import import_package
from lifecycle.models import Subscription
from tests.task_queue import on_the_database_queue, run_worker


def package(*numbers):
    return {
        "format": "kompetanse-package",
        "version": 1,
        "items": [
            {
                "uid": f"varsel-{n}",
                "type": "procedure",
                "community": "oslo",
                "title": f"Varslingsrutine {n}",
                "summary": f"Slik varsler vi, versjon {n}.",
                "body": "<p>Ring vakthavende.</p>",
                "target_groups": ["skropelige-eldre"],
                "next_review": "2027-05-15",
            }
            for n in numbers
        ],
    }


@on_the_database_queue
def test_an_import_tells_the_subscribers_of_each_page_and_reads_the_subscriptions_once():
    oslo, ahus = ensure_community("oslo"), ensure_community("ahus")
    now = timezone.now()
    Subscription.objects.create(email="felles@example.no", community=oslo, confirmed_at=now)
    Subscription.objects.create(email="ubekreftet@example.no", community=oslo)
    Subscription.objects.create(email="ahus@example.no", community=ahus, confirmed_at=now)
    import_package(package(0))
    run_worker()
    followed = KnowledgePage.objects.get(import_uid="varsel-0")
    Subscription.objects.create(email="side@example.no", page=followed, confirmed_at=now)
    mail.outbox.clear()

    with CaptureQueriesContext(connection) as queries:
        import_package(package(0, 1, 2))  # the followed page changes, two pages are new
    run_worker()

    reads = [q["sql"] for q in queries if 'FROM "lifecycle_subscription"' in q["sql"]]
    assert len(reads) == 1
    told = sorted((message.to[0], title) for message in mail.outbox for title in _titles(message))
    assert told == [
        ("felles@example.no", "Varslingsrutine 0"),
        ("felles@example.no", "Varslingsrutine 1"),
        ("felles@example.no", "Varslingsrutine 2"),
        ("side@example.no", "Varslingsrutine 0"),
    ]


def _titles(message):
    return [f"Varslingsrutine {n}" for n in range(3) if f"Varslingsrutine {n}" in message.subject]
