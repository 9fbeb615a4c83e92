"""What every public Norwegian web service answers and shows: /robots.txt and /favicon.ico, a
description on every page, phone numbers a phone can call, the error-report form's privacy
warning before its button, a change log without stray list numbers, and the information pages
(«Om portalen», «Personvern», «Tilgjengelighetserklæring») linked from every page's footer."""

import re

import pytest
from bs4 import BeautifulSoup
from django.utils.html import strip_tags

from kompetanse.communities import ensure_community, ensure_info_pages
from kompetanse.models import CENTRAL_SLUG, InfoPage
from kompetanse.templatetags.portal_tags import css_string, tel_href
from tests.kompetanse.reader_site import build_reader_site
from tests.worlds import built_once, fresh

pytestmark = pytest.mark.django_db

INFO_TITLES = ["Om portalen", "Personvern", "Tilgjengelighetserklæring"]


@pytest.fixture(scope="module")
def _site(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        urls, pages = build_reader_site(1)
        ensure_info_pages()
        yield urls, pages


@pytest.fixture
def site(_site, db):
    return fresh(_site)


def soup(response):
    assert response.status_code == 200, response
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_robots_txt_allows_all_and_names_the_sitemap_on_the_requested_host(client):
    response = client.get("/robots.txt", HTTP_HOST="oslo.example.no")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    assert "Sitemap: http://oslo.example.no/sitemap.xml" in lines


def test_favicon_ico_is_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO header


def test_every_page_has_a_meta_description_from_its_summary_or_intro(client, site):
    urls, pages = site
    for name, url in urls.items():
        description = soup(client.get(url)).find("meta", attrs={"name": "description"})
        assert description is not None and description["content"].strip(), name
    procedure = soup(client.get(urls["procedure"])).find("meta", attrs={"name": "description"})
    assert procedure["content"] == " ".join(pages["procedure"].summary.split())[:300]


def test_search_description_wins_over_the_summary(client, site):
    urls, pages = site
    page = pages["procedure"]
    page.search_description = "Slik samstemmer du legemiddellisten."
    page.save_revision().publish()
    description = soup(client.get(urls["procedure"])).find("meta", attrs={"name": "description"})
    assert description["content"] == "Slik samstemmer du legemiddellisten."


@pytest.mark.parametrize(
    "written, href",
    [
        ("22 00 00 00", "tel:+4722000000"),
        ("+47 67 96 00 00", "tel:+4767960000"),
        ("0047 22 00 00 00", "tel:+4722000000"),
        ("113", "tel:113"),
    ],
)
def test_phone_numbers_become_tel_links(written, href):
    assert tel_href(written) == href


def test_community_phone_numbers_are_links_a_phone_can_call(client, site):
    urls, _ = site
    page = soup(client.get(urls["community_home"]))
    links = page.select('a[href="tel:+4722000000"]')
    assert [link.get_text() for link in links] == ["22 00 00 00", "22 00 00 00"]  # contact box, footer


def test_the_privacy_warning_comes_before_the_report_button(client, site):
    urls, _ = site
    form = soup(client.get(urls["procedure"])).select_one("#meld-fra form")
    warning = form.find(id="meld-fra-personvern")
    assert warning.get_text(strip=True) == "Ikke skriv personopplysninger om pasienter."
    button = form.find("button", type="submit")
    elements = form.find_all(True)
    assert elements.index(warning) < elements.index(button)
    assert form.find("textarea")["aria-describedby"] == "meld-fra-personvern"


def test_the_change_log_lists_dates_without_numbers(client, site):
    urls, pages = site
    versions = soup(client.get(urls["procedure"])).select_one("#endringslogg .lifecycle-versions")
    assert versions.name == "ul"
    first = versions.find("li").get_text(" ", strip=True)
    assert re.match(r"^\d{1,2}\. [a-zæøå]+ \d{4}", first), first


def test_the_info_pages_live_in_the_central_section():
    pages = ensure_info_pages()
    central = ensure_community(CENTRAL_SLUG)
    assert [page.title for page in pages] == INFO_TITLES
    assert all(page.get_parent().pk == central.pk and page.live for page in pages)
    assert ensure_info_pages() == pages  # a second run changes nothing
    assert InfoPage.objects.count() == 3
    assert InfoPage.can_create_at(central)
    assert not InfoPage.can_create_at(ensure_community("oslo"))


def test_footer_links_to_the_info_pages_on_every_page(client, site):
    urls, _ = site
    for name, url in {**urls, "search": "/sok/?q=legemidler", "not_found": "/finnes-ikke/"}.items():
        response = client.get(url)
        footer = BeautifulSoup(response.content.decode(), "html.parser").select_one("footer.site-footer")
        links = footer.select('nav[aria-labelledby="footer-info"] a')
        assert [link.get_text() for link in links] == INFO_TITLES, name
    for link in links:
        page = soup(client.get(link["href"]))
        assert page.find("h1").get_text(strip=True) == link.get_text()
        assert page.select_one("main .rich-text h2") is not None


def test_css_string_cannot_end_the_string_or_the_style_element():
    escaped = css_string('Tittel "x" </style> \\ ny')
    assert '"' not in escaped and "<" not in escaped and "\\\\" not in strip_tags(escaped)
    assert escaped.startswith("Tittel \\22 x\\22 ")
