"""«Ta i bruk» in all three modes in a real browser (Debian's chromium, headless, Playwright), from
login to published page: the community's editor (redaktor-oslo) adopts a shared page and sends it
to approval; the community's publisher (ansvarlig-oslo) approves, and the page is published. With
local additions the routine is written in the rich-text editor; used as is, the copy is sent from
its own admin view; adapted, the editor changes the text in Wagtail's page editor and sends it
through its action menu, and the publisher approves there. The admin's comparison of the
adaptation with its source is readable at 390 and 1280 px (axe-core finds nothing, nothing
scrolls sideways)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from editorial.communities import EDITOR, PUBLISHER, add_editor, setup_community
from kompetanse.communities import listing_for
from kompetanse.factories import ContentOwnerFactory
from kompetanse.models import ProcedurePage
from reuse.models import LocalAddition
from tests.kompetanse.test_favourites_browser import axe_on

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "test-passord-123"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def build():
    for slug in ("sentral", "oslo"):
        setup_community(slug)
    for name, role in (("redaktor-oslo", EDITOR), ("ansvarlig-oslo", PUBLISHER)):
        add_editor(name, "oslo", role, email=f"{name}@example.no", password=PASSWORD)
    return shared_page("Felles prosedyre for KOLS", "felles-kols")


def shared_page(title, slug, owner=None):
    source = ProcedurePage(
        title=title,
        slug=slug,
        summary="Sammendrag fra Felles innhold.",
        content_owner=owner or ContentOwnerFactory(name="Fagansvarlig"),
        live=False,
    )
    listing_for(setup_community("sentral").community, "procedure").add_child(instance=source)
    source.save_revision().publish()
    return source


def log_in(browser, live_server, username, viewport=None, **options):
    context = browser.new_context(
        viewport=viewport or {"width": 1280, "height": 900}, locale="nb-NO", **options
    )
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


def adopt_as(page, live_server, source, mode_label):
    page.goto(live_server.url + reverse("reuse_adopt", args=[source.pk]))
    page.get_by_label(mode_label).check()
    page.get_by_role("button", name="Ta i bruk").click()


def test_an_editor_uses_a_page_as_is_or_adapts_one_and_the_publisher_approves_both(browser, live_server):
    as_is = build()
    adapted = shared_page("Felles prosedyre for hjertesvikt", "felles-hjertesvikt", owner=as_is.content_owner)

    # redaktor-oslo takes one page as it is and sends it to approval from the copy's view.
    context, page = log_in(browser, live_server, "redaktor-oslo")
    adopt_as(page, live_server, as_is, "Bruk som den er")
    page.wait_for_url("**/admin/gjenbruk/kopi/*/")
    page.get_by_role("button", name="Send til godkjenning").click()
    page.wait_for_url("**/admin/gjenbruk/kopi/*/")
    assert "er sendt til godkjenning" in page.content()
    assert page.locator("[data-approval-state=in_progress]").is_visible()
    copy_url = page.url

    # ... and adapts the other: a new summary in the page editor, sent through its action menu.
    adopt_as(page, live_server, adapted, "Tilpass")
    page.wait_for_url("**/admin/pages/*/edit/")
    edit_url = page.url
    page.locator("#id_summary").fill("Oslos egen oppfølging av hjertesvikt etter utskrivning.")
    page.locator("footer [data-w-dropdown-target=toggle]").first.click()
    page.get_by_role("button", name=re.compile("^Send inn til Godkjenning")).click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/(edit/)?$"))
    context.close()

    copy = ProcedurePage.objects.exclude(pk=as_is.pk).get(title=as_is.title)
    adaptation = ProcedurePage.objects.exclude(pk=adapted.pk).get(title=adapted.title)
    assert not copy.live and not adaptation.live
    assert adaptation.current_workflow_state is not None

    # ansvarlig-oslo approves both, each where the editor left it.
    context, page = log_in(browser, live_server, "ansvarlig-oslo")
    page.goto(copy_url)
    page.get_by_role("button", name="Godkjenn og publiser").click()
    page.wait_for_url(copy_url)
    assert page.locator("[data-approval-state=live]").is_visible()
    page.goto(edit_url)
    page.locator("footer [data-w-dropdown-target=toggle]").first.click()
    page.get_by_role("button", name="Godkjenn og Publiser", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/(edit/)?$"))

    # Published: the copy reads as its source, the adaptation with Oslo's summary.
    copy, adaptation = ProcedurePage.objects.get(pk=copy.pk), ProcedurePage.objects.get(pk=adaptation.pk)
    assert copy.live and adaptation.live
    page.goto(live_server.url + copy.url)
    assert page.locator("[data-reuse=as-is]").is_visible()
    assert page.locator("main h1").inner_text() == as_is.title
    page.goto(live_server.url + adaptation.url)
    assert "Oslos egen oppfølging av hjertesvikt" in page.locator("main").inner_text()
    context.close()

    # The admin's comparison of the adaptation with its source, at both widths.
    problems = []
    for width, viewport in WIDTHS.items():
        context, page = log_in(browser, live_server, "ansvarlig-oslo", viewport=viewport, bypass_csp=True)
        page.goto(live_server.url + reverse("reuse_compare", args=[adapted.pk, adaptation.pk]))
        summary = page.locator(".reuse-compare__field", has_text="Sammendrag")
        expect(summary.locator(".reuse-compare__status")).to_have_text("ulikt")
        problems += axe_on(page, f"admin comparison ({width})")
        context.close()
    assert problems == []
