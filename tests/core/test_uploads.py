"""Uploads: only real JPEG, PNG, WebP and GIF images, documents from the allowed list, within limits."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("sentraladmin", "s@example.no", "passord-for-test-1")
    client.force_login(user)
    return client


def image_bytes(fmt="PNG", size=(40, 30), mode="RGB"):
    buffer = io.BytesIO()
    PILImage.new(mode, size, "white").save(buffer, format=fmt)
    return buffer.getvalue()


def upload_image(client, name, content, content_type="image/png"):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Testbilde",
            "description": "Et hvitt testbilde",
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "collection": 1,
        },
    )


@pytest.mark.parametrize(
    "fmt, name", [("PNG", "a.png"), ("JPEG", "a.jpg"), ("WEBP", "a.webp"), ("GIF", "a.gif")]
)
def test_real_images_in_the_four_formats_are_accepted(admin_client, fmt, name):
    response = upload_image(admin_client, name, image_bytes(fmt))
    assert response.status_code == 302
    assert get_image_model().objects.filter(title="Testbilde").count() == 1


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    "name, content",
    [
        ("tegning.svg", SVG),
        ("forkledd.png", SVG),
        ("tekst.png", b"dette er ikke et bilde"),
        ("avkortet.png", image_bytes("PNG", (200, 200))[:120]),
        ("feil-endelse.jpg", image_bytes("PNG")),
        ("bilde.bmp", image_bytes("BMP")),
    ],
)
def test_files_that_are_not_allowed_images_are_refused_and_nothing_is_saved(admin_client, name, content):
    response = upload_image(admin_client, name, content)
    assert response.status_code == 200  # the form again, with an error
    assert response.context["form"].errors["file"]
    assert not get_image_model().objects.exists()


def test_an_image_over_the_pixel_limit_is_refused(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1_000_000
    response = upload_image(admin_client, "stor.png", image_bytes("PNG", (1200, 1000), mode="1"))
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not get_image_model().objects.exists()


def upload_document(client, name, content):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": "Testdokument", "file": SimpleUploadedFile(name, content), "collection": 1},
    )


def test_a_document_from_the_allowed_list_is_accepted(admin_client):
    assert upload_document(admin_client, "rutine.pdf", b"%PDF-1.4\n%%EOF\n").status_code == 302
    assert get_document_model().objects.count() == 1


@pytest.mark.parametrize("name", ["program.exe", "side.html", "skript.js", "tegning.svg"])
def test_documents_outside_the_allowed_list_are_refused(admin_client, name):
    response = upload_document(admin_client, name, b"innhold")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not get_document_model().objects.exists()


def test_an_oversized_document_is_refused_with_a_norwegian_message(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = upload_document(admin_client, "stor.pdf", b"%PDF-1.4\n" + b"x" * 2048)
    assert response.status_code == 200
    assert "for stor" in str(response.context["form"].errors["file"])
    assert not get_document_model().objects.exists()
