"""Owner and review dates: defaults on publish, checks on the edit form, reviews that move dates."""

import datetime

import pytest
from django.urls import reverse
from wagtail.models import GroupApprovalTask, PageLogEntry, Workflow, WorkflowPage, WorkflowTask

from kompetanse.factories import GoodExamplePageFactory, ProcedurePageFactory, RecommendationPageFactory
from lifecycle.models import ChangeNote, PublishedVersion
from lifecycle.review import add_years, today
from tests.lifecycle.helpers import edit_form_data, make_user, oslo_publishing_team, publish, save_draft
from tests.worlds import built_once, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """Oslo's publishing team and two procedures published in Oslo, one with a content owner and one
    without, built once for the module."""
    with built_once(django_db_blocker):
        world = oslo_publishing_team()
        world["procedure"], _ = publish(ProcedurePageFactory(community="oslo", content_owner=world["owner"]))
        world["ownerless_procedure"], _ = publish(ProcedurePageFactory(community="oslo"))
        yield world


@pytest.fixture
def world(_world, db):
    return fresh(_world)


@pytest.fixture
def procedure(world):
    """A procedure in Oslo with a content owner, published once."""
    return world["procedure"]


@pytest.fixture
def ownerless_procedure(world):
    """A procedure in Oslo without a content owner, published once."""
    return world["ownerless_procedure"]


def test_procedure_published_without_next_review_gets_one_year(owner):
    page = ProcedurePageFactory(next_review=None, content_owner=owner)
    page, _ = publish(page)
    assert page.next_review == add_years(today(), 1)
    # The published revision carries the date too, so the next edit starts from it.
    assert page.get_latest_revision_as_object().next_review == page.next_review


def test_recommendation_published_without_next_review_gets_two_years(owner):
    page, _ = publish(RecommendationPageFactory(content_owner=owner))
    assert page.next_review == add_years(today(), 2)


def test_an_editors_next_review_is_kept(owner):
    chosen = today() + datetime.timedelta(days=100)
    page, _ = publish(ProcedurePageFactory(next_review=chosen, content_owner=owner))
    assert page.next_review == chosen


def test_good_examples_get_no_default_review_date():
    page, _ = publish(GoodExamplePageFactory())
    assert page.next_review is None


def test_leap_day_moves_to_28_february():
    assert add_years(datetime.date(2028, 2, 29), 1) == datetime.date(2029, 2, 28)


# --- the admin edit form ---------------------------------------------------------------------


@pytest.fixture
def admin_client(client, publisher):
    client.force_login(publisher)
    return client


def edit(client, page, **data):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), edit_form_data(page, **data))


def test_procedure_cannot_be_published_without_owner(admin_client, ownerless_procedure):
    page = ownerless_procedure
    response = edit(admin_client, page, **{"action-publish": "publish", "lifecycle_change_note": "Ny tekst"})
    assert response.status_code == 200
    assert "innholdsansvarlig" in str(response.context["form"].errors["content_owner"])
    assert PublishedVersion.objects.filter(page_id=page.pk).count() == 1


def test_owner_not_required_for_a_draft(admin_client, ownerless_procedure):
    page = ownerless_procedure
    response = edit(admin_client, page, title="Utkast uten eier")
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().title == "Utkast uten eier"


def test_change_note_is_required_when_republishing_a_procedure(admin_client, procedure):
    page = procedure
    response = edit(admin_client, page, **{"action-publish": "publish"})
    assert response.status_code == 200
    assert "Skriv kort hva som er endret" in str(response.context["form"].errors["lifecycle_change_note"])


