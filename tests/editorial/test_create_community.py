"""create_community and add_editor (commands), the administrators' admin view, and the demo logins."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Site,
    Workflow,
    WorkflowPage,
)

from editorial.models import CommunityTeam
from kompetanse.models import LISTING_MODELS, CommunityHomePage, ProcedureIndexPage
from tests.editorial.helpers import page_form_data

pytestmark = pytest.mark.django_db


def page_permissions(group, page):
    return sorted(
        GroupPagePermission.objects.filter(group=group, page=page).values_list(
            "permission__codename", flat=True
        )
    )


def collection_permissions(group, collection):
    return sorted(
        GroupCollectionPermission.objects.filter(group=group, collection=collection).values_list(
            "permission__codename", flat=True
        )
    )


def counts():
    return (
        CommunityHomePage.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
        Workflow.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Site.objects.count(),
    )


def test_create_community_on_a_freshly_migrated_database():
    call_command(
        "create_community", "bergen", "--name", "Helsefellesskap Bergen", "--hostname", "bergen.example.no"
    )

    home = CommunityHomePage.objects.get(slug="bergen")
    assert home.title == "Helsefellesskap Bergen" and not home.live
    assert ProcedureIndexPage.objects.child_of(home).not_live().exists()
    team = CommunityTeam.objects.get(community=home)
    assert team.editors_group.name == "Helsefellesskap Bergen – redaktører"
    assert team.publishers_group.name == "Helsefellesskap Bergen – ansvarlige redaktører"
    assert page_permissions(team.editors_group, home) == ["add_page", "change_page"]
    assert page_permissions(team.publishers_group, home) == [
        "add_page",
        "change_page",
        "lock_page",
        "publish_page",
        "unlock_page",
    ]
    assert team.collection.name == "Helsefellesskap Bergen"
    assert team.image_collection.get_parent() == team.collection
    assert team.document_collection.get_parent() == team.collection
    assert "choose_image" in collection_permissions(team.editors_group, team.collection)
    assert "delete_document" in collection_permissions(team.publishers_group, team.collection)
    assert "delete_document" not in collection_permissions(team.editors_group, team.collection)
    for group in (team.editors_group, team.publishers_group):
        assert group.permissions.filter(codename="access_admin").exists()
        assert not group.permissions.filter(codename="add_topic").exists()
    workflow = WorkflowPage.objects.get(page=home).workflow
    assert workflow.name == "Godkjenning – Helsefellesskap Bergen"
    site = Site.objects.get(hostname="bergen.example.no")
    assert site.root_page.pk == home.pk


def test_create_community_publishes_at_once_when_asked():
    call_command("create_community", "bergen", "--publiser")
    home = CommunityHomePage.objects.get(slug="bergen")
    assert home.live
    assert ProcedureIndexPage.objects.child_of(home).live().exists()


def test_create_community_twice_changes_nothing_and_a_new_name_renames_the_team():
    call_command("create_community", "bergen", "--name", "Helsefellesskap Bergen")
    before = counts()
    call_command("create_community", "bergen", "--name", "Helsefellesskap Bergen")
    assert counts() == before

    call_command("create_community", "bergen", "--name", "Helsefellesskap Vestland")
    assert counts() == before
    team = CommunityTeam.objects.get(community__slug="bergen")
    assert team.community.title == "Helsefellesskap Vestland"
    assert team.editors_group.name == "Helsefellesskap Vestland – redaktører"
    assert team.collection.name == "Helsefellesskap Vestland"
    assert (
        WorkflowPage.objects.get(page=team.community).workflow.name
        == "Godkjenning – Helsefellesskap Vestland"
    )


def test_create_community_restores_the_permission_matrix():
    call_command("create_community", "bergen", "--name", "Helsefellesskap Bergen")
    team = CommunityTeam.objects.get(community__slug="bergen")
    # Someone gave the editors publish rights by hand; setting up again takes them back.
    publish = Permission.objects.get(codename="publish_page")
    GroupPagePermission.objects.get_or_create(
        group=team.editors_group, page=team.community, permission=publish
    )
    call_command("create_community", "bergen")
    assert page_permissions(team.editors_group, team.community) == ["add_page", "change_page"]


def test_central_team_manages_vocabulary_search_promotions_and_shared_images():
    call_command("create_community", "sentral")
    call_command("create_community", "oslo")
    central = CommunityTeam.objects.get(community__slug="sentral")
    local = CommunityTeam.objects.get(community__slug="oslo")
    for codename in ("add_topic", "change_topic", "delete_topic", "add_contentowner", "add_searchpromotion"):
        assert central.publishers_group.permissions.filter(codename=codename).exists(), codename
        assert not local.publishers_group.permissions.filter(codename=codename).exists(), codename
    assert central.editors_group.permissions.filter(codename="change_topic").exists()
    assert not central.editors_group.permissions.filter(codename="delete_topic").exists()
    shared = Collection.objects.get(name="Felles bilder")
    assert collection_permissions(local.editors_group, shared) == ["choose_image"]
    assert "add_image" in collection_permissions(central.editors_group, shared)


def test_add_editor_creates_a_norwegian_speaking_user_in_the_team():
    call_command("create_community", "bergen", "--name", "Helsefellesskap Bergen")
    call_command("create_community", "oslo", "--name", "Helsefellesskap Oslo")
    call_command(
        "add_editor", "kari", "--community", "bergen", "--role", "editor", "--email", "kari@example.no"
    )
    call_command("add_editor", "kari", "--community", "bergen", "--role", "editor")
    call_command("add_editor", "kari", "--community", "oslo", "--role", "publisher")

    user = get_user_model().objects.get(username="kari")
    assert user.email == "kari@example.no"
    assert not user.has_usable_password()
    assert sorted(user.groups.values_list("name", flat=True)) == [
        "Helsefellesskap Bergen – redaktører",
        "Helsefellesskap Oslo – ansvarlige redaktører",
    ]
    assert user.wagtail_userprofile.get_preferred_language() == "nb"
    assert user.has_perm("wagtailadmin.access_admin")


def test_add_editor_refuses_unknown_communities_and_roles():
    with pytest.raises(CommandError, match="finnes ikke"):
        call_command("add_editor", "kari", "--community", "finnes-ikke", "--role", "editor")
    with pytest.raises(CommandError):
        call_command("add_editor", "kari", "--community", "oslo", "--role", "sjef")
    assert not get_user_model().objects.filter(username="kari").exists()


# --- the admin view -------------------------------------------------------------------------------


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser("sjef", "sjef@example.no", "passord-for-test")


def test_administrators_create_a_community_in_the_admin(client, superuser):
    client.force_login(superuser)
    url = reverse("editorial_create_community")
    form = client.get(url)
    assert form.status_code == 200
    assert "Nytt helsefellesskap" in form.content.decode()
    assert "Kortnavn" in form.content.decode()

    response = client.post(url, {"name": "Helsefellesskap Tromsø", "slug": "tromso", "hostname": ""})
    home = CommunityHomePage.objects.get(slug="tromso")
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=[home.pk])
    assert CommunityTeam.objects.filter(community=home).exists()

    invalid = client.post(url, {"name": "", "slug": "ikke gyldig", "hostname": "ikke gyldig"})
    assert invalid.status_code == 200
    assert list(CommunityHomePage.objects.values_list("slug", flat=True)) == ["tromso"]


def test_a_new_community_is_public_when_its_team_publishes_the_home_page(client, superuser):
    call_command("create_community", "oslo", "--publiser")
    client.force_login(superuser)
    response = client.post(
        reverse("editorial_create_community"),
        {"name": "Helsefellesskap Tromsø", "slug": "tromso", "hostname": ""},
    )
    assert "når redaksjonen publiserer forsiden" in client.get(response["Location"]).content.decode()
    home = CommunityHomePage.objects.get(slug="tromso")
    listings = home.get_children().type(*LISTING_MODELS)
    assert not home.live and listings.count() == len(LISTING_MODELS) and not listings.live().exists()

    client.logout()
    assert client.get("/tromso/").status_code == 404
    assert client.get("/tromso/prosedyrer/").status_code == 404
    front = client.get("/").content.decode()
    assert "/oslo/" in front and "/tromso/" not in front and "Tromsø" not in front

    call_command("add_editor", "ansvarlig-tromso", "--community", "tromso", "--role", "publisher")
    client.force_login(get_user_model().objects.get(username="ansvarlig-tromso"))
    edit = reverse("wagtailadmin_pages:edit", args=[home.pk])
    assert client.post(edit, page_form_data(home, **{"action-publish": "1"})).status_code == 302

    client.logout()
    assert client.get("/tromso/").status_code == 200
    assert client.get("/tromso/prosedyrer/").status_code == 200
    assert "/tromso/" in client.get("/").content.decode()
    assert home.get_children().type(*LISTING_MODELS).live().count() == len(LISTING_MODELS)


def test_only_administrators_may_create_communities_in_the_admin(client):
    call_command("create_community", "oslo")
    call_command("add_editor", "ola", "--community", "oslo", "--role", "publisher")
    client.force_login(get_user_model().objects.get(username="ola"))
    url = reverse("editorial_create_community")
    assert client.get(url).status_code in (302, 403)
    client.post(url, {"name": "Helsefellesskap Tromsø", "slug": "tromso"})
    assert not CommunityHomePage.objects.filter(slug="tromso").exists()
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert "Nytt helsefellesskap" not in dashboard.content.decode()


@pytest.mark.django_db
def test_a_new_teams_publisher_can_work_the_error_reports_on_its_pages(client):
    from lifecycle.models import ErrorReport
    from tests.kompetanse.sample_data import create_full_page

    call_command("create_community", "innlandet", "--name", "Helsefellesskap Innlandet")
    call_command("add_editor", "ansvarlig-innlandet", "--community", "innlandet", "--role", "publisher")
    page = create_full_page("procedure", community="innlandet")
    report = ErrorReport.objects.create(page=page, message="Steg 3 mangler dosering.")
    client.force_login(get_user_model().objects.get(username="ansvarlig-innlandet"))

    listing = client.get(reverse("wagtailsnippets_lifecycle_errorreport:list"))
    assert listing.status_code == 200
    assert "Steg 3 mangler dosering." in listing.content.decode()
    edit = reverse("wagtailsnippets_lifecycle_errorreport:edit", args=[report.pk])
    assert client.post(edit, {"status": "in_progress", "internal_note": ""}).status_code == 302
    report.refresh_from_db()
    assert report.status == ErrorReport.Status.IN_PROGRESS
