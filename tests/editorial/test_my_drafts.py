"""A page an editor starts and leaves behind does not block the next try, and the editor can find
and delete such drafts: a new page whose title another page under the same listing already uses
gets the next free address, and «Mine utkast» lists the editor's never-published pages with a way
to delete each."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Page

from kompetanse.models import ProcedurePage
from tests.editorial.helpers import new_page_form_data

pytestmark = pytest.mark.django_db


def save_draft(client, listing, title, slug):
    data = new_page_form_data(ProcedurePage, listing, title=title, slug=slug, summary="Kort sammendrag.")
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["kompetanse", "procedurepage", listing.pk]), data
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return ProcedurePage.objects.filter(title=title).latest("pk")


def report_rows(client):
    html = client.get(reverse("editorial_my_drafts")).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    rows = {}
    for row in soup.select("table tbody tr"):
        title = row.find("a").get_text(strip=True)
        delete = [a for a in row.find_all("a") if a.get_text(" ", strip=True) == f"Slett «{title}»"]
        rows[title] = delete[0]["href"] if delete else None
    return rows


def test_a_second_new_page_with_the_same_title_gets_the_next_free_address(login, world):
    client = login("editor_a")
    listing = world["A"].listing
    first = save_draft(
        client, listing, "Smertelindring i livets sluttfase", "smertelindring-i-livets-sluttfase"
    )
    second = save_draft(
        client, listing, "Smertelindring i livets sluttfase", "smertelindring-i-livets-sluttfase"
    )
    third = save_draft(
        client, listing, "Smertelindring i livets sluttfase", "smertelindring-i-livets-sluttfase"
    )
    assert [first.slug, second.slug, third.slug] == [
        "smertelindring-i-livets-sluttfase",
        "smertelindring-i-livets-sluttfase-2",
        "smertelindring-i-livets-sluttfase-3",
    ]


def test_an_existing_page_keeps_its_address_and_a_clash_is_an_error(login, world):
    from tests.editorial.helpers import page_form_data

    client = login("editor_a")
    draft = world["A"].draft
    data = page_form_data(draft, slug=world["A"].live.slug)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[draft.pk]), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["slug"]
    assert Page.objects.get(pk=draft.pk).slug == draft.slug


def test_my_drafts_lists_only_the_editors_never_published_pages(login, world):
    client = login("editor_a")
    mine = save_draft(client, world["A"].listing, "Ufullført utkast", "ufullfort-utkast")
    login("publisher_a")
    save_draft(client, world["A"].listing, "Ansvarligs utkast", "ansvarligs-utkast")
    client = login("editor_a")
    assert report_rows(client) == {
        "Ufullført utkast": reverse("wagtailadmin_pages:delete", args=[mine.pk]),
    }


def test_an_editor_deletes_an_abandoned_draft_from_the_report(login, world):
    client = login("editor_a")
    draft = save_draft(client, world["A"].listing, "Glemt utkast", "glemt-utkast")
    delete_url = report_rows(client)["Glemt utkast"]
    response = client.post(delete_url)
    assert response.status_code == 302
    assert not Page.objects.filter(pk=draft.pk).exists()
    assert report_rows(client) == {}


def test_the_report_is_in_the_reports_menu_for_editors_only(login):
    html = login("editor_a").get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("editorial_my_drafts") in html
    assert login("no_team").get(reverse("editorial_my_drafts")).status_code in (302, 403)
