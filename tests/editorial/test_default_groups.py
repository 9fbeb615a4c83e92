"""Wagtail's default groups «Editors» and «Moderators» gave rights over the whole tree and all media;
the editorial app's migration removes them, so that access comes only through a community's team."""

import re
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from editorial.communities import setup_community
from kompetanse.factories import ProcedurePageFactory

pytestmark = pytest.mark.django_db

migration = import_module("editorial.migrations.0002_remove_wagtail_default_groups")


def test_an_administrator_adding_a_user_is_offered_the_team_groups_only(client):
    team = setup_community("oslo")
    client.force_login(get_user_model().objects.create_superuser("sjef", "sjef@example.no", "x"))
    response = client.get(reverse("wagtailusers_users:add"))
    assert response.status_code == 200
    offered = {int(pk) for pk in re.findall(r'name="groups" value="(\d+)"', response.content.decode())}
    assert offered == {team.editors_group.pk, team.publishers_group.pk}


@pytest.fixture
def owner_page(db):
    return ProcedurePageFactory(community="oslo", title="Morfin i hjemmet")


def wagtails_editors_group():
    """The group as Wagtail's initial migrations leave it: pages from the root, media everywhere."""
    group = Group.objects.create(name="Editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    root = Page.get_first_root_node()
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group, page=root, permission=Permission.objects.get(codename=codename)
        )
    GroupCollectionPermission.objects.create(
        group=group,
        collection=Collection.get_first_root_node(),
        permission=Permission.objects.get(codename="change_image"),
    )
    return group


def test_the_migration_takes_away_what_wagtails_default_groups_gave(client, owner_page):
    kari = get_user_model().objects.create_user("kari", "kari@example.no", "x")
    kari.groups.add(wagtails_editors_group())
    client.force_login(kari)
    edit_url = reverse("wagtailadmin_pages:edit", args=[owner_page.pk])
    assert client.get(edit_url).status_code == 200

    migration.remove_wagtail_default_groups(apps, None)

    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert not GroupPagePermission.objects.filter(group__name="Editors").exists()
    response = client.get(edit_url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert get_user_model().objects.filter(username="kari").exists()


def test_a_freshly_migrated_database_has_no_default_groups():
    assert list(Group.objects.values_list("name", flat=True)) == []
