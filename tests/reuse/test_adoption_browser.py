"""«Ta i bruk» with local additions in a real browser (Debian's chromium, headless, Playwright),
from login to published page: the community's editor adopts a shared page, writes the local
routine in the rich-text editor and sends it to approval; the community's publisher approves,
and the page is published with the routine as written."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from editorial.communities import EDITOR, PUBLISHER, add_editor, setup_community
from kompetanse.communities import listing_for
from kompetanse.factories import ContentOwnerFactory
from kompetanse.models import ProcedurePage
from reuse.models import LocalAddition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "test-passord-123"


def build():
    for slug in ("sentral", "oslo"):
        setup_community(slug)
    for name, role in (("redaktor-oslo", EDITOR), ("ansvarlig-oslo", PUBLISHER)):
        add_editor(name, "oslo", role, email=f"{name}@example.no", password=PASSWORD)
    source = ProcedurePage(
        title="Felles prosedyre for KOLS",
        slug="felles-kols",
        summary="Sammendrag fra Felles innhold.",
        content_owner=ContentOwnerFactory(name="Fagansvarlig"),
        live=False,
    )
    listing_for(setup_community("sentral").community, "procedure").add_child(instance=source)
    source.save_revision().publish()
    return source


def log_in(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    return context, page


def test_an_editor_adopts_with_local_additions_and_the_publisher_approves(browser, live_server):
    source = build()

    context, page = log_in(browser, live_server, "redaktor-oslo")
    page.goto(live_server.url + reverse("reuse_adopt", args=[source.pk]))
    page.get_by_label("Bruk med lokale tillegg").check()
    page.get_by_role("button", name="Ta i bruk").click()
    page.wait_for_url("**/admin/gjenbruk/lokalt/*/")
    editor = page.locator("[contenteditable=true]").first
    editor.click()
    page.keyboard.type("Ring legevakten først.")
    page.keyboard.press("Enter")
    page.keyboard.type("Deretter fastlegen.")
    # Draftail writes what is typed into its form field a moment later, as on every page form.
    expect(page.locator("input[name=routine]")).to_have_value(re.compile("Deretter fastlegen"))
    page.get_by_role("button", name="Lagre og send til godkjenning").click()
    page.wait_for_url("**/admin/gjenbruk/lokalt/*/")
    assert "er sendt til godkjenning" in page.content()
    assert page.locator("[data-approval-state=in_progress]").is_visible()
    local_url = page.url
    context.close()

    copy = ProcedurePage.objects.exclude(pk=source.pk).get(title=source.title)
    routine = LocalAddition.objects.get(page=copy).routine
    assert "<p" in routine and "Ring legevakten først." in routine and "Deretter fastlegen." in routine
    assert not copy.live

    context, page = log_in(browser, live_server, "ansvarlig-oslo")
    page.goto(local_url)
    page.get_by_role("button", name="Godkjenn og publiser").click()
    page.wait_for_url(local_url)
    assert page.locator("[data-approval-state=live]").is_visible()
    page.goto(live_server.url + ProcedurePage.objects.get(pk=copy.pk).url)
    text = page.locator("main").inner_text()
    assert "Ring legevakten først." in text and "Deretter fastlegen." in text
    context.close()
