"""Renditions are made when an image is stored (kompetanse/renditions.py), before any reader asks."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from demo.media import illustration_png
from kompetanse import renditions
from kompetanse.factories import GoodExamplePageFactory
from kompetanse.models import GoodExampleImage, GoodExamplePage
from kompetanse.templatetags import portal_tags

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def rendition_specs_of(image):
    return set(image.renditions.values_list("filter_spec", flat=True))


def test_every_rendition_a_template_asks_for_is_made_at_upload():
    """The list in kompetanse/renditions.py covers every {% responsive_picture %} and {% picture %}."""
    assert tuple(portal_tags.PICTURE_FORMATS) == renditions.PICTURE_FORMATS
    made_fixed = {
        f"format-{fmt}|{spec}" for fmt in renditions.PICTURE_FORMATS for spec in renditions.FIXED_SPECS
    }
    found = 0
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for widths in re.findall(r'{%\s*responsive_picture\s+\S+\s+"([\d,]+)"', text):
            found += 1
            assert {int(width) for width in widths.split(",")} <= set(renditions.PICTURE_WIDTHS), path
        for tag in re.findall(r"{%\s*(?:picture|image|srcset_image)\s+\S+\s+([^%]*)%}", text):
            found += 1
            specs = [bit for bit in tag.split() if "=" not in bit and bit != "as"]
            for spec in Filter.expand_spec(specs):
                assert spec in made_fixed, f"{path.name}: {spec} is not made at upload"
    assert found >= 3


def test_an_image_uploaded_in_the_admin_has_its_renditions_before_any_reader(
    client, django_capture_on_commit_callbacks
):
    editor = get_user_model().objects.create_superuser("bilder", "b@example.no", "passord-for-test-1")
    client.force_login(editor)
    png = illustration_png("home", "Hjemmebesøk", size=(1000, 600))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailimages:add"),
            {
                "title": "Hjemmebesøk",
                "description": "Sykepleier på hjemmebesøk",
                "file": SimpleUploadedFile("besok.png", png, content_type="image/png"),
                "collection": 1,
            },
        )
    assert response.status_code == 302
    image = get_image_model().objects.get(title="Hjemmebesøk")
    # 1000 px wide: 400 and 800 as asked, 1200 becomes the original 1000; and the front page's card.
    assert rendition_specs_of(image) == {
        *(f"format-{fmt}|width-{width}" for fmt in ("avif", "webp", "jpeg") for width in (400, 800, 1000)),
        "format-avif|fill-480x270",
        "format-webp|fill-480x270",
        "format-jpeg|fill-480x270",
    }

    # The first reader of a page that shows it makes no rendition of its own.
    client.logout()
    page = GoodExamplePageFactory(community="oslo", title="Hjemmebesøk etter utskrivning")
    GoodExampleImage.objects.create(page=page, image=image, caption="Første besøk", sort_order=0)
    before = image.renditions.count()
    html = client.get(page.url).content.decode()
    assert 'type="image/avif"' in html and "width-1000" in html.replace(".", "-")
    assert image.renditions.count() == before


def test_an_imported_image_has_its_renditions(tmp_path, django_capture_on_commit_callbacks):
    folder = tmp_path / "pakke"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "besok.png").write_bytes(illustration_png("home", "Besøk", size=(600, 400)))
    content = {
        "format": "kompetanse-package",
        "version": 2,
        "images": {
            "img-1": {"file": "images/besok.png", "title": "Besøk", "description": "Sykepleier på besøk"}
        },
        "items": [
            {
                "uid": "eks-001",
                "type": "good_example",
                "community": "oslo",
                "title": "Hjemmebesøk etter utskrivning",
                "summary": "Et besøk dagen etter utskrivning.",
                "images": [{"image": "img-1", "caption": "Første besøk"}],
                "target_groups": ["skropelige-eldre"],
                "topics": ["legemidler"],
            }
        ],
    }
    (folder / "content.json").write_text(json.dumps(content), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_content", str(folder), stdout=StringIO())
    page = GoodExamplePage.objects.get(import_uid="eks-001")
    image = page.gallery_images.get().image
    assert rendition_specs_of(image) == set(renditions.rendition_specs(image))
    assert "format-webp|width-600" in rendition_specs_of(image)
