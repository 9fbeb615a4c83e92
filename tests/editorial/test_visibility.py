"""Drafts, revisions, private pages and other teams' media stay hidden from those without rights.

Public side: anyone reads published pages; drafts are not served and private pages ask for a
login; the sitemap lists only published, public pages. Admin side: a local editor opens the
explorer and page chooser at their own community, may link to any published page, and never
sees another community's drafts, revisions, previews or media.
"""

import pytest
from django.urls import reverse

from tests.editorial.helpers import reload

pytestmark = [pytest.mark.django_db, pytest.mark.wagtail_search]


def text(response):
    return response.content.decode()


def refused(response):
    """The admin refuses with 403/404, or (its habit) redirects to the dashboard with an error."""
    if response.status_code == 302:
        return response["Location"] == reverse("wagtailadmin_home")
    return response.status_code in (403, 404)


# --- the public site ------------------------------------------------------------------------------


def test_anyone_reads_published_pages_of_every_community(login, world):
    client = login("anonymous")
    for letter in "ABS":
        response = client.get(world[letter].live.url)
        assert response.status_code == 200
        assert world[letter].live.title in text(response)


def test_drafts_are_not_served_to_the_public(login, world):
    client = login("anonymous")
    for page in (world["A"].draft, world["B"].in_review):
        assert client.get(f"/{world['A'].slug}/prosedyrer/{page.slug}/").status_code == 404
        assert client.get(page.get_url_parts()[2]).status_code == 404


def test_a_published_page_shows_its_live_version_not_the_newer_draft(login, world):
    page = reload(world["A"].live)
    page.title = "Hemmelig nytt utkast"
    page.save_revision()
    response = login("anonymous").get(page.url)
    assert response.status_code == 200
    assert "Hemmelig nytt utkast" not in text(response)


@pytest.mark.parametrize("role", ["anonymous"])
def test_private_pages_ask_for_a_login(login, world, role):
    response = login(role).get(world["B"].private.url)
    assert response.status_code == 302
    assert "Privat side B" not in text(response)


def test_sitemap_lists_published_public_pages_only(login, world):
    response = login("anonymous").get("/sitemap.xml")
    assert response.status_code == 200
    body = text(response)
    for letter in "ABS":
        assert f"publisert-{world[letter].slug}" in body
        assert f"utkast-{world[letter].slug}" not in body
        assert f"til-godkjenning-{world[letter].slug}" not in body
        assert f"privat-{world[letter].slug}" not in body


def test_anonymous_visitors_never_reach_previews_or_revisions(login, world):
    client = login("anonymous")
    draft = world["A"].draft
    revision = draft.latest_revision
    for url in (
        reverse("wagtailadmin_pages:view_draft", args=[draft.pk]),
        reverse("wagtailadmin_pages:revisions_view", args=[draft.pk, revision.pk]),
        reverse("wagtailadmin_pages:history", args=[draft.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- page-level admin views -----------------------------------------------------------------------


def _page_admin_urls(page):
    revision = page.latest_revision
    return {
        "edit": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        "view_draft": reverse("wagtailadmin_pages:view_draft", args=[page.pk]),
        "preview_on_edit": reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]),
        "revisions_view": reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk]),
        "revisions_compare": reverse(
            "wagtailadmin_pages:revisions_compare", args=[page.pk, "earliest", "latest"]
        ),
        "history": reverse("wagtailadmin_pages:history", args=[page.pk]),
        "workflow_history": reverse("wagtailadmin_pages:workflow_history", args=[page.pk]),
        "usage": reverse("wagtailadmin_pages:usage", args=[page.pk]),
    }


@pytest.mark.parametrize(
    "view",
    [
        "edit",
        "view_draft",
        "preview_on_edit",
        "revisions_view",
        "revisions_compare",
        "history",
        "workflow_history",
        "usage",
    ],
)
@pytest.mark.parametrize("role, target", [("editor_a", "B"), ("editor_a", "S"), ("publisher_s", "A")])
def test_other_communities_drafts_and_revisions_are_forbidden(login, world, role, target, view):
    response = login(role).get(_page_admin_urls(world[target].draft)[view])
    assert refused(response)
    assert f"Utkast {target}" not in text(response)


@pytest.mark.parametrize("view", ["edit", "view_draft", "revisions_view", "history", "workflow_history"])
def test_own_community_drafts_and_revisions_open(login, world, view):
    response = login("editor_a").get(_page_admin_urls(world["A"].draft)[view])
    assert response.status_code == 200


# --- explorer and page chooser --------------------------------------------------------------------


def test_explorer_opens_at_own_community(login, world):
    response = login("editor_a").get(reverse("wagtailadmin_explore_root"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=[world["A"].home.pk])


def test_explorer_redirects_away_from_another_community(login, world):
    response = login("editor_a").get(reverse("wagtailadmin_explore", args=[world["B"].listing.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=[world["A"].home.pk])


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("wagtailadmin_explore", args=[w["A"].home.pk]) + "?q=Utkast&search_all=1",
        lambda w: reverse("wagtailadmin_pages:search") + "?q=Utkast",
    ],
    ids=["explorer-search-whole-tree", "page-search"],
)
def test_admin_page_search_finds_own_drafts_only(login, world, url):
    response = login("editor_a").get(url(world))
    assert response.status_code == 200
    assert "Utkast A" in text(response)
    assert "Utkast B" not in text(response)
    assert "Utkast S" not in text(response)


def test_page_chooser_opens_at_own_community(login, world):
    response = login("editor_a").get(reverse("wagtailadmin_choose_page") + "?page_type=wagtailcore.page")
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("wagtailadmin_choose_page_child", args=[world["A"].home.pk]) + "?page_type=wagtailcore.page"
    )


