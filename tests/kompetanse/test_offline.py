"""The server's side of favourites and offline reading (kompetanse/offline.py, issue #18): the
published-time answer the browser compares kept copies with, the web app manifest and its icons,
the service worker at the site root, and the two pages the script fills. The browser's side is in
test_favourites_browser.py and test_offline_browser.py."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone
from PIL import Image
from wagtail.models import PageViewRestriction

from kompetanse import offline
from kompetanse.factories import ProcedurePageFactory

pytestmark = pytest.mark.django_db

PUBLISHED = timezone.make_aware(datetime.datetime(2026, 5, 5, 14, 3, 20), datetime.UTC)


def status(client, *ids):
    return client.get("/mine-favoritter/status/", {"side": [str(value) for value in ids]})


def test_status_answers_published_public_pages_only(client):
    public = ProcedurePageFactory(title="Trykksår", last_published_at=PUBLISHED)
    draft = ProcedurePageFactory(title="Utkast", live=False, last_published_at=PUBLISHED)
    restricted = ProcedurePageFactory(title="Bare for innloggede", last_published_at=PUBLISHED)
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)

    response = status(client, public.pk, draft.pk, restricted.pk, 999_999)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "sider": {
            str(public.pk): {
                "publisert": int(PUBLISHED.timestamp()),
                # In the portal's time zone (Europe/Oslo: summer time, UTC+2).
                "publisert_tekst": "5. mai 2026 kl. 16.03",
                "url": public.url,
            }
        }
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Oppgi minst én side (side=<id>)."),
        ("?side=abc", "Sidene må oppgis som tall (side=<id>)."),
        ("?side=-1", "Sidene må oppgis som tall (side=<id>)."),
        ("?side=١٢", "Sidene må oppgis som tall (side=<id>)."),
        ("?side=" + "9" * 40, "Sidene må oppgis som tall (side=<id>)."),
        (
            "?" + "&".join(f"side={n}" for n in range(offline.MAX_STATUS_PAGES + 1)),
            "Spør om høyst 100 sider om gangen.",
        ),
    ],
)
def test_status_refuses_bad_input_in_norwegian(client, query, message):
    response = client.get("/mine-favoritter/status/" + query)
    assert response.status_code == 400
    assert response.json() == {"feil": message}


def test_manifest_names_the_app_in_norwegian_with_the_portals_colour_and_real_icons(client):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == "Kompetanseportalen"
    assert manifest["lang"] == "nb"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    portal_css = Path(finders.find("css/portal.css")).read_text(encoding="utf-8")
    assert manifest["theme_color"] == re.search(r"--accent:\s*(#[0-9a-f]{6})", portal_css).group(1)
    assert {icon["purpose"] for icon in manifest["icons"]} == {"any", "maskable"}
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix(settings.STATIC_URL))
        assert path, icon["src"]
        if icon["type"] == "image/png":
            width, height = Image.open(path).size
            assert f"{width}x{height}" == icon["sizes"]


def test_the_pages_link_the_manifest_and_the_scripts(client):
    html = client.get("/mine-favoritter/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'data-service-worker="/sw.js"' in html
    assert f'data-page-cache="{offline.PAGE_CACHE}"' in html
    assert (
        '<a class="site-header__favourites" href="/mine-favoritter/" aria-current="page">Mine favoritter</a>'
        in html
    )
    # Without JavaScript (or storage) the page says what it needs; the lists start hidden.
    assert "Den trenger JavaScript og at nettleseren tillater at nettsteder lagrer data." in html
    assert "<div data-saved-lists hidden>" in html


def test_the_service_worker_is_served_from_the_root_and_everything_it_keeps_exists(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    text = response.content.decode()
    assert f'var PAGE_CACHE = "{offline.PAGE_CACHE}";' in text
    shell = json.loads(re.search(r"var SHELL = (\[.*?\]);", text).group(1))
    assert "/frakoblet/" in shell and "/mine-favoritter/" in shell
    # cache.addAll() fails the install if any one of them is missing.
    for url in shell:
        if url.startswith(settings.STATIC_URL):
            assert finders.find(url.removeprefix(settings.STATIC_URL)), url
        else:
            assert client.get(url).status_code == 200, url


def test_offline_page_is_in_norwegian(client):
    response = client.get("/frakoblet/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Du er frakoblet</h1>" in html
    assert "Siden du prøvde å åpne, er ikke lagret for lesing uten nett." in html


def test_a_content_page_carries_what_the_favourite_needs(client):
    page = ProcedurePageFactory(title="Ernæring & drikke", last_published_at=PUBLISHED)
    html = client.get(page.url).content.decode()
    assert f'data-page-id="{page.pk}"' in html
    assert 'data-title="Ernæring &amp; drikke"' in html
    assert f'data-url="{page.url}"' in html
    assert 'data-community="Helsefellesskap Oslo"' in html
    assert f'data-published="{int(PUBLISHED.timestamp())}"' in html
    assert 'data-published-label="5. mai 2026 kl. 16.03"' in html
    assert (
        '<button class="button button--secondary favourite__button" type="button" aria-pressed="false">'
        in html
    )