def test_change_note_is_stored_with_the_published_revision(admin_client, procedure):
    page = procedure
    response = edit(
        admin_client,
        page,
        title="Ny tittel",
        **{"action-publish": "publish", "lifecycle_change_note": "Oppdatert dosering i steg 2."},
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert ChangeNote.objects.get(revision_id=page.live_revision_id).text == "Oppdatert dosering i steg 2."
    latest = PublishedVersion.objects.filter(page_id=page.pk).first()
    assert latest.revision_id == page.live_revision_id
    assert latest.change_note == "Oppdatert dosering i steg 2."


def test_admin_publish_fills_in_next_review_when_empty(admin_client, owner):
    page, _ = publish(RecommendationPageFactory(community="oslo", content_owner=owner, next_review=None))
    page.__class__.objects.filter(pk=page.pk).update(next_review=None)
    response = edit(
        admin_client,
        page,
        next_review="",
        **{"action-publish": "publish", "lifecycle_change_note": "Ny avtale."},
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.next_review == add_years(today(), 2)


def test_draft_note_comes_back_on_the_form_and_is_published_with_the_draft(admin_client, procedure):
    page = procedure
    response = edit(admin_client, page, lifecycle_change_note="Notat fra utkastet")
    assert response.status_code == 302
    form_page = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert form_page.context["form"]["lifecycle_change_note"].value() == "Notat fra utkastet"


def test_good_example_needs_neither_owner_nor_note(admin_client):
    page, _ = publish(GoodExamplePageFactory(community="oslo"))
    response = edit(admin_client, page, **{"action-publish": "publish"})
    assert response.status_code == 302


# --- reviews ---------------------------------------------------------------------------------


def test_workflow_approval_counts_as_a_review(oslo, oslo_team, owner):
    long_ago = today() - datetime.timedelta(days=400)
    page, _ = publish(
        ProcedurePageFactory(
            community="oslo", content_owner=owner, last_reviewed=long_ago, next_review=long_ago
        )
    )
    workflow = Workflow.objects.create(name="Godkjenning Oslo")
    task = GroupApprovalTask.objects.create(name="Ansvarlig redaktør")
    task.groups.set([oslo_team])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=oslo.page_ptr, workflow=workflow)
    editor = make_user("skribent")
    approver = make_user("godkjenner", groups=[oslo_team])

    revision = save_draft(page, note="Nye referanser.", summary="Nytt sammendrag.")
    state = workflow.start(page, editor)
    state.current_task_state.approve(user=approver)

    page.refresh_from_db()
    assert page.live_revision_id == revision.pk
    assert page.summary == "Nytt sammendrag."
    assert page.last_reviewed == today()
    assert page.next_review == add_years(today(), 1)
    assert PublishedVersion.objects.filter(page_id=page.pk).first().change_note == "Nye referanser."


def test_publisher_marks_page_reviewed_without_changes(client, publisher, owner):
    long_ago = today() - datetime.timedelta(days=400)
    page, first = publish(
        RecommendationPageFactory(
            community="oslo", content_owner=owner, last_reviewed=long_ago, next_review=long_ago
        )
    )
    client.force_login(publisher)
    url = reverse("lifecycle_mark_reviewed", args=[page.pk])
    assert "Ja, marker som revidert" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302

    page.refresh_from_db()
    assert page.live_revision_id != first.pk
    assert page.last_reviewed == today()
    assert page.next_review == add_years(today(), 2)
    assert not page.has_unpublished_changes
    version = PublishedVersion.objects.filter(page_id=page.pk).first()
    assert version.revision_id == page.live_revision_id
    assert version.reviewed_without_changes and version.change_note == "Revidert uten endringer"
    assert PageLogEntry.objects.filter(page_id=page.pk, action="lifecycle.reviewed").exists()


def test_mark_reviewed_refuses_a_page_with_unpublished_changes(client, publisher, procedure):
    page, live = procedure, procedure.live_revision
    save_draft(page, summary="Halvferdig")
    client.force_login(publisher)
    client.post(reverse("lifecycle_mark_reviewed", args=[page.pk]))
    page.refresh_from_db()
    assert page.live_revision_id == live.pk
    assert page.summary != "Halvferdig"


def test_mark_reviewed_needs_publish_permission(client, oslo, procedure):
    from tests.lifecycle.helpers import team_group

    writers = team_group("Oslo skribenter", oslo, codenames=("add", "change"))
    writer = make_user("skriver", groups=[writers])
    page, live = procedure, procedure.live_revision
    client.force_login(writer)
    response = client.post(reverse("lifecycle_mark_reviewed", args=[page.pk]))
    # Wagtail's admin answers a permission error by sending the user back to the dashboard.
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    page.refresh_from_db()
    assert page.live_revision_id == live.pk


def test_edit_form_asks_what_has_changed(admin_client, procedure):
    page = procedure
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "Hva er endret?" in html and 'name="lifecycle_change_note"' in html
