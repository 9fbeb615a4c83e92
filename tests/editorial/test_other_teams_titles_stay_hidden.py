"""Another team's draft titles, media, content owners and users appear in no admin view: not in
the admin API, not in a workflow view's message or the move view's confirmation, not in a
report's filters or rows, and not in a page chooser field that points at their published page.

Each of these views answered another community's editor before this was checked (an audit with a
crawler of every admin URL, 5 December 2026); the test next to each says what the editor gets now.
"""

import pytest
from django.test import TestCase
from wagtail.models import Task, TaskState

from kompetanse.models import ContentOwner, Topic, TopicIndexPage, TopicPage
from kompetanse.models.topics import TopicKeyPage
from reuse.models import Adoption
from tests.editorial.helpers import page_form_data, reload

pytestmark = [pytest.mark.django_db, pytest.mark.wagtail_search]

SECRET = "Nytt arbeidsnavn B"


def text(response):
    return response.content.decode()


@pytest.fixture
def b_renamed(world):
    """B's published page with a new title in a draft B's editor saved and has not published."""
    page = reload(world["B"].live)
    page.title = SECRET
    page.save_revision(user=world.user("editor_b"), log_action=True)
    return page


def test_the_admin_api_lists_only_the_documents_and_images_the_editor_may_choose(login, world):
    client = login("editor_a")
    documents = text(client.get("/admin/api/main/documents/"))
    assert "Dokument A" in documents and "Dokument B" not in documents
    images = text(client.get("/admin/api/main/images/"))
    assert "Bilde A" in images and "Felles bilde" in images and "Bilde B" not in images
    assert client.get(f"/admin/api/main/documents/{world['B'].document.pk}/").status_code == 404
    assert client.get(f"/admin/api/main/images/{world['B'].image.pk}/").status_code == 404
    assert client.get(f"/admin/api/main/documents/{world['A'].document.pk}/").status_code == 200


def test_an_administrator_s_admin_api_lists_every_community_s_media(client, world, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser("sjef", "sjef@example.no", "passord-for-test")
    )
    documents = text(client.get("/admin/api/main/documents/"))
    assert "Dokument A" in documents and "Dokument B" in documents


@pytest.mark.parametrize(
    "address",
    [
        "/admin/pages/workflow/action/{page}/approve/{task_state}/",
        "/admin/pages/workflow/collect_action_data/{page}/approve/{task_state}/",
        "/admin/pages/workflow/preview/{page}/{task}/",
        "/admin/pages/workflow/confirm_cancellation/{page}/",
    ],
)
@pytest.mark.parametrize("target", ["renamed", "draft", "in_review", "private"])
def test_workflow_views_answer_404_for_another_community_s_pages(login, world, b_renamed, address, target):
    page = b_renamed if target == "renamed" else getattr(world["B"], target)
    url = address.format(page=page.pk, task_state=TaskState.objects.first().pk, task=Task.objects.first().pk)
    response = login("editor_a").get(url, follow=True)
    assert response.status_code == 404
    assert SECRET not in text(response) and page.get_admin_display_title() not in text(response)


def test_a_publisher_still_acts_on_their_own_community_s_workflow(login, world):
    page = world["A"].in_review
    task_state = page.current_workflow_task_state
    url = f"/admin/pages/workflow/collect_action_data/{page.pk}/approve/{task_state.pk}/"
    response = login("publisher_a").get(url)
    assert response.status_code == 200
    assert "Kommentar" in text(response)


def test_moving_another_community_s_page_is_not_even_confirmed(login, world, b_renamed):
    client = login("editor_a")
    for page in (b_renamed, world["B"].draft):
        response = client.get(f"/admin/pages/{page.pk}/move/{world['A'].listing.pk}/confirm/")
        assert response.status_code == 404
        assert SECRET not in text(response) and "Utkast B" not in text(response)
    own = client.get(f"/admin/pages/{world['A'].draft.pk}/move/{world['A'].listing.pk}/confirm/")
    assert own.status_code == 200 and "Utkast A" in text(own)


def test_the_review_report_offers_only_the_editor_s_own_owners_and_communities(login, world):
    ContentOwner.objects.create(name="Eier kun i B", community=world["B"].home)
    ContentOwner.objects.create(name="Eier kun i A", community=world["A"].home)
    from editorial.communities import setup_community

    setup_community("nyby", "Helsefellesskap Nyby", publish=False)
    report = text(login("editor_a").get("/admin/rapporter/revisjon/"))
    assert "Eier kun i A" in report and "Fagansvarlig" in report
    assert "Eier kun i B" not in report
    assert f">{world['A'].home.title}<" in report
    assert world["B"].home.title not in report and "Nyby" not in report


def test_a_community_still_being_set_up_is_not_offered_for_export(login, world):
    from editorial.communities import setup_community

    setup_community("nyby", "Helsefellesskap Nyby", publish=False)
    form = text(login("editor_a").get("/admin/gjenbruk/eksport/"))
    assert f">{world['B'].home.title}<" in form  # published communities' pages may be exported
    assert "Nyby" not in form


