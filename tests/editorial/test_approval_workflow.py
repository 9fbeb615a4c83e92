"""Approval: an editor submits, a publisher of the same community approves or rejects with a
comment, the editor sees why; publishers may publish directly. Notifications are in Norwegian:
Wagtail's own notification templates, translated in our catalog (locale/nb), so the subject, the
text part and the HTML part of one mail say the same sentence."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from wagtail.admin.utils import get_admin_base_url
from wagtail.models import TaskState, WorkflowState

from tests.editorial.helpers import page_form_data, reload

pytestmark = pytest.mark.django_db


def submit(client, page):
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), page_form_data(page, **{"action-submit": "1"})
    )
    assert response.status_code == 302
    return reload(page)


def workflow_action(client, page, action, comment):
    task_state = reload(page).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    response = client.post(url, {"comment": comment})
    assert response.status_code < 500
    return TaskState.objects.get(pk=task_state.pk)


def recipients(messages):
    return {address for message in messages for address in message.to}


@pytest.fixture
def html_mail(settings):
    """Wagtail sends an HTML part beside the text only when told to."""
    settings.WAGTAILADMIN_NOTIFICATION_USE_HTML = True


def html_text(message):
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def assert_mail_says(message, subject, *sentences):
    """The subject is ``subject``; the text part and the HTML part both carry every sentence."""
    assert message.subject == subject
    html = html_text(message)
    for sentence in sentences:
        assert sentence in message.body, sentence
        assert sentence in html, sentence


def names(community):
    workflow = community.home.get_workflow()
    return workflow.tasks.get().name, workflow.name


def test_every_community_home_has_its_own_approval_workflow(world):
    for letter in "ABS":
        community = world[letter]
        workflow = community.home.get_workflow()
        assert workflow.name == f"Godkjenning – {community.home.title}"
        task = workflow.tasks.get().specific
        assert list(task.groups.all()) == [community.team.publishers_group]
        assert community.draft.get_workflow() == workflow


def test_submitting_notifies_the_publishers_of_the_same_community_in_norwegian(
    login, world, html_mail, django_capture_on_commit_callbacks
):
    task, _ = names(world["A"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = submit(login("editor_a"), world["A"].draft)
    assert page.workflow_in_progress
    assert recipients(mail.outbox) == {"publisher_a@example.no"}
    message = mail.outbox[0]
    assert message.body.startswith("Hei publisher_a,")
    assert_mail_says(
        message,
        f"Til godkjenning i trinnet «{task}»: «Utkast A»",
        "Hei publisher_a,",
        f"«Utkast A» er sendt til godkjenning i trinnet «{task}».",
        "Forhåndsvis siden her: "
        + get_admin_base_url()
        + reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, page.current_workflow_task.pk]),
        f"Rediger siden her: {get_admin_base_url()}/admin/pages/{page.pk}/edit/",
        "Endre varslingsinnstillingene dine her:",
    )


def test_rejection_with_a_comment_reaches_the_editor(
    login, world, html_mail, django_capture_on_commit_callbacks
):
    task, workflow = names(world["A"])
    page = world["A"].in_review
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        task_state = workflow_action(login("publisher_a"), page, "reject", "Mangler kilde for doseringen.")
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == "Mangler kilde for doseringen."
    page = reload(page)
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES

    # The editor is told by e-mail (in Norwegian) …
    assert "editor_a@example.no" in recipients(mail.outbox)
    message = next(m for m in mail.outbox if "editor_a@example.no" in m.to)
    assert_mail_says(
        message,
        f"Sendt tilbake for endringer i arbeidsflyten «{workflow}»: «Til godkjenning A»",
        f"«Til godkjenning A» er sendt tilbake for endringer i trinnet «{task}» i arbeidsflyten «{workflow}» "
        "av publisher_a.",
        "Kommentar: «Mangler kilde for doseringen.»",
        f"Rediger siden her: {get_admin_base_url()}/admin/pages/{page.pk}/edit/",
    )

    # … and reads the comment on the page's workflow history in the admin.
    client = login("editor_a")
    history = client.get(
        reverse("wagtailadmin_pages:workflow_history_detail", args=[page.pk, page.current_workflow_state.pk])
    )
    assert history.status_code == 200
    assert "Mangler kilde for doseringen." in history.content.decode()
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert edit.status_code == 200
    # The workflow's timeline (in the status panel's dialog, which the page carries as a script
    # template, so it is read as markup here) marks the step that asked for changes.
    rejected = re.findall(
        r'<li class="[^"]*workflow-timeline__item--rejected".*?</li>', edit.content.decode(), re.S
    )
    assert [BeautifulSoup(item, "html.parser").get_text(" ", strip=True) for item in rejected] == [
        f"Avvist {page.current_workflow_state.workflow.tasks.get().name} Endringer etterspurt av publisher_a "
        'med kommentaren: "Mangler kilde for doseringen."'
    ]


def test_resubmitted_page_is_approved_and_published(
    login, world, html_mail, django_capture_on_commit_callbacks
):
    _, workflow = names(world["A"])
    page = world["A"].in_review
    workflow_action(login("publisher_a"), page, "reject", "Rett opp tittelen.")
    response = login("editor_a").post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        page_form_data(page, title="Til godkjenning A, rettet", **{"action-restart-workflow": "1"}),
    )
    assert response.status_code == 302
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        task_state = workflow_action(login("publisher_a"), page, "approve", "Godkjent.")
    assert task_state.status == TaskState.STATUS_APPROVED
    page = reload(page)
    assert page.live
    assert page.title == "Til godkjenning A, rettet"
    assert login("anonymous").get(page.url).status_code == 200

    # The editor who asked for approval is told, in the same words in both parts.
    message = next(m for m in mail.outbox if "editor_a@example.no" in m.to)
    assert_mail_says(
        message,
        f"Godkjent i arbeidsflyten «{workflow}» og publisert: «Til godkjenning A, rettet»",
        "Hei editor_a,",
        f"«Til godkjenning A, rettet» er godkjent i arbeidsflyten «{workflow}».",
        f"Se siden her: {page.full_url}",
    )


def test_editors_cannot_publish_past_the_workflow(login, world):
    page = world["A"].draft
    login("editor_a").post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), page_form_data(page, **{"action-publish": "1"})
    )
    assert not reload(page).live


def test_publishers_may_publish_directly(login, world):
    page = world["A"].draft
    response = login("publisher_a").post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), page_form_data(page, **{"action-publish": "1"})
    )
    assert response.status_code == 302
    page = reload(page)
    assert page.live
    assert not page.workflow_in_progress


def test_a_publisher_of_another_community_cannot_approve(login, world):
    task_state = workflow_action(login("publisher_s"), world["A"].in_review, "approve", "Jeg godkjenner.")
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not reload(world["A"].in_review).live


def test_central_pages_are_approved_by_central_publishers(login, world):
    page = world["S"].in_review
    assert workflow_action(login("publisher_a"), page, "approve", "").status == TaskState.STATUS_IN_PROGRESS
    assert workflow_action(login("publisher_s"), page, "approve", "").status == TaskState.STATUS_APPROVED
    assert reload(page).live


def test_publishers_find_their_communitys_pages_awaiting_review_on_the_dashboard(login, world):
    body = login("publisher_a").get(reverse("wagtailadmin_home")).content.decode()
    assert "Venter på din anmeldelse" in body
    assert "Til godkjenning A" in body
    assert "Til godkjenning B" not in body and "Til godkjenning S" not in body


def test_comment_notifications_are_in_norwegian(world):
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    context = {
        "page": world["A"].draft,
        "editor": world.user("publisher_a"),
        "user": world.user("editor_a"),
        "new_comments": [SimpleNamespace(text="Husk kilden")],
        "resolved_comments": [],
        "deleted_comments": [],
        "replied_comments": [],
    }
    base = "wagtailadmin/notifications/updated_comments"
    subject = render_to_string(f"{base}_subject.txt", context).strip()
    body = render_to_string(f"{base}.txt", context)
    html = " ".join(
        BeautifulSoup(render_to_string(f"{base}.html", context), "html.parser").get_text(" ").split()
    )
    assert subject == "publisher_a har oppdatert kommentarer på «Utkast A»"
    for part in (body, html):
        assert "publisher_a har oppdatert kommentarer på «Utkast A»." in part
        assert f"Rediger siden her: {get_admin_base_url()}/admin/pages/{world['A'].draft.pk}/edit/" in part
    # Wagtail's text part quotes each comment itself, with straight quotes.
    assert 'Nye kommentarer:\n - "Husk kilden"' in body
    assert "Nye kommentarer Husk kilden" in html
