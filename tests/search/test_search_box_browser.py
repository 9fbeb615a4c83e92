"""The search box in every page's header, in a real browser (Debian's chromium, Playwright): a
plain search box until its suggestions come, then an ARIA 1.2 combobox (role, aria-controls,
aria-expanded, aria-activedescendant) that axe-core finds no fault with, before, during and after
the suggestions, and a click elsewhere on the page leaves no attribute the box may not carry."""

import pytest
from playwright.sync_api import expect

from tests.kompetanse.test_favourites_browser import axe_on
from tests.search.conftest import publish_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_header_search_box_is_a_combobox_axe_accepts(browser, live_server):
    page_one = publish_page("procedure", "oslo", "Legemiddelsamstemming ved utskrivning", "Samstemming.")
    publish_page("procedure", "oslo", "Legemiddelgjennomgang i sykehjem", "Gjennomgang.")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO", bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + page_one.url)
    box = page.locator("#sok-felt")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")

    # A click anywhere else on the page (the old script then set aria-expanded on a plain box).
    page.locator("h1").click()
    problems = axe_on(page, "after a click", within=".site-header")

    box.click()
    box.press_sequentially("Legemiddel")
    options = page.locator("#sok-forslag [role=option]")
    expect(options).to_have_count(2)
    expect(box).to_have_attribute("aria-expanded", "true")
    assert box.get_attribute("aria-controls") == "sok-forslag"
    box.press("ArrowDown")
    first = options.first
    expect(first).to_have_attribute("aria-selected", "true")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert page.evaluate("document.activeElement.id") == "sok-felt"  # focus stays in the box
    problems += axe_on(page, "suggestions open", within=".site-header")
    box.press("ArrowDown")
    box.press("ArrowDown")  # past the last: back to the first
    expect(first).to_have_attribute("aria-selected", "true")
    target = first.get_attribute("data-url")

    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    assert box.get_attribute("aria-activedescendant") is None
    expect(page.locator("#sok-forslag")).to_be_hidden()

    box.press("ArrowDown")  # nothing to move through while closed
    box.fill("")
    box.press_sequentially("Legemiddel")
    expect(options).to_have_count(2)
    box.press("ArrowDown")
    box.press("Enter")  # opens the chosen suggestion, not a search
    page.wait_for_url(live_server.url + target)
    problems += axe_on(page, "after opening a suggestion", within=".site-header")
    context.close()

    # Without JavaScript it is a plain search box.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + page_one.url)
    assert page.locator("#sok-felt").get_attribute("role") is None
    assert page.locator("#sok-felt").get_attribute("aria-expanded") is None
    context.close()
    assert problems == []
