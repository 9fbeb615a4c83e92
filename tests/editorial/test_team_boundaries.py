"""Beyond the matrix: the tree's structure, moves between communities, drafts editors may tidy,
shared images, and the central team's vocabulary and search promotions, through the admin."""

import pytest
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Page

from kompetanse.models import Topic
from tests.editorial.conftest import png_upload
from tests.editorial.helpers import reload

pytestmark = pytest.mark.django_db


def refused(response):
    if response.status_code == 302:
        return response["Location"] == reverse("wagtailadmin_home")
    return response.status_code in (403, 404)


@pytest.mark.parametrize("page", ["home", "listing"])
def test_publishers_cannot_delete_unpublish_or_move_the_communitys_structure(login, world, page):
    target = getattr(world["A"], page)
    client = login("publisher_a")
    assert refused(client.post(reverse("wagtailadmin_pages:delete", args=[target.pk])))
    assert refused(client.post(reverse("wagtailadmin_pages:unpublish", args=[target.pk])))
    for action in ("delete", "unpublish"):
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action]) + f"?id={target.pk}"
        client.post(url)
    assert Page.objects.filter(pk=target.pk, live=True).exists()


def test_a_publisher_cannot_move_a_page_into_another_community(login, world):
    page = world["A"].live
    url = reverse("wagtailadmin_pages:move_confirm", args=[page.pk, world["B"].listing.pk])
    response = login("publisher_a").post(url)
    assert refused(response)
    assert reload(page).get_parent().pk == world["A"].listing.pk


def test_an_administrator_can_move_a_page_between_communities(client, world, db):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("sjef", "sjef@example.no", "x"))
    page = world["A"].draft
    response = client.post(reverse("wagtailadmin_pages:move_confirm", args=[page.pk, world["B"].listing.pk]))
    assert response.status_code == 302
    assert reload(page).get_parent().pk == world["B"].listing.pk


def test_editors_may_delete_their_communitys_drafts_but_not_published_pages(login, world):
    client = login("editor_a")
    client.post(reverse("wagtailadmin_pages:delete", args=[world["A"].draft.pk]))
    assert not Page.objects.filter(pk=world["A"].draft.pk).exists()
    client.post(reverse("wagtailadmin_pages:delete", args=[world["A"].live.pk]))
    assert Page.objects.filter(pk=world["A"].live.pk).exists()


@pytest.mark.parametrize("role, allowed", [("editor_s", True), ("publisher_s", True), ("publisher_a", False)])
def test_only_the_central_team_uploads_shared_images(login, world, role, allowed):
    shared = world.shared_image.collection
    login(role).post(
        reverse("wagtailimages:add"),
        {
            "title": f"Felles fra {role}",
            "description": "Et bilde",
            "file": png_upload(),
            "collection": shared.pk,
        },
    )
    assert get_image_model().objects.filter(title=f"Felles fra {role}", collection=shared).exists() is allowed


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("editor_s", True),
        ("publisher_s", True),
        ("editor_a", False),
        ("publisher_a", False),
        ("no_team", False),
    ],
)
def test_only_the_central_team_adds_topics(login, world, role, allowed):
    client = login(role)
    client.post(
        reverse("wagtailsnippets_kompetanse_topic:add"), {"name": f"Nytt fagområde {role}", "slug": ""}
    )
    assert Topic.objects.filter(name=f"Nytt fagområde {role}").exists() is allowed


@pytest.mark.parametrize(
    "role, allowed",
    [("editor_s", False), ("publisher_s", True), ("publisher_a", False)],
)
def test_only_central_publishers_delete_topics(login, world, role, allowed):
    topic = Topic.objects.create(name="Utgått fagområde", slug="utgatt")
    login(role).post(reverse("wagtailsnippets_kompetanse_topic:delete", args=[topic.pk]))
    assert (not Topic.objects.filter(pk=topic.pk).exists()) is allowed


@pytest.mark.parametrize("role, allowed", [("publisher_s", True), ("editor_s", True), ("publisher_a", False)])
def test_only_the_central_team_manages_promoted_search_results(login, world, role, allowed):
    response = login(role).get(reverse("wagtailsearchpromotions:index"))
    assert (response.status_code == 200) is allowed