def test_page_chooser_offers_published_pages_everywhere_but_drafts_only_at_home(login, world):
    client = login("editor_a")
    response = client.get(reverse("wagtailadmin_choose_page_search") + "?q=side")
    assert response.status_code == 200
    body = text(response)
    assert "Publisert side B" in body and "Publisert side S" in body
    assert "Privat side A" in body
    assert "Privat side B" not in body
    for letter in "AB":
        response = client.get(reverse("wagtailadmin_choose_page_child", args=[world[letter].listing.pk]))
        assert response.status_code == 200
        assert f"Publisert side {letter}" in text(response)
        assert (f"Utkast {letter}" in text(response)) is (letter == "A")
        assert (f"Til godkjenning {letter}" in text(response)) is (letter == "A")


def test_page_chooser_does_not_browse_into_another_communitys_draft(login, world):
    response = login("editor_a").get(reverse("wagtailadmin_choose_page_child", args=[world["B"].draft.pk]))
    assert response.status_code == 404


# --- media ----------------------------------------------------------------------------------------


def test_image_chooser_offers_own_and_shared_images_only(login, world):
    response = login("editor_a").get(reverse("wagtailimages_chooser:choose"))
    assert response.status_code == 200
    body = text(response)
    assert "Bilde A" in body and "Felles bilde" in body
    assert "Bilde B" not in body and "Bilde S" not in body


@pytest.mark.parametrize("image, allowed", [("A", True), ("shared", True), ("B", False), ("S", False)])
def test_image_chooser_endpoints_refuse_other_communities_images(login, world, image, allowed):
    client = login("editor_a")
    target = world.shared_image if image == "shared" else world[image].image
    for name in ("wagtailimages_chooser:chosen", "wagtailimages_chooser:select_format"):
        response = client.get(reverse(name, args=[target.pk]))
        assert (response.status_code == 200) is allowed, name
    response = client.get(reverse("wagtailimages_chooser:chosen_multiple") + f"?id={target.pk}")
    assert (response.status_code == 200) is allowed


def test_document_chooser_offers_own_documents_only(login, world):
    client = login("publisher_s")
    body = text(client.get(reverse("wagtaildocs_chooser:choose")))
    assert "Dokument S" in body
    assert "Dokument A" not in body and "Dokument B" not in body
    response = client.get(reverse("wagtaildocs_chooser:chosen_multiple") + f"?id={world['A'].document.pk}")
    assert response.status_code == 404


def test_image_library_lists_own_and_shared_images_only(login, world):
    response = login("editor_a").get(reverse("wagtailimages:index"))
    assert response.status_code == 200
    body = text(response)
    assert "Bilde A" in body
    assert "Bilde B" not in body and "Bilde S" not in body


def test_other_communities_images_cannot_be_edited(login, world):
    response = login("publisher_a").get(reverse("wagtailimages:edit", args=[world["B"].image.pk]))
    assert refused(response)
    assert "Bilde B" not in text(response)


# --- document files -------------------------------------------------------------------------------


def attach(page, document, *, publish):
    page = reload(page)  # never change the shared world's objects in memory
    page.attachments = [("attachment", {"document": document, "title": "Vedlegg"})]
    revision = page.save_revision()
    if publish:
        revision.publish()


def test_a_document_no_published_page_uses_is_not_served_to_the_public(login, world):
    document = world["A"].document
    assert login("anonymous").get(document.url).status_code == 404
    attach(world["A"].draft, document, publish=False)
    assert login("anonymous").get(document.url).status_code == 404
    assert login("no_team").get(document.url).status_code == 404


def test_a_document_on_a_published_page_is_served_to_everyone(login, world):
    document = world["A"].document
    attach(world["A"].draft, document, publish=True)
    response = login("anonymous").get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Vedlegg"


def test_a_document_on_a_private_page_is_served_only_to_those_who_may_read_it(login, world):
    document = world["B"].document
    attach(world["B"].private, document, publish=True)
    assert login("anonymous").get(document.url).status_code == 404
    assert login("no_team").get(document.url).status_code == 200  # the page asks for any login


@pytest.mark.parametrize(
    "role, target, allowed", [("editor_a", "A", True), ("editor_a", "B", False), ("publisher_s", "S", True)]
)
def test_teams_download_their_own_unpublished_documents(login, world, role, target, allowed):
    response = login(role).get(world[target].document.url)
    assert (response.status_code == 200) is allowed


def test_a_member_of_two_teams_sees_both_communities_drafts_but_no_others(login, world):
    from editorial.communities import add_editor

    add_editor("editor_a", "ahus", "editor")
    client = login("editor_a")
    response = client.get(reverse("wagtailadmin_pages:search") + "?q=Utkast")
    assert "Utkast A" in text(response) and "Utkast B" in text(response)
    assert "Utkast S" not in text(response)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[world["B"].draft.pk])).status_code == 200
