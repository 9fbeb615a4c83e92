"""An adopted page goes through its community's approval like any other page, in all three ways
of taking it into use: the editor sends it to approval, a publisher of the same community
approves (and the approval publishes it) or sends it back with a comment, and nobody of another
community sees or acts on it. Local additions are written in the same rich-text editor as the
rest of the admin."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from editorial.communities import EDITOR, PUBLISHER, add_editor, setup_community
from kompetanse.communities import listing_for
from kompetanse.factories import ContentOwnerFactory
from kompetanse.models import ProcedurePage
from reuse.models import LocalAddition
from tests.editorial.helpers import page_form_data, reload
from tests.worlds import built_once, fresh

pytestmark = pytest.mark.django_db

MODES = ["as_is", "with_local", "adapt"]
PASSWORD = "test-passord-123"


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """Felles innhold with a published procedure; Oslo and Ahus, each with an editor and a publisher."""
    with built_once(django_db_blocker):
        for slug in ("sentral", "oslo", "ahus"):
            setup_community(slug)
        users = {}
        for slug in ("oslo", "ahus"):
            for role, prefix in ((EDITOR, "redaktor"), (PUBLISHER, "ansvarlig")):
                name = f"{prefix}-{slug}"
                users[name], _ = add_editor(name, slug, role, email=f"{name}@example.no", password=PASSWORD)
        listing = listing_for(setup_community("sentral").community, "procedure")
        source = ProcedurePage(
            title="Felles prosedyre for KOLS",
            slug="felles-kols",
            summary="Sammendrag fra Felles innhold.",
            content_owner=ContentOwnerFactory(name="Fagansvarlig"),
            live=False,
        )
        listing.add_child(instance=source)
        source.save_revision().publish()
        yield {"source": ProcedurePage.objects.get(pk=source.pk), **users}


@pytest.fixture
def world(_world, db):
    return fresh(_world)


@pytest.fixture
def as_user(client, world):
    def login(name):
        client.logout()
        client.force_login(world[name])
        return client

    return login


def adopt(client, source, mode, community_slug="oslo"):
    community = setup_community(community_slug).community
    response = client.post(
        reverse("reuse_adopt", args=[source.pk]), {"mode": mode, "community": community.pk}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ProcedurePage.objects.child_of(listing_for(community, "procedure")).get()
    return page, response["Location"]


def send_to_approval(client, page, mode):
    """The editor's «Send til godkjenning», where the mode puts it."""
    if mode == "adapt":  # Wagtail's own edit view
        data = page_form_data(page, **{"action-submit": "1"})
        return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    if mode == "with_local":  # the local additions' form: «Lagre og send til godkjenning»
        html = client.get(reverse("reuse_local", args=[page.pk])).content.decode()
        assert "Lagre og send til godkjenning" in html
        return client.post(
            reverse("reuse_local", args=[page.pk]),
            {"contact": "Legevakten Oslo", "routine": "", "action-submit": "1"},
        )
    html = client.get(reverse("reuse_copy", args=[page.pk])).content.decode()
    assert "Send til godkjenning" in html
    return client.post(reverse("reuse_live_copy_approval", args=[page.pk]), {"action": "submit"})


def workflow_action(client, page, action, comment=""):
    """A publisher's action in Wagtail's moderation (the dashboard's and the edit view's)."""
    task_state = reload(page).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment}), TaskState.objects.get(pk=task_state.pk)


def the_view(page, mode):
    if mode == "adapt":
        return reverse("wagtailadmin_pages:edit", args=[page.pk])
    return reverse("reuse_local" if mode == "with_local" else "reuse_copy", args=[page.pk])


