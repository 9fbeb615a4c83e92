"""«Nyhetsbrev» in the admin: each local team sees, reviews and sends its own community's issues
only (another community's answers 404), the central team sees them all, subscribers appear as
numbers only, and an issue is sent once, by a publisher, through a task."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from editorial.communities import add_editor, setup_community
from kompetanse.factories import NewsPageFactory, ProcedurePageFactory
from newsletter import compose
from newsletter.models import Issue, Subscriber
from tests.newsletter.helpers import communities, published

pytestmark = pytest.mark.django_db


def build():
    world = communities()
    for slug in ("oslo", "ahus", "sentral"):
        setup_community(slug)
    for username, slug, role in (
        ("redaktor-oslo", "oslo", "editor"),
        ("ansvarlig-oslo", "oslo", "publisher"),
        ("redaktor-ahus", "ahus", "editor"),
        ("redaktor-sentral", "sentral", "editor"),
    ):
        world[username], _ = add_editor(username, slug, role, email=f"{username}@example.no")
    world["procedure"] = published(
        ProcedurePageFactory(
            community="oslo", title="Prosedyre for legemidler", topics=[world["legemidler"]]
        ),
        first=2,
    )
    world["news"] = published(
        NewsPageFactory(community="oslo", title="Nyhet om rus", topics=[world["rus"]]), first=1
    )
    published(ProcedurePageFactory(community="ahus", title="Prosedyre fra Ahus"), first=1)
    world["oslo_issue"] = compose.compose(world["oslo"])
    world["ahus_issue"] = compose.compose(world["ahus"])
    now = timezone.now()
    for email, confirmed in (("en@example.no", now), ("to@example.no", now), ("venter@example.no", None)):
        Subscriber.objects.create(community=world["oslo"], email=email, confirmed_at=confirmed)
    return world


def as_user(client, world, username):
    client.force_login(world[username])
    return client


def refused(response):
    """Wagtail's answer to PermissionDenied in its admin: back to the dashboard, with a message."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def url(name, issue):
    return reverse(f"newsletter_admin:{name}", args=[issue.pk])


