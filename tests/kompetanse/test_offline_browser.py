"""Offline reading for home visits in a real browser (Debian's chromium, driven by Playwright),
with the site's own Content-Security-Policy in force (issue #18):

the service worker installs from the site root and keeps the app shell; a page saved as a
favourite opens from the cache with the network cut, marked «Lagret …, du er frakoblet»; a page
never opened shows the offline page, which lists what can be read; and after the page is
republished and the network returns, the kept copy and «Mine favoritter» say a newer version exists.
"""

import time

import pytest

from kompetanse.offline import PAGE_CACHE
from tests.kompetanse.reader_site import content_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
WORKER_STATE_JS = """async () => {
    const registration = await navigator.serviceWorker.ready;
    return [registration.active.state, registration.scope, await caches.keys()];
}"""
# The worker takes over the open page (clients.claim) once it is activated.
CONTROLLED_JS = (
    "() => navigator.serviceWorker.controller && navigator.serviceWorker.controller.state === 'activated'"
)
KEPT_JS = "async ([name, url]) => Boolean(await (await caches.open(name)).match(url))"


def new_context(browser):
    # No bypass_csp: the pages, the worker and the manifest must work under the real policy.
    return browser.new_context(viewport=PHONE, locale="nb-NO", timezone_id="Europe/Oslo")


def test_a_favourite_is_readable_offline_and_tells_of_a_newer_version(browser, live_server):
    kept = content_page("procedure", 1, title="Sårbehandling i hjemmet")
    never_opened = content_page("recommendation", 1, title="Utskrivning til kommunen")
    context = new_context(browser)
    errors = []
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    # Online: the worker installs with the root as its scope and keeps the shell.
    page.goto(live_server.url + kept.url)
    page.wait_for_function(CONTROLLED_JS)
    state, scope, cache_names = page.evaluate(WORKER_STATE_JS)
    assert state == "activated"
    assert scope == live_server.url + "/"
    shell = [name for name in cache_names if name.startswith("kp-skall-")]
    assert len(shell) == 1
    for url in ("/frakoblet/", "/mine-favoritter/", "/static/css/portal.css", "/static/js/favourites.js"):
        assert page.evaluate(KEPT_JS, [shell[0], url]), url

    button = page.get_by_role("button", name="Lagre som favoritt")
    button.click()
    assert page.locator(".favourite__status").inner_text() != ""
    page.wait_for_function(
        "() => document.querySelector('.favourite__status').textContent.includes('uten nett')"
    )
    assert (
        page.locator(".favourite__status").inner_text() == "Lagret som favoritt. Siden kan leses uten nett."
    )
    assert page.evaluate(KEPT_JS, [PAGE_CACHE, kept.url])

    # The network cut: the favourite opens from the cache, marked with when it was saved.
    context.set_offline(True)
    page.goto(live_server.url + kept.url)
    assert page.locator("h1").inner_text() == "Sårbehandling i hjemmet"
    banner = page.locator(".offline-banner")
    banner.wait_for()
    assert banner.inner_text().startswith("Lagret ")
    assert banner.inner_text().endswith(", du er frakoblet.")
    assert banner.get_attribute("role") == "status"

    # A page never opened: the offline page in Norwegian, listing what can be read.
    response = page.goto(live_server.url + never_opened.url)
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Du er frakoblet"
    available = page.locator("[data-list=offline] a")
    available.first.wait_for()
    assert available.all_inner_texts() == ["Sårbehandling i hjemmet"]
    assert available.first.get_attribute("href") == kept.url

    # Republished while the reader is offline; the network returns on the kept copy.
    page.goto(live_server.url + kept.url)
    banner.wait_for()
    kept.refresh_from_db()
    published_before = kept.last_published_at
    while int(time.time()) <= int(published_before.timestamp()):
        time.sleep(0.2)
    kept.summary = "Oppdatert etter ny faglig retningslinje."
    kept.save_revision().publish()
    context.set_offline(False)
    newer = banner.get_by_text("Det finnes en nyere versjon av siden")
    newer.wait_for()
    assert banner.get_by_role("link", name="Åpne den nye versjonen").get_attribute("href") == kept.url

    # «Mine favoritter» says the same of the favourite, and keeps the new version for offline reading.
    page.goto(live_server.url + "/mine-favoritter/")
    notice = page.locator("[data-list=favourites] .saved-list__newer")
    notice.wait_for()
    assert notice.inner_text().startswith("Det finnes en nyere versjon, publisert ")
    page.wait_for_function(
        "() => document.querySelector('[data-list=favourites] .saved-list__newer').textContent"
        ".endsWith('Den nye versjonen er lagret for lesing uten nett.')"
    )
    page.reload()
    page.locator("[data-list=favourites] .saved-list__offline").wait_for()
    page.wait_for_load_state("networkidle")  # the status request has been answered
    assert not page.locator("[data-list=favourites] .saved-list__newer").is_visible()

    # Offline again, the kept copy is the new version.
    context.set_offline(True)
    page.goto(live_server.url + kept.url)
    assert page.locator(".summary").inner_text() == "Oppdatert etter ny faglig retningslinje."
    page.locator(".offline-banner").wait_for()
    context.set_offline(False)
    assert [error for error in errors if "Content Security Policy" in error] == []
    context.close()
