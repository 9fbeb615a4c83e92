"""Media files: image renditions are public files, documents are not. A document is served only
by Wagtail's document view (/dokumenter/…), to those who may read a published page that uses it."""

import importlib

import pytest
from django.test import Client
from django.urls import clear_url_caches
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

import urls
from tests.core.test_faults import upload_document, upload_image
from tests.search.conftest import publish_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def dev_server_urls(settings):
    """The URL map as `manage.py runserver` has it: DEBUG on, static files and media served."""
    settings.DEBUG = True
    importlib.reload(urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(urls)
    clear_url_caches()


@pytest.fixture
def uploaded(admin_client):
    """A document and an image, uploaded in the admin."""
    assert upload_document(admin_client).status_code == 302
    assert upload_image(admin_client).status_code == 302
    return get_document_model().objects.get(), get_image_model().objects.get()


def page_with_attachment(document, state):
    page = publish_page("procedure", "oslo", "Rutine for sårstell", "Med rutinen som vedlegg.")
    page.attachments = [("attachment", {"document": document, "title": "Rutinen"})]
    revision = page.save_revision()
    if state != "draft":
        revision.publish()
    if state == "private":
        PageViewRestriction.objects.create(page=page, restriction_type="login")


@pytest.mark.parametrize("state, status", [("published", 200), ("draft", 404), ("private", 404)])
def test_a_document_file_is_served_only_by_the_document_view(dev_server_urls, uploaded, state, status):
    document, image = uploaded
    page_with_attachment(document, state)
    reader = Client()
    response = reader.get(document.url)
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    assert document.file.name.startswith("documents/")
    assert reader.get(f"/media/{document.file.name}").status_code == 404
    # The development server does serve media: image renditions are public.
    assert reader.get(image.get_rendition("width-20").url).status_code == 200
