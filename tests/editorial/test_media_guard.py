"""A crafted form post cannot put another team's images or documents on a page.

The choosers never offer them (see test_visibility); here the page edit and create views refuse a
submission that names them anyway, while media the page already had stay allowed.
"""

import pytest
from django.urls import reverse

from kompetanse.communities import listing_for
from kompetanse.models import GoodExamplePage, ProcedurePage
from tests.editorial.helpers import new_page_form_data, page_form_data, reload

pytestmark = pytest.mark.django_db


def with_attachment(data, document):
    data.update(
        {
            "attachments-count": "1",
            "attachments-0-type": "attachment",
            "attachments-0-deleted": "",
            "attachments-0-order": "0",
            "attachments-0-id": "",
            "attachments-0-value-document": str(document.pk),
            "attachments-0-value-title": "Vedlegg",
        }
    )
    return data


def attachment_ids(page):
    revision_page = reload(page).get_latest_revision_as_object()
    return [block.value["document"].pk for block in revision_page.attachments]


@pytest.mark.parametrize("document, allowed", [("A", True), ("B", False), ("S", False)])
def test_editing_a_page_with_another_teams_document_is_refused(login, world, document, allowed):
    page = world["A"].draft
    data = with_attachment(page_form_data(page), world[document].document)
    response = login("editor_a").post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    if allowed:
        assert response.status_code == 302
        assert attachment_ids(page) == [world["A"].document.pk]
    else:
        assert response.status_code == 403
        refusal = response.content.decode()
        assert refusal == (
            "Siden bruker bilder eller dokumenter fra samlinger du ikke har tilgang til: "
            f"dokument nr. {world[document].document.pk}."
        )
        assert f"Dokument {document}" not in refusal  # another team's title, never named
        assert attachment_ids(page) == []


def test_media_a_page_already_had_stay_allowed(login, world):
    page = reload(world["A"].draft)  # never change the shared world's objects in memory
    page.attachments = [("attachment", {"document": world["S"].document, "title": "Felles vedlegg"})]
    page.save_revision()
    data = with_attachment(page_form_data(page, title="Utkast A med felles vedlegg"), world["S"].document)
    response = login("editor_a").post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302
    assert reload(page).get_latest_revision_as_object().title == "Utkast A med felles vedlegg"


@pytest.mark.parametrize("image, allowed", [("A", True), ("shared", True), ("B", False)])
def test_creating_a_page_with_another_teams_image_is_refused(login, world, image, allowed):
    listing = listing_for(world["A"].home, "good_example")
    chosen = world.shared_image if image == "shared" else world[image].image
    data = new_page_form_data(GoodExamplePage, listing, title="Nytt eksempel", slug=f"eksempel-{image}")
    data["summary"] = "Et nytt eksempel."
    data.update(
        {
            "gallery_images-TOTAL_FORMS": "1",
            "gallery_images-0-image": str(chosen.pk),
            "gallery_images-0-caption": "Bilde",
            "gallery_images-0-ORDER": "1",
            "gallery_images-0-id": "",
            "gallery_images-0-DELETE": "",
        }
    )
    url = reverse("wagtailadmin_pages:add", args=["kompetanse", "goodexamplepage", listing.pk])
    response = login("editor_a").post(url, data)
    created = GoodExamplePage.objects.filter(slug=f"eksempel-{image}").first()
    if allowed:
        assert response.status_code == 302, response.content.decode()[:500]
        assert [item.image_id for item in created.gallery_images.all()] == [chosen.pk]
    else:
        assert response.status_code == 403
        assert created is None
    assert ProcedurePage.objects.filter(slug=f"eksempel-{image}").count() == 0
