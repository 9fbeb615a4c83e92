"""load_demo gives every demo community a working editor and publisher login (README: Demo-brukere)."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.images import get_image_model

from demo.communities import COMMUNITIES
from editorial.demo import DEMO_PASSWORD
from editorial.models import CommunityTeam
from kompetanse.models import CommunityHomePage

pytestmark = pytest.mark.django_db


def test_demo_has_editor_and_publisher_logins_for_every_community(client):
    call_command("load_demo")
    for data in COMMUNITIES:
        home = CommunityHomePage.objects.get(slug=data["slug"])
        for username in (f"redaktor-{home.slug}", f"ansvarlig-{home.slug}"):
            client.logout()
            assert client.login(username=username, password=DEMO_PASSWORD), username
            response = client.get(reverse("wagtailadmin_explore_root"))
            assert response.status_code == 302
            assert response["Location"] == reverse("wagtailadmin_explore", args=[home.pk]), username
            assert client.get(response["Location"]).status_code == 200
        publisher_perms = home.permissions_for_user(_user(f"ansvarlig-{home.slug}"))
        editor_perms = home.permissions_for_user(_user(f"redaktor-{home.slug}"))
        assert publisher_perms.can_publish_subpage() and not editor_perms.can_publish_subpage()

    # The demo's media sit in the collections of the communities that use them.
    team = CommunityTeam.objects.get(community__slug="oslo")
    oslo_images = get_image_model().objects.filter(collection=team.image_collection)
    assert oslo_images.exists()
    client.logout()
    client.login(username="redaktor-oslo", password=DEMO_PASSWORD)
    chooser = client.get(reverse("wagtailimages_chooser:choose")).json()["html"]
    assert oslo_images.first().title in chooser


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)