def test_a_local_team_sees_its_own_issues_and_only_numbers_of_subscribers(client, world):
    as_user(client, world, "redaktor-oslo")
    assert reverse("newsletter_admin:index") in client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.get(reverse("newsletter_admin:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="{url("edit", world["oslo_issue"])}">Nyhetsbrev nr. 1</a>' in html
    assert url("edit", world["ahus_issue"]) not in html and "Helsefellesskapet Ahus-området" not in html
    assert "<tr><td>Helsefellesskap Oslo</td><td>2</td><td>1</td></tr>" in html
    assert "@example.no" not in html


def test_a_local_editor_gets_404_for_another_communitys_issue(client, world):
    as_user(client, world, "redaktor-ahus")
    oslo_issue = world["oslo_issue"]
    assert client.get(url("edit", oslo_issue)).status_code == 404
    assert client.post(url("edit", oslo_issue), {"intro": "Hei", "keep": []}).status_code == 404
    assert client.get(url("preview", oslo_issue)).status_code == 404
    assert client.post(url("send", oslo_issue)).status_code == 404
    assert Issue.objects.get(pk=oslo_issue.pk).status == Issue.Status.DRAFT
    assert client.get(url("edit", world["ahus_issue"])).status_code == 200


def test_the_central_team_sees_every_communitys_issues_and_changes_none_of_theirs(client, world):
    as_user(client, world, "redaktor-sentral")
    html = client.get(reverse("newsletter_admin:index")).content.decode()
    assert url("edit", world["oslo_issue"]) in html and url("edit", world["ahus_issue"]) in html
    page = client.get(url("edit", world["oslo_issue"])).content.decode()
    assert (
        "Prosedyre for legemidler" in page
        and ">Lagre</button>" not in page
        and "Send nyhetsbrevet" not in page
    )
    assert refused(client.post(url("edit", world["oslo_issue"]), {"intro": "Fra sentralt", "keep": []}))
    assert refused(client.post(url("send", world["oslo_issue"])))
    assert Issue.objects.get(pk=world["oslo_issue"].pk).intro == ""


def test_an_editor_writes_the_introduction_removes_an_item_and_previews_it(client, world):
    as_user(client, world, "redaktor-oslo")
    issue = world["oslo_issue"]
    keep = issue.items.get(page=world["procedure"])
    response = client.post(url("edit", issue), {"intro": "Velkommen til nyhetsbrevet!", "keep": [keep.pk]})
    assert response.status_code == 302
    preview = client.get(url("preview", issue)).content.decode()
    assert "Velkommen til nyhetsbrevet!" in preview
    assert ">Prosedyre for legemidler</a>" in preview and "Nyhet om rus" not in preview
    form = client.get(url("edit", issue)).content.decode()
    assert f'name="keep" value="{keep.pk}" id="keep-{keep.pk}" checked' in form
    removed = issue.items.exclude(pk=keep.pk).get()
    assert f'name="keep" value="{removed.pk}" id="keep-{removed.pk}">' in form


def test_the_preview_for_a_topic_shows_what_its_subscribers_get(client, world):
    as_user(client, world, "redaktor-oslo")
    issue = world["oslo_issue"]
    preview = client.get(url("preview", issue), {"fagomrade": world["rus"].pk}).content.decode()
    assert "Nyhet om rus" in preview and "Prosedyre for legemidler" not in preview
    for bad in ("abc", "999999"):
        assert client.get(url("preview", issue), {"fagomrade": bad}).status_code == 404


@pytest.mark.parametrize(
    "data, message",
    [
        ({"intro": "x" * 2001}, "Innledningen kan være på høyst 2000 tegn."),
        ({"keep": ["999999"]}, "Et av innholdselementene hører ikke til denne utgaven."),
        ({"keep": ["abc"]}, "Et av innholdselementene hører ikke til denne utgaven."),
    ],
)
def test_bad_input_to_the_review_form_is_refused_in_norwegian_and_saves_nothing(client, world, data, message):
    as_user(client, world, "redaktor-oslo")
    issue = world["oslo_issue"]
    response = client.post(url("edit", issue), {"intro": "Ny tekst", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).intro == "" and issue.items.filter(included=False).count() == 0


def test_an_editor_cannot_send_and_a_publisher_sends_the_issue_once(
    client, world, django_capture_on_commit_callbacks
):
    issue = world["oslo_issue"]
    as_user(client, world, "redaktor-oslo")
    assert ">Send nyhetsbrevet</button>" not in client.get(url("edit", issue)).content.decode()
    assert refused(client.post(url("send", issue)))
    as_user(client, world, "ansvarlig-oslo")
    assert ">Send nyhetsbrevet</button>" in client.get(url("edit", issue)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("send", issue))
        assert mail.outbox == []  # the request only enqueues; the task sends
    assert response.status_code == 302 and response.url == reverse("newsletter_admin:index")
    assert sorted(message.to[0] for message in mail.outbox) == ["en@example.no", "to@example.no"]
    sent = Issue.objects.get(pk=issue.pk)
    assert sent.status == Issue.Status.SENT and sent.sent_by == world["ansvarlig-oslo"]
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url("send", issue), follow=True)
    assert "Denne utgaven er allerede sendt." in again.content.decode()
    assert len(mail.outbox) == 2
    assert refused(client.post(url("edit", issue), {"intro": "For sent", "keep": []}))
    assert Issue.objects.get(pk=issue.pk).intro == ""


def test_an_issue_with_nothing_left_in_it_is_not_sent(client, world):
    issue = world["oslo_issue"]
    issue.items.update(included=False)
    as_user(client, world, "ansvarlig-oslo")
    response = client.post(url("send", issue), follow=True)
    assert "Utgaven har ikke noe innhold og kan ikke sendes." in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.DRAFT


def test_someone_outside_the_admin_gets_the_login(client, world):
    response = client.get(url("edit", world["oslo_issue"]))
    assert response.status_code == 302 and "/admin/login/" in response.url
