"""A community's own search includes the shared content (Felles innhold): on its own hostname and
through «Finn innhold i …» on its home page, with its own pages first where they answer as well,
while the «Helsefellesskap» filter still narrows to one source. On every backend."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from kompetanse.communities import ensure_community
from tests.search.conftest import BACKENDS, on_backend, publish_page
from tests.worlds import built_once

pytestmark = pytest.mark.django_db

OSLO_HOST = "oslo.example.no"
SHARED_KOLS = "Oppfølging av KOLS-forverring i hjemmet"
AHUS_KOLS = "KOLS-team i Ahus-området"
# The same page, word for word, in the shared content and in Oslo: the shared one made first.
ALIKE = "Sårbehandling med undertrykk"


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        ensure_community("sentral", "Felles innhold")
        pages = {
            "shared_kols": publish_page(
                "procedure", "sentral", SHARED_KOLS, "Pasienter med kronisk lungesykdom følges opp hjemme."
            ),
            "ahus_kols": publish_page(
                "good_example", "ahus", AHUS_KOLS, "Et ambulant team for lungepasienter."
            ),
            "shared_alike": publish_page(
                "procedure", "sentral", ALIKE, "Undertrykk legges på sår som gror sakte."
            ),
            "oslo_alike": publish_page(
                "procedure", "oslo", ALIKE, "Undertrykk legges på sår som gror sakte."
            ),
            "ahus_alike": publish_page(
                "procedure", "ahus", ALIKE, "Undertrykk legges på sår som gror sakte."
            ),
        }
        Site.objects.create(hostname=OSLO_HOST, port=80, root_page=ensure_community("oslo"), site_name="Oslo")
        yield pages


@pytest.fixture(params=BACKENDS)
def world(request, _world, db):
    return on_backend(request, _world)


def _hits(response):
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [
        (
            hit.select_one(".search-hit__title a").get_text(strip=True),
            hit.select_one(".search-hit__meta").get_text(" ", strip=True).split("·")[-1].strip(),
        )
        for hit in soup.select("li.search-hit")
    ]


def _hidden_fields(response, form_selector):
    form = BeautifulSoup(response.content.decode(), "html.parser").select_one(form_selector)
    return {field["name"]: field["value"] for field in form.select('input[type="hidden"]')}


def _search_from_oslo_home(client, query, host="testserver", **more):
    """As a reader does: «Vis innhold» under «Finn innhold i …» on Oslo's home page, then a
    search from the search page's own box, which keeps what the form chose. On the main site, or
    on Oslo's own hostname."""
    oslo = ensure_community("oslo")
    main = Site.objects.get(is_default_site=True).root_page
    path = "/" if host == OSLO_HOST else "/" + oslo.url_path[len(main.url_path) :]
    home = client.get(path, HTTP_HOST=host)
    listing = client.get("/sok/", _hidden_fields(home, "form.community-filter"), HTTP_HOST=host)
    kept = _hidden_fields(listing, "form.search-page__form")
    response = client.get("/sok/", {**kept, "q": query, **more}, HTTP_HOST=host)
    assert response.status_code == 200
    return response


def test_a_query_only_shared_pages_answer_finds_them_marked_felles_innhold(client, world):
    for response in (
        _search_from_oslo_home(client, "KOLS"),
        _search_from_oslo_home(client, "KOLS", host=OSLO_HOST),
        client.get("/sok/", {"q": "KOLS"}, HTTP_HOST=OSLO_HOST),
    ):
        assert _hits(response) == [(SHARED_KOLS, "Felles innhold")]
        assert "Du søker i Helsefellesskap Oslo og Felles innhold." in response.content.decode()


def test_oslos_own_page_comes_before_an_equally_good_shared_one(client, world):
    for response in (
        _search_from_oslo_home(client, "undertrykk"),
        client.get("/sok/", {"q": "undertrykk"}, HTTP_HOST=OSLO_HOST),
    ):
        assert _hits(response) == [(ALIKE, "Helsefellesskap Oslo"), (ALIKE, "Felles innhold")]


def test_the_community_filter_narrows_oslos_scope_to_one_source(client, world):
    unfiltered = _search_from_oslo_home(client, "undertrykk")
    soup = BeautifulSoup(unfiltered.content.decode(), "html.parser")
    offered = [box["value"] for box in soup.select('form.search-facets input[name="community"]')]
    assert sorted(offered) == ["oslo", "sentral"]

    for host in ("testserver", OSLO_HOST):
        shared = _search_from_oslo_home(client, "undertrykk", host=host, community="sentral")
        assert _hits(shared) == [(ALIKE, "Felles innhold")]
        own = _search_from_oslo_home(client, "undertrykk", host=host, community="oslo")
        assert _hits(own) == [(ALIKE, "Helsefellesskap Oslo")]


def test_another_communitys_pages_are_not_in_oslos_scope(client, world):
    response = _search_from_oslo_home(client, "KOLS undertrykk")
    sources = {source for _, source in _hits(response)}
    assert sources == {"Helsefellesskap Oslo", "Felles innhold"}
    assert AHUS_KOLS not in response.content.decode()


def test_autocomplete_in_oslos_scope_offers_shared_titles_and_not_ahus(client, world):
    listing = client.get("/sok/", {"omfang": "oslo"})
    url = BeautifulSoup(listing.content.decode(), "html.parser").select_one("#sok-side-felt")[
        "data-autocomplete"
    ]
    assert url == "/sok/forslag/?omfang=oslo"
    for suggestions in (
        client.get(url + "&q=KOLS").json()["suggestions"],
        client.get("/sok/forslag/", {"q": "KOLS"}, HTTP_HOST=OSLO_HOST).json()["suggestions"],
    ):
        assert [s["title"] for s in suggestions] == [SHARED_KOLS]
