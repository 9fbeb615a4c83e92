"""The admin loads nothing from third parties, and only Wagtail's preview may be framed (by the
admin itself): the editor's preview panel shows the page, every other response refuses frames."""

import pytest
from django.urls import reverse

from tests.lifecycle.helpers import edit_form_data
from tests.search.conftest import publish_page

pytestmark = pytest.mark.django_db


def frame_ancestors(response):
    directives = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return directives["frame-ancestors"]


@pytest.fixture
def page(db):
    return publish_page("procedure", "oslo", "Sårstell etter operasjon", "Skift bandasjen daglig.")


def test_the_preview_panel_may_frame_the_preview(admin_client, page):
    data = edit_form_data(page, title="Sårstell etter operasjon (utkast)")
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    assert admin_client.post(preview_url, data).json() == {"is_valid": True, "is_available": True}
    response = admin_client.get(preview_url, {"in_preview_panel": "true"})
    assert response.status_code == 200
    assert "Sårstell etter operasjon (utkast)" in response.content.decode()
    assert frame_ancestors(response) == "'self'"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_pages_and_the_rest_of_the_admin_refuse_every_frame(admin_client, page):
    for url in (page.url, reverse("wagtailadmin_pages:edit", args=[page.pk]), "/admin/"):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert frame_ancestors(response) == "'none'"
        assert response["X-Frame-Options"] == "DENY"


def test_the_admin_shows_no_gravatar(admin_client):
    response = admin_client.get(reverse("wagtailadmin_account"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "gravatar" not in html.lower()
    assert "wagtailadmin/images/default-user-avatar" in html