def refused(response):
    """Wagtail's admin answers a permission denied with a redirect to the dashboard (or a 403); the
    portal answers 404 where a view would name another community's page (editorial's middleware)."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def recipients():
    return {address for message in mail.outbox for address in message.to}


@pytest.mark.parametrize("mode", MODES)
def test_an_editor_sends_an_adopted_page_to_approval_and_the_approval_publishes_it(
    mode, world, as_user, django_capture_on_commit_callbacks
):
    editor = as_user("redaktor-oslo")
    page, _ = adopt(editor, world["source"], mode)
    assert not page.live

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = send_to_approval(editor, page, mode)
    assert response.status_code == 302
    page = reload(page)
    assert page.workflow_in_progress and not page.live
    assert page.current_workflow_state.workflow == page.get_parent().get_parent().get_workflow()
    assert recipients() == {"ansvarlig-oslo@example.no"}
    # The editor sees that it is waiting.
    html = editor.get(the_view(page, mode), follow=True).content.decode()
    assert "Sendt til godkjenning" in html or "Venter på godkjenning" in html or "godkjenning" in html

    publisher = as_user("ansvarlig-oslo")
    if mode != "adapt":
        assert "Godkjenn og publiser" in publisher.get(the_view(page, mode)).content.decode()
    state = page.current_workflow_state
    with django_capture_on_commit_callbacks(execute=True):
        response, task_state = workflow_action(publisher, page, "approve")
    assert response.status_code == 302
    assert task_state.status == TaskState.STATUS_APPROVED
    assert WorkflowState.objects.get(pk=state.pk).status == WorkflowState.STATUS_APPROVED
    page = reload(page)
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision.approved_go_live_at is None
    assert page.url.startswith("/oslo/") and publisher.get(page.url).status_code == 200


@pytest.mark.parametrize("mode", MODES)
def test_a_publisher_who_asks_for_changes_returns_the_adopted_page_to_the_editor(
    mode, world, as_user, django_capture_on_commit_callbacks
):
    editor = as_user("redaktor-oslo")
    page, _ = adopt(editor, world["source"], mode)
    send_to_approval(editor, page, mode)

    publisher = as_user("ansvarlig-oslo")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _, task_state = workflow_action(publisher, page, "reject", "Legg til lokal kontakt.")
    assert task_state.status == TaskState.STATUS_REJECTED
    page = reload(page)
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert "redaktor-oslo@example.no" in recipients()

    editor = as_user("redaktor-oslo")
    if mode != "adapt":
        html = editor.get(the_view(page, mode)).content.decode()
        assert "Sendt tilbake for endringer: «Legg til lokal kontakt.»" in html
    # … who sends it again, into the same workflow.
    assert send_to_approval(editor, page, mode).status_code == 302
    assert reload(page).current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


@pytest.mark.parametrize("mode", MODES)
def test_another_community_neither_sees_nor_acts_on_the_adopted_page(mode, world, as_user):
    page, _ = adopt(as_user("redaktor-oslo"), world["source"], mode)
    send_to_approval(as_user("redaktor-oslo"), page, mode)
    state = reload(page).current_workflow_state

    other_editor = as_user("redaktor-ahus")
    assert refused(other_editor.get(the_view(page, mode)))
    assert page.title not in other_editor.get("/admin/").content.decode()
    other_publisher = as_user("ansvarlig-ahus")
    assert page.title not in other_publisher.get("/admin/").content.decode()
    response, task_state = workflow_action(other_publisher, page, "approve")
    assert refused(response)
    if mode != "adapt":
        for user, action in ((other_editor, "submit"), (other_publisher, "publish")):
            response = user.post(reverse("reuse_live_copy_approval", args=[page.pk]), {"action": action})
            assert refused(response)
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert reload(page).current_workflow_state == state and not reload(page).live


def test_local_additions_are_written_in_the_rich_text_editor_and_come_back_as_written(world, as_user):
    editor = as_user("redaktor-oslo")
    page, location = adopt(editor, world["source"], "with_local")
    assert location == reverse("reuse_local", args=[page.pk])

    html = editor.get(location).content.decode()
    assert 'name="routine"' in html
    assert 'data-draftail-input data-controller="w-init" data-w-init-event-value="w-draftail:init"' in html

    # What Draftail posts: its content state, one block per line.
    typed = {
        "blocks": [
            {
                "key": "a1",
                "type": "unstyled",
                "depth": 0,
                "text": "Ring legevakten først.",
                "inlineStyleRanges": [],
                "entityRanges": [],
            },
            {
                "key": "b2",
                "type": "unstyled",
                "depth": 0,
                "text": "Deretter fastlegen.",
                "inlineStyleRanges": [],
                "entityRanges": [],
            },
        ],
        "entityMap": {},
    }
    editor.post(location, {"contact": "", "routine": json.dumps(typed)})
    stored = LocalAddition.objects.get(page=page).routine
    assert stored.count("<p") == 2 and "Ring legevakten først." in stored and "Deretter fastlegen." in stored

    # The editor opens it again as the same two lines, with no markup to see.
    html = editor.get(location).content.decode()
    assert "data-block-key" not in html and "&lt;p" not in html
    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "routine"})
    reopened = json.loads(field["value"])
    assert [block["text"] for block in reopened["blocks"]] == [
        "Ring legevakten først.",
        "Deretter fastlegen.",
    ]
