"""«Slik gjør andre helsefellesskap det» and the readers' side-by-side view (issue #17, item 13):
the same content elsewhere (taken from the same original, the same translation key, or imported
as adapted from the same source) comes first, then pages of the same type on the same subject,
most shared topics first; each links to a public comparison of the published versions, which
answers 404 for drafts, private pages and pages under an unpublished community, and is readable
at 390 and 1280 px (two columns that stack, axe finds nothing)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Locale, PageViewRestriction

from kompetanse.communities import ensure_community
from kompetanse.models import Topic
from reuse.models import Provenance
from tests.kompetanse.test_favourites_browser import axe_on
from tests.search.conftest import publish_page
from tests.worlds import built_once, fresh

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def same_key(page, other):
    """Give ``page`` the translation key of ``other`` (the key is unique per locale: in another)."""
    locale, _ = Locale.objects.get_or_create(language_code="nn")
    type(page).objects.filter(pk=page.pk).update(translation_key=other.translation_key, locale=locale)


def build():
    for slug, name in (("oslo", "Oslo"), ("ahus", "Ahus"), ("vestre-viken", "Vestre Viken")):
        ensure_community(slug, f"Helsefellesskap {name}")
    for slug, name in (("legemidler", "Legemidler"), ("eldre", "Eldre"), ("kols", "KOLS")):
        Topic.objects.get_or_create(slug=slug, defaults={"name": name})
    page = publish_page(
        "procedure",
        "oslo",
        "Legemiddelsamstemming ved innleggelse",
        "Oslo samstemmer legemidlene når pasienten legges inn.",
        body_text="Sykepleieren henter legemiddellisten fra kjernejournalen.",
        topics=["legemidler", "eldre"],
        target_groups=["skropelige-eldre"],
    )
    pages = {"page": page}
    # The same procedure in Ahus under the same translation key, on no topic at all.
    pages["twin"] = publish_page(
        "procedure",
        "ahus",
        "Samstemming av legemidler ved innleggelse",
        "Ahus samstemmer legemidlene når pasienten legges inn.",
        body_text="Sykepleieren henter legemiddellisten fra fastlegen.",
    )
    same_key(pages["twin"], page)
    # On both of the page's topics, and on one of them with its target group.
    pages["both_topics"] = publish_page(
        "procedure", "vestre-viken", "Legemidler til eldre", "Om eldre.", topics=["legemidler", "eldre"]
    )
    pages["one_topic"] = publish_page(
        "procedure",
        "ahus",
        "Legemiddelhåndtering",
        "Om håndtering.",
        topics=["legemidler"],
        target_groups=["skropelige-eldre"],
    )
    # Topic neighbours that are no match: another topic, another type.
    pages["other_topic"] = publish_page(
        "procedure", "ahus", "KOLS-rehabilitering", "Om KOLS.", topics=["kols"]
    )
    pages["other_type"] = publish_page(
        "good_example", "ahus", "Legemiddeltralle", "Et eksempel.", topics=["legemidler", "eldre"]
    )
    # Imported as adapted from Oslo's page (a package's provenance names its uid).
    type(page).objects.filter(pk=page.pk).update(import_uid="oslo-samstemming")
    pages["imported"] = publish_page("procedure", "vestre-viken", "Samstemming (importert)", "Importert.")
    Provenance.objects.create(
        page=pages["imported"], uid="vv-1", adapted_from={"uid": "oslo-samstemming", "title": page.title}
    )
    return pages


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build()


@pytest.fixture
def world(_world, db):
    return fresh(_world)


def section(client, page):
    html = BeautifulSoup(client.get(page.url).content.decode(), "html.parser")
    return html.select_one("section.other-communities")


def test_the_same_content_elsewhere_comes_first_then_the_same_subject(client, world):
    items = section(client, world["page"]).select("li")
    titles = [item.a.get_text() for item in items]
    same = {world["twin"].title, world["imported"].title}
    assert set(titles[:2]) == same
    assert titles[2:] == [world["both_topics"].title, world["one_topic"].title]
    for item in items:
        assert (
            item.select_one("a[data-compare]")
            .get_text(" ", strip=True)
            .startswith("Sammenlign side ved side med Helsefellesskap")
        )
    compare_url = reverse("reuse_public_compare", args=[world["page"].pk, world["twin"].pk])
    assert items[titles.index(world["twin"].title)].select_one("a[data-compare]")["href"] == compare_url


def test_the_imported_adaptation_names_its_source_too(client, world):
    titles = [a.get_text() for a in section(client, world["imported"]).select("li > a:first-child")]
    assert titles[0] == world["page"].title


def test_the_comparison_shows_both_published_versions_field_by_field(client, world):
    page, twin = world["page"], world["twin"]
    # A draft of the twin is not shown: readers compare what is published.
    twin.summary = "Et utkast som ikke er publisert."
    twin.save_revision()
    response = client.get(reverse("reuse_public_compare", args=[page.pk, twin.pk]))
    assert response.status_code == 200
    html = BeautifulSoup(response.content.decode(), "html.parser")
    assert html.h1.get_text() == "Slik gjør Helsefellesskap Oslo og Helsefellesskap Ahus det"
    pages = [p.a.get_text() for p in html.select(".reuse-compare__page")]
    assert pages == [page.title, twin.title]
    rows = {row.h2.contents[0].strip(): row for row in html.select(".reuse-compare__field")}
    summary = rows["Sammendrag"]
    assert summary.select_one(".reuse-compare__status").get_text() == "ulikt"
    left, right = summary.select(".reuse-compare__text")
    assert left.select_one("del").get_text() == "Oslo" and right.select_one("ins").get_text() == "Ahus"
    assert "utkast" not in response.content.decode()


@pytest.mark.parametrize("case", ["draft", "private", "unknown", "same", "unpublished_community"])
def test_only_published_public_pages_are_compared(client, world, case):
    page, other = world["page"], world["twin"]
    if case == "draft":
        other = publish_page("procedure", "ahus", "Kladd", "Utkast.")
        other.unpublish()
    elif case == "private":
        PageViewRestriction.objects.create(page=other, restriction_type="login")
    elif case == "unknown":
        other.pk = 999999
    elif case == "same":
        other = page
    elif case == "unpublished_community":
        other.get_parent().get_parent().specific.unpublish()
    response = client.get(reverse("reuse_public_compare", args=[page.pk, other.pk]))
    assert response.status_code == 404
    assert client.get(reverse("reuse_public_compare", args=[other.pk, page.pk])).status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_comparison_reads_well_on_a_phone_and_a_desktop(browser, live_server):
    page = publish_page(
        "procedure",
        "oslo",
        "Legemiddelsamstemming ved innleggelse av pasienter med autismespekterforstyrrelse",
        "Oslo samstemmer legemidlene når pasienten legges inn, og ringer kommunehelsetjenesten.",
        body_text="Sykepleieren henter legemiddellisten fra kjernejournalen før legevisitten.",
    )
    twin = publish_page(
        "procedure",
        "ahus",
        "Samstemming ved innleggelse",
        "Ahus samstemmer legemidlene når pasienten legges inn, og ringer fastlegen.",
        body_text="Sykepleieren henter legemiddellisten fra fastlegen.",
    )
    same_key(twin, page)
    problems = []
    for width, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport, locale="nb-NO", bypass_csp=True)
        tab = context.new_page()
        tab.goto(live_server.url + page.url)
        tab.get_by_role("link", name="Sammenlign side ved side med Helsefellesskap Ahus").click()
        tab.wait_for_url(live_server.url + reverse("reuse_public_compare", args=[page.pk, twin.pk]))
        left, right = tab.locator(".reuse-compare__field .reuse-compare__text").all()[:2]
        left_box, right_box = left.bounding_box(), right.bounding_box()
        if width == "phone":
            assert right_box["y"] >= left_box["y"] + left_box["height"], "the columns stack on a phone"
        else:
            assert right_box["y"] == left_box["y"] and right_box["x"] > left_box["x"] + left_box["width"]
        problems += axe_on(tab, f"public comparison ({width})")
        context.close()
    assert problems == []
