"""The reader's pages in a real browser (Debian's chromium, headless, driven by Playwright):
axe-core finds no WCAG 2.1 A/AA violations on any page type at phone and desktop widths, nothing
overflows sideways on a phone, and a printed procedure carries its stamp and no navigation. On the
demo portal: no page of any type in any community scrolls sideways at 390 px, search results come
first on a phone, the phone menu folds and unfolds, and a short procedure prints on one or two
pages, each naming it.

Screenshots of every page type at both widths are saved under test-artifacts/ for review.
"""

import io
from importlib import resources
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from wagtail.models import Page

from kompetanse.communities import ensure_info_pages
from tests.kompetanse.reader_site import build_reader_site

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
# The elements that stick out to the right of the viewport (nothing may scroll sideways).
OVERFLOW_JS = """() => {
    if (document.documentElement.scrollWidth <= window.innerWidth) return [];
    return [...document.querySelectorAll("body *")]
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 4)
        .map(el => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : ""));
}"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def axe_source():
    return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def serve_media(route):
    """The live server does not serve uploads (DEBUG is off): hand the browser the files."""
    relative = route.request.url.split(settings.MEDIA_URL, 1)[1].split("?")[0]
    path = Path(settings.MEDIA_ROOT) / relative
    if path.is_file():
        route.fulfill(path=str(path))
    else:
        route.fulfill(status=404, body="")


def new_page(browser, width):
    context = browser.new_context(viewport=WIDTHS[width], locale="nb-NO", bypass_csp=True)
    page = context.new_page()
    page.route(f"**{settings.MEDIA_URL}**", serve_media)
    return context, page


def reader_urls(live_server):
    urls, pages = build_reader_site(3)
    urls["info_page"] = ensure_info_pages()[0].url
    urls["not_found"] = "/finnes-ikke/"
    try:
        search = reverse("search")
    except NoReverseMatch:
        search = None
    if search:
        urls["search_start"] = search
        urls["search_hits"] = f"{search}?q=legemiddelsamstemming"
        urls["search_empty"] = f"{search}?q=zzqxyvw"
    return {name: live_server.url + url for name, url in urls.items()}, pages


def test_reader_pages_in_a_browser(browser, live_server):
    """One test, one set of pages: the live server's database is built once (a transactional
    test flushes it afterwards, so the checks share it rather than rebuilding it)."""
    urls, pages = reader_urls(live_server)
    ARTIFACTS.mkdir(exist_ok=True)
    problems = axe_and_phone_fit_problems(browser, urls)
    problems += keyboard_problems(browser, urls)
    problems += print_problems(browser, live_server, pages)
    assert problems == []


def axe_and_phone_fit_problems(browser, urls):
    """axe-core (WCAG 2.1 A and AA) on every page type at both widths; nothing scrolls sideways."""
    axe = axe_source()
    problems = []
    for width in WIDTHS:
        context, page = new_page(browser, width)
        for name, url in urls.items():
            response = page.goto(url, wait_until="load")
            expected = 404 if name == "not_found" else 200
            if response.status != expected:
                problems.append(f"{name} ({width}): HTTP {response.status}")
                continue
            problems += page_problems(page, axe, name, width)
        context.close()
    return problems


def page_problems(page, axe, name, width):
    """axe-core's violations on the page as it is in the browser, and what sticks out sideways;
    a screenshot of it under test-artifacts/."""
    problems = []
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.add_script_tag(content=axe)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    for violation in result["violations"]:
        targets = [node["target"] for node in violation["nodes"]][:3]
        problems.append(f"{name} ({width}): {violation['id']} – {violation['help']} {targets}")
    overflow = page.evaluate(OVERFLOW_JS)
    if overflow:
        problems.append(f"{name} ({width}): wider than the screen: {overflow}")
    return problems


def keyboard_problems(browser, urls):
    """The first Tab shows the skip link with a visible outline; Enter moves focus to the content."""
    problems = []
    context, page = new_page(browser, "phone")
    page.goto(urls["procedure"])
    page.keyboard.press("Tab")
    if page.evaluate("document.activeElement.className") != "skip-link":
        problems.append("keyboard: the first Tab does not reach the skip link")
    box = page.locator(".skip-link").bounding_box()
    if not (box and box["y"] >= 0 and box["width"] > 0):
        problems.append("keyboard: the focused skip link is not on screen")
    if page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "solid":
        problems.append("keyboard: no visible focus outline")
    page.keyboard.press("Enter")
    if page.evaluate("document.activeElement.id") != "hovedinnhold":
        problems.append("keyboard: the skip link does not move focus to the main content")
    context.close()
    return problems


def print_problems(browser, live_server, pages):
    """A procedure and a recommendation printed to PDF: the stamp with title, version, owner, valid
    until, print date and a QR code on the first page; no navigation, forms or print button."""
    from pypdf import PdfReader

    problems = []
    context, page = new_page(browser, "desktop")
    for kind in ("procedure", "recommendation"):
        content = pages[kind]
        page.goto(live_server.url + content.url)
        # The print button is added by JavaScript (progressive enhancement).
        if not page.get_by_role("button", name="Skriv ut").is_visible():
            problems.append(f"{kind}: no print button")
        page.emulate_media(media="print")
        qr = page.locator(".print-stamp svg.qr-code")
        if not (qr.is_visible() and qr.bounding_box()["width"] > 50):
            problems.append(f"{kind}: no QR code on paper")
        pdf = page.pdf(format="A4", print_background=True)
        page.emulate_media(media="screen")
        (ARTIFACTS / f"{kind}.pdf").write_bytes(pdf)

        reader = PdfReader(io.BytesIO(pdf))
        first_page = " ".join(reader.pages[0].extract_text().split())
        text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
        stamp = (content.title, "Versjon 3.2", "Eier Eier-ABC", "Gyldig til 15. januar 2027", "Utskriftsdato")
        problems += [
            f"{kind}: «{item}» missing from the first printed page"
            for item in stamp
            if item not in first_page
        ]
        if live_server.url + content.url not in text:
            problems.append(f"{kind}: the live address is not printed")
        screen_only = (
            "Hopp til hovedinnhold",
            "Bytt helsefellesskap",
            "Kildekoden er åpen",
            "Skriv ut",
            "Meld fra om feil",
        )
        problems += [f"{kind}: «{item}» is printed" for item in screen_only if item in text]
        problems += [
            f"{kind}: «{item}» is not printed"
            for item in ("Sammendrag-ABC", "Eierskap og revisjon")
            if item not in text
        ]
    context.close()
    return problems


# ----------------------------------------------------------------------------- the demo portal

PHONE_FIT_JS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def test_the_demo_portal_on_a_phone_and_on_paper(browser, live_server):
    """The demo (load_demo), as readers get it: every page fits 390 px, search hits come before
    the filters' contents, the menu button folds the header, and printing a short procedure gives
    one or two A4 pages with its title and page number on each."""
    call_command("load_demo", stdout=io.StringIO())
    ARTIFACTS.mkdir(exist_ok=True)
    problems = demo_phone_fit_problems(browser, live_server)
    problems += phone_search_and_menu_problems(browser, live_server)
    problems += short_procedure_print_problems(browser, live_server)
    assert problems == []


def demo_pages():
    """The demo's pages whose layout could differ: of every page type in every community, the page
    with the most content (the longest body is the likeliest to hold a wide table, a long word or a
    big picture). Every page of the demo is rendered on the server by tests/demo; walking all of
    them in the browser as well took this test 74 s of CPU against 53 s, and grew with every page
    the demo gained."""
    widest = {}
    for page in Page.objects.live().public().filter(depth__gt=1).specific():
        if not page.url:
            continue
        # The community is the ancestor at depth 3 (portal root, portal home, community home).
        key = (type(page), page.path[: 3 * Page.steplen])
        if key not in widest or content_size(page) > content_size(widest[key]):
            widest[key] = page
    return list(widest.values())


def content_size(page):
    fields = ("body", "steps", "references", "summary", "intro")
    return sum(len(str(getattr(page, name, "") or "")) for name in fields)


def demo_phone_fit_problems(browser, live_server):
    urls = [page.url for page in demo_pages()]
    urls += ["/sok/?q=legemidler", "/sok/?q=autismespekterforstyrrelse", "/finnes-ikke/"]
    assert len(urls) > 30, urls
    problems = []
    context, page = new_page(browser, "phone")
    for url in urls:
        page.goto(live_server.url + url, wait_until="load")
        scroll_width, viewport = page.evaluate(PHONE_FIT_JS)
        if scroll_width > 390:
            problems.append(f"{url}: {scroll_width} px wide at {viewport} px: {page.evaluate(OVERFLOW_JS)}")
    context.close()
    return problems


def phone_search_and_menu_problems(browser, live_server):
    problems = []
    context, page = new_page(browser, "phone")
    page.goto(live_server.url + "/sok/?q=legemidler")
    page.screenshot(path=str(ARTIFACTS / "demo-search-phone.png"), full_page=False)
    first_hit = page.locator(".search-hit").first.bounding_box()
    if first_hit is None or first_hit["y"] > 400:
        problems.append(f"search on a phone: the first hit starts at {first_hit and first_hit['y']} px")
    if page.locator(".search-facets details").evaluate("details => details.open"):
        problems.append("search on a phone: the filters are open")

    button = page.get_by_role("button", name="Meny")
    navigation = page.get_by_role("navigation", name="Hovedmeny")
    header = page.locator(".site-header").bounding_box()
    if header["height"] > 80:
        problems.append(f"phone header: {header['height']} px high, not one row")
    if button.get_attribute("aria-expanded") != "false" or navigation.is_visible():
        problems.append("phone menu: not folded on arrival")
    controls = button.get_attribute("aria-controls") or ""
    if "hovedmeny" not in controls.split():
        problems.append(f"phone menu: aria-controls={controls!r} does not name the navigation")
    button.click()
    if button.get_attribute("aria-expanded") != "true" or not navigation.is_visible():
        problems.append("phone menu: the button does not open the navigation")
    elif not page.get_by_role("link", name="Prosedyrer").first.is_visible():
        problems.append("phone menu: the open menu shows no links")
    page.screenshot(path=str(ARTIFACTS / "demo-menu-open-phone.png"), full_page=False)
    button.click()
    if button.get_attribute("aria-expanded") != "false" or navigation.is_visible():
        problems.append("phone menu: the button does not close the navigation")
    context.close()

    # Without JavaScript there is no button and the navigation is a visible list.
    context = browser.new_context(viewport=WIDTHS["phone"], java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/sok/?q=legemidler")
    if page.get_by_role("button", name="Meny").is_visible():
        problems.append("phone menu without JavaScript: a button that cannot work is shown")
    if not page.get_by_role("navigation", name="Hovedmeny").is_visible():
        problems.append("phone menu without JavaScript: the navigation is hidden")
    context.close()

    # On a wide screen the filters are open and the menu button is not there.
    context, page = new_page(browser, "desktop")
    page.goto(live_server.url + "/sok/?q=legemidler")
    if not page.locator(".search-facets details").evaluate("details => details.open"):
        problems.append("search on a wide screen: the filters are folded")
    if page.get_by_role("button", name="Meny").is_visible():
        problems.append("wide screen: the menu button is shown")
    context.close()
    return problems


def short_procedure_print_problems(browser, live_server):
    """The demo's shortest procedure, printed as Chromium prints it (page.pdf uses the browser's
    own print layout, including the CSS @page margin boxes with page numbers)."""
    from pypdf import PdfReader

    from kompetanse.models import ProcedurePage

    procedure = min(
        ProcedurePage.objects.live(),
        key=lambda p: len(str(p.body)) + len(str(p.steps)) + len(str(p.references)) + len(p.summary),
    )
    context, page = new_page(browser, "desktop")
    page.goto(live_server.url + procedure.url)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi, for a look at the layout
    page.screenshot(path=str(ARTIFACTS / "demo-short-procedure-print.png"), full_page=True)
    context.close()
    (ARTIFACTS / "demo-short-procedure.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    texts = [" ".join(p.extract_text().split()) for p in reader.pages]
    problems = []
    if len(texts) > 2:
        problems.append(f"{procedure.title}: printed on {len(texts)} pages")
    for number, text in enumerate(texts, start=1):
        if procedure.title not in text:
            problems.append(f"{procedure.title}: the title is not on printed page {number}")
        if f"Side {number} av {len(texts)}" not in text:
            problems.append(f"{procedure.title}: no «Side {number} av {len(texts)}» on printed page {number}")
        if procedure.version and f"Versjon {procedure.version}" not in text:
            problems.append(f"{procedure.title}: the version is not on printed page {number}")
    for item in (
        "Følg endringer",
        "Meld fra om feil",
        "Endringslogg",
        "Søk i Kompetanseportalen",
        "Hovedmeny",
    ):
        if any(item in text for text in texts):
            problems.append(f"{procedure.title}: «{item}» is printed")
    return problems
