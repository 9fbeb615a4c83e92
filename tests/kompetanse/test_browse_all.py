"""Browsing every procedure, recommendation and good example across communities, and the reader's
own community remembered in the browser (issue #17, item 11).

Outside a community the main navigation opens /alle/<type>/ (kompetanse/browse.py): every published
page of the type in every published community, last updated first, filterable by community,
target group and topic. «Mitt helsefellesskap» (static/js/area.js) keeps the reader's choice in
localStorage and points the navigation, the front page and the search box at it through the
addresses only, so cached pages stay the same for every reader; without JavaScript nothing is
remembered and everything still works.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import PageViewRestriction

from kompetanse.communities import ensure_community
from kompetanse.models import KnowledgePage
from tests.kompetanse.test_favourites_browser import axe_on
from tests.search.conftest import publish_page
from tests.worlds import built_once, fresh

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def build():
    ensure_community("sentral", "Felles innhold")
    ensure_community("oslo", "Helsefellesskap Oslo", short_name="Oslo")
    ensure_community("ahus", "Helsefellesskap Ahus", short_name="Ahus")
    pages = {
        "shared": publish_page("procedure", "sentral", "Felles KOLS-prosedyre", "Felles."),
        "oslo": publish_page(
            "procedure", "oslo", "Oslos legemiddelrutine", "Oslo.", target_groups=["barn-og-unge"]
        ),
        "ahus": publish_page("procedure", "ahus", "Ahus' innleggelse", "Ahus."),
        "recommendation": publish_page("recommendation", "oslo", "Anbefaling om samhandling", "Anbefaling."),
        "draft": publish_page("procedure", "ahus", "Utkast fra Ahus", "Utkast."),
        "private": publish_page("procedure", "ahus", "Intern prosedyre", "Intern."),
    }
    pages["draft"].unpublish()
    PageViewRestriction.objects.create(page=pages["private"], restriction_type="login")
    # Last updated: Ahus's page, then Oslo's, then the shared one.
    now = timezone.now()
    for name, days in (("ahus", 1), ("oslo", 2), ("shared", 3)):
        KnowledgePage.objects.filter(pk=pages[name].pk).update(
            last_published_at=now - datetime.timedelta(days=days)
        )
    return pages


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build()


@pytest.fixture
def world(_world, db):
    return fresh(_world)


def soup(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def titles(html):
    return [h2.a.get_text() for h2 in html.select(".item-list li h2")]


def nav_link(html, title):
    return next(a for a in html.select("#hovedmeny .main-nav__list a") if a.get_text() == title)


def test_the_navigation_outside_a_community_browses_every_community(client, world):
    front = soup(client, "/")
    link = nav_link(front, "Prosedyrer")
    assert link["href"] == "/alle/prosedyrer/" and link.has_attr("data-area-browse")
    assert nav_link(front, "Samarbeidsanbefalinger")["href"] == "/alle/samarbeidsanbefalinger/"
    assert nav_link(front, "Gode eksempler")["href"] == "/alle/gode-eksempler/"
    # News and events stay the shared section's.
    assert nav_link(front, "Nyheter")["href"].startswith("/sentral/")
    # In a community, its own listings (its pages and the shared ones), with a way to all.
    oslo = soup(client, world["oslo"].url)
    assert nav_link(oslo, "Prosedyrer")["href"] == world["oslo"].get_parent().url
    listing = soup(client, world["oslo"].get_parent().url)
    assert listing.find("a", href="/alle/prosedyrer/").get_text() == "Se prosedyrer fra alle helsefellesskap"


def test_every_published_page_of_the_type_last_updated_first(client, world):
    html = soup(client, "/alle/prosedyrer/")
    assert html.h1.get_text(" ", strip=True) == "Prosedyrer – alle helsefellesskap"
    assert titles(html) == [world["ahus"].title, world["oslo"].title, world["shared"].title]
    markers = [li.select_one(".shared-marker").get_text() for li in html.select(".item-list li")]
    assert markers == ["Ahus", "Oslo", "Felles innhold"]
    assert html.select_one(".result-count").get_text() == "3 treff"
    assert titles(soup(client, "/alle/samarbeidsanbefalinger/")) == [world["recommendation"].title]
    assert titles(soup(client, "/alle/prosedyrer/", sortering="tittel")) == sorted(
        [world["ahus"].title, world["oslo"].title, world["shared"].title]
    )


def test_filtered_by_community_and_target_group(client, world):
    html = soup(client, "/alle/prosedyrer/", fellesskap=["oslo", "sentral", "finnes-ikke"])
    assert titles(html) == [world["oslo"].title, world["shared"].title]
    assert html.h1.get_text(" ", strip=True) == "Prosedyrer – Felles innhold og Oslo"
    checked = [box["value"] for box in html.select("input[name=fellesskap][checked]")]
    assert checked == ["sentral", "oslo"]
    assert html.find("a", string="Fjern filtrene")["href"] == "/alle/prosedyrer/"
    assert titles(soup(client, "/alle/prosedyrer/", malgruppe="barn-og-unge")) == [world["oslo"].title]


def test_an_unknown_type_is_a_404_and_an_unpublished_community_is_left_out(client, world):
    assert client.get("/alle/nyheter/").status_code == 404
    assert client.get("/alle/finnes-ikke/").status_code == 404
    world["ahus"].get_parent().get_parent().specific.unpublish()
    assert world["ahus"].title not in titles(soup(client, "/alle/prosedyrer/"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_readers_community_is_remembered_and_used_by_default(browser, live_server):
    pages = build()
    context = browser.new_context(viewport=WIDTHS["desktop"], locale="nb-NO", bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/")
    chooser = page.get_by_label("Mitt helsefellesskap")
    expect(chooser).to_be_visible()
    chooser.select_option(label="Oslo")
    expect(page.locator("[data-area-status]")).to_have_text("Oslo er valgt som ditt helsefellesskap.")
    expect(page.locator("[data-area-home] a")).to_have_text("Oslo")

    # On another page the choice is still there: the navigation opens Oslo's and the shared pages.
    page.goto(live_server.url + pages["shared"].url)
    expect(page.get_by_label("Mitt helsefellesskap")).to_have_value("oslo")
    page.locator("#hovedmeny").get_by_role("link", name="Prosedyrer", exact=True).click()
    page.wait_for_url("**/alle/prosedyrer/?fellesskap=oslo&fellesskap=sentral")
    assert page.locator(".item-list h2 a").all_inner_texts() == [pages["oslo"].title, pages["shared"].title]
    problems = axe_on(page, "listing across communities (1280)")

    # The search box searches Oslo and the shared content; the reader can widen it.
    page.locator("#sok-felt").fill("prosedyre")
    page.locator("#sok-felt").press("Enter")
    page.wait_for_url("**/sok/?q=prosedyre&omfang=oslo")
    expect(page.locator(".search-scope")).to_contain_text("Du søker i")

    # Changed back to all: the addresses carry no community.
    page.goto(live_server.url + "/")
    page.get_by_label("Mitt helsefellesskap").select_option(label="Alle helsefellesskap")
    link = page.locator("#hovedmeny").get_by_role("link", name="Prosedyrer", exact=True)
    expect(link).to_have_attribute("href", "/alle/prosedyrer/")
    expect(page.locator("[data-area-home]")).to_be_hidden()
    assert page.locator("form[role=search] input[name=omfang]").count() == 0
    context.close()

    for width in ("phone", "desktop"):
        context = browser.new_context(viewport=WIDTHS[width], locale="nb-NO", bypass_csp=True)
        page = context.new_page()
        page.goto(live_server.url + "/")
        if width == "phone":
            page.get_by_role("button", name="Meny").click()
        page.get_by_label("Mitt helsefellesskap").select_option(label="Ahus")
        problems += axe_on(page, f"front page with a community chosen ({width})")
        page.goto(live_server.url + "/alle/prosedyrer/")
        problems += axe_on(page, f"listing across communities ({width})")
        context.close()

    # Without JavaScript: no selector, plain addresses.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    expect(page.locator("[data-area-selector]")).to_be_hidden()
    link = page.locator("#hovedmeny").get_by_role("link", name="Prosedyrer", exact=True)
    assert link.get_attribute("href") == "/alle/prosedyrer/"
    context.close()
    assert problems == []