def test_the_changed_sources_report_lists_only_adaptations_the_editor_may_edit(login, world):
    source = world["S"].live
    login("editor_b").post(
        f"/admin/gjenbruk/ta-i-bruk/{source.pk}/", {"mode": "adapt", "community": world["B"].home.pk}
    )
    copy = Adoption.objects.get(source_id=source.pk).page.specific
    data = page_form_data(copy, title="Tilpasning B under arbeid")
    assert login("editor_b").post(f"/admin/pages/{copy.pk}/edit/", data).status_code == 302
    source = reload(source)
    source.summary = "Ny versjon av kilden."
    with TestCase.captureOnCommitCallbacks(execute=True):
        source.save_revision().publish()

    assert "Tilpasning B under arbeid" not in text(login("editor_a").get("/admin/gjenbruk/endrede-kilder/"))
    own = text(login("editor_b").get("/admin/gjenbruk/endrede-kilder/"))
    assert "Tilpasning B under arbeid" in own and f"/admin/gjenbruk/kilde-endret/{copy.pk}/" in own


def test_a_key_page_chooser_names_another_community_s_page_by_its_published_title(login, world, b_renamed):
    index = TopicIndexPage.objects.descendant_of(world["S"].home).first()
    topic_page = TopicPage(
        title="Tema med nøkkelside",
        slug="tema-med-nokkelside",
        summary="Tema.",
        topic=Topic.objects.create(name="Nøkkeltema"),
    )
    index.add_child(instance=topic_page)
    TopicKeyPage.objects.create(topic_page=topic_page, page_id=b_renamed.pk, sort_order=0)
    edit = text(login("editor_s").get(f"/admin/pages/{topic_page.pk}/edit/"))
    assert "Publisert side B" in edit
    assert SECRET not in edit


def test_searching_the_content_owner_chooser_finds_the_editor_s_own_owners(login, world):
    """The search answered 500 (the community was no filter field of the owners' index)."""
    ContentOwner.objects.create(name="Eier kun i B", community=world["B"].home)
    ContentOwner.objects.create(name="Eier kun i A", community=world["A"].home)
    response = login("editor_a").get("/admin/snippets/choose/kompetanse/contentowner/results/?q=Eier")
    assert response.status_code == 200
    assert "Eier kun i A" in text(response) and "Eier kun i B" not in text(response)


def test_the_site_history_offers_only_the_users_of_the_entries_the_editor_sees(login, world, b_renamed):
    page = reload(world["A"].draft)
    page.save_revision(user=world.user("editor_a"), log_action=True)
    history = text(login("editor_a").get("/admin/reports/site-history/"))
    assert 'name="user"' in history and "editor_a" in history
    assert "editor_b" not in history


def test_the_tag_autocomplete_offers_the_tags_of_the_editor_s_own_media(login, world, django_user_model):
    world["B"].document.tags.add("ettersyn-b")
    world["A"].document.tags.add("ettersyn-a")
    world["A"].image.tags.add("ettersyn-bilde-a")
    client = login("editor_a")
    assert client.get("/admin/tag-autocomplete/?term=etter").json() == ["ettersyn-a", "ettersyn-bilde-a"]
    assert client.get("/admin/tag-autocomplete/taggit/tag/?term=etter").json() == [
        "ettersyn-a",
        "ettersyn-bilde-a",
    ]
    assert client.get("/admin/tag-autocomplete/?term=").json() == []
    assert login("anonymous").get("/admin/tag-autocomplete/?term=etter").status_code == 302  # to the login
    client.force_login(
        django_user_model.objects.create_superuser("sjef", "sjef@example.no", "passord-for-test")
    )
    assert client.get("/admin/tag-autocomplete/?term=etter").json() == [
        "ettersyn-a",
        "ettersyn-b",
        "ettersyn-bilde-a",
    ]


def test_the_workflow_reports_offer_only_their_own_rows_workflows_tasks_and_users(login, world):
    from editorial.communities import setup_community

    setup_community("nyby", "Helsefellesskap Nyby", publish=False)
    own_workflow = world["A"].home.get_workflow().name
    other_workflow = world["B"].home.get_workflow().name
    client = login("publisher_a")
    report = text(client.get("/admin/reports/workflow/"))
    assert "Til godkjenning A" in report and own_workflow in report
    assert other_workflow not in report and "Nyby" not in report
    assert "editor_a" in report and "editor_b" not in report
    tasks = text(client.get("/admin/reports/workflow_tasks/"))
    assert own_workflow in tasks
    assert other_workflow not in tasks and "Nyby" not in tasks


def test_the_workflow_task_chooser_is_for_those_who_manage_workflows(login, world, django_user_model):
    assert login("editor_a").get("/admin/workflows/task_chooser/").status_code in (302, 403)
    assert login("publisher_a").get("/admin/workflows/task_chooser/results/?q=God").status_code in (302, 403)
    client = login("anonymous")
    client.force_login(
        django_user_model.objects.create_superuser("sjef", "sjef@example.no", "passord-for-test")
    )
    chooser = client.get("/admin/workflows/task_chooser/")
    assert chooser.status_code == 200 and world["B"].home.title in text(chooser)


def test_searching_the_content_owner_listing_finds_the_editor_s_own_owners(login, world):
    """The search answered 503 on SQLite (a full-text column that does not exist)."""
    ContentOwner.objects.create(name="Eier kun i B", unit="Enhet B", community=world["B"].home)
    ContentOwner.objects.create(name="Eier kun i A", unit="Enhet A", community=world["A"].home)
    client = login("editor_a")
    for address in (
        "/admin/snippets/kompetanse/contentowner/",
        "/admin/snippets/kompetanse/contentowner/results/",
    ):
        response = client.get(address, {"q": "Eier"})
        assert response.status_code == 200
        assert "Eier kun i A" in text(response) and "Eier kun i B" not in text(response)
    by_unit = client.get("/admin/snippets/kompetanse/contentowner/results/", {"q": "Enhet"})
    assert "Eier kun i A" in text(by_unit)
