"""The admin's help menu leads editors to the portal's own guide in Norwegian, not to Wagtail's
English guide and release notes."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from wagtail.admin.menu import help_menu

pytestmark = pytest.mark.django_db


def test_the_help_menu_offers_the_norwegian_guide_and_no_english_links(login, world):
    request = RequestFactory().get("/admin/")
    request.user = world.user("editor_a")
    items = sorted(help_menu.menu_items_for_request(request), key=lambda item: item.order)
    assert [(item.label, item.url) for item in items if item.url != "#"] == [
        ("Redaktørveiledning", reverse("editorial_guide"))
    ]


def test_an_editor_reads_the_guide_in_the_admin(login):
    client = login("editor_a")
    response = client.get(reverse("editorial_guide"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Redaktørveiledning" in html
    for heading in (
        "Roller",
        "Godkjenning og publisering",
        "Revisjon",
        "Ta i bruk innhold fra andre",
        "Temasider og lokale innledninger",
    ):
        assert f'<h2 class="w-h2">{heading}</h2>' in html


def test_readers_without_an_admin_login_do_not_get_the_guide(client):
    response = client.get(reverse("editorial_guide"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))
