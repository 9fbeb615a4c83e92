"""The search page (/sok/), the box on every page and autocomplete, as a reader uses them."""

import pytest
from bs4 import BeautifulSoup
from django.utils import translation
from django.utils.formats import date_format
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Site

from kompetanse.communities import ensure_community
from kompetanse.factories import ProcedurePageFactory
from kompetanse.models import CommunityHomePage, ProcedurePage, Topic
from search.models import Synonym, ZeroResultQuery

pytestmark = pytest.mark.django_db


def test_every_page_has_a_labelled_search_box(client, pages):
    html = client.get(pages["bup"].url).content.decode()
    assert 'role="search"' in html and 'action="/sok/"' in html
    assert 'for="sok-felt"' in html and 'data-autocomplete="/sok/forslag/"' in html


def test_results_show_title_type_community_snippet_and_review_date(client, pages):
    html = client.get("/sok/", {"q": "legemiddelsamstemming"}).content.decode()
    hits = BeautifulSoup(html, "html.parser").select("li.search-hit")
    page = ProcedurePage.objects.get(pk=pages["samstemming"].pk)
    hit = next(h for h in hits if h.select_one(".search-hit__title a").get_text(strip=True) == page.title)
    assert hit.select_one(".search-hit__title a")["href"] == page.url
    community = CommunityHomePage.objects.get(slug="oslo").title
    assert hit.select_one(".search-hit__meta").get_text(" ", strip=True) == f"Prosedyre · {community}"
    # The snippet is the summary, with the words that answer the query's parts marked.
    marks = {mark.get_text() for mark in hit.select(".search-hit__snippet mark")}
    assert marks and marks <= {"samstemmer", "legemidlene"}, marks
    assert hit.select_one(".search-hit__snippet").get_text().startswith("Sykehuset samstemmer")
    with translation.override("nb"):
        next_review = date_format(page.next_review, "j. F Y")
    review = hit.select_one(".search-hit__review")
    assert review.get_text(" ", strip=True) == f"Gjeldende · Neste revisjon: {next_review}"
    assert "search-hit__review--ok" in review["class"]


def test_inflected_forms_find_each_other(client, pages):
    html = client.get("/sok/", {"q": "legemiddel"}).content.decode()
    assert "Legemiddelsamstemming ved utskrivning" in html
    assert "Felles anbefaling om legemiddelliste" in html


def test_abbreviations_work_both_ways(client, pages):
    assert "Digital hjemmeoppfølging" in client.get("/sok/", {"q": "KOLS"}).content.decode()
    html = client.get("/sok/", {"q": "barne- og ungdomspsykiatrisk poliklinikk"}).content.decode()
    assert "Henvisning til BUP" in html


def test_editors_new_synonym_works_at_once(client, pages):
    assert "Forebygging av fall" not in client.get("/sok/", {"q": "trappeulykke"}).content.decode()
    Synonym.objects.create(term="trappeulykke", synonyms="fall")
    assert "Forebygging av fall" in client.get("/sok/", {"q": "trappeulykke"}).content.decode()


def test_facets_count_and_filter_without_javascript(client, pages):
    response = client.get("/sok/", {"q": "legemidler"})
    facets = {f["name"]: {v.value: v.count for v in f["values"]} for f in response.context["facet_groups"]}
    assert facets["type"] == {"procedure": 1, "recommendation": 1}
    assert facets["community"] == {"oslo": 1, "sentral": 1}
    filtered = client.get("/sok/", {"q": "legemidler", "type": "recommendation"})
    assert [h.title for h in filtered.context["result"].hits] == ["Felles anbefaling om legemiddelliste"]
    # The chosen facet still shows the alternatives, so the reader can add one.
    type_counts = {v.value: v.count for v in filtered.context["result"].facets["type"]}
    assert type_counts == {"procedure": 1, "recommendation": 1}
    both = client.get("/sok/", {"q": "legemidler", "type": ["recommendation", "procedure"]})
    assert both.context["result"].total == 2


def test_unknown_filter_values_are_ignored_on_the_page(client, pages):
    response = client.get("/sok/", {"q": "legemidler", "type": "finnes-ikke", "topic": "<b>"})
    assert response.status_code == 200
    assert response.context["result"].total == 2


def test_pagination_keeps_query_and_filters(client, pages):
    for n in range(12):
        ProcedurePageFactory(
            community="oslo", title=f"Sårbehandling del {n}", summary="Sårbehandling i hjemmet."
        )
    first = client.get("/sok/", {"q": "sårbehandling", "type": "procedure"})
    html = first.content.decode()
    assert first.context["result"].total == 12
    assert "Side 1 av 2" in html and "side=2" in html and "type=procedure" in html
    second = client.get("/sok/", {"q": "sårbehandling", "type": "procedure", "side": "2"})
    assert len(second.context["result"].hits) == 2
    beyond = client.get("/sok/", {"q": "sårbehandling", "side": "99"})
    assert beyond.status_code == 200 and beyond.context["result"].page == 2


def test_typos_get_results_and_a_suggestion(client, pages):
    response = client.get("/sok/", {"q": "legemiddelsamstemmming"})
    result = response.context["result"]
    assert result.suggestion == "legemiddelsamstemming"
    assert [h.title for h in result.hits] == ["Legemiddelsamstemming ved utskrivning"]
    assert "Viser treff for" in response.content.decode()


def test_no_results_gives_help_and_is_logged_for_editors(client, pages):
    html = client.get("/sok/", {"q": "xylofonterapi"}).content.decode()
    assert "Ingen treff" in html and "Sjekk at ordene er stavet riktig" in html
    client.get("/sok/", {"q": "Xylofonterapi"})
    assert ZeroResultQuery.objects.get(query="xylofonterapi").count == 2


def test_promoted_results_are_shown_as_recommended(client, pages):
    SearchPromotion.objects.create(query=Query.get("fall"), page=pages["fall"], description="Start her.")
    html = client.get("/sok/", {"q": "fall"}).content.decode()
    assert "Anbefalt" in html and "Start her." in html


def test_a_community_site_searches_its_own_and_shared_content_first(client, pages):
    oslo = ensure_community("oslo")
    Site.objects.create(hostname="oslo.example.no", port=80, root_page=oslo, site_name="Oslo")
    scoped = client.get("/sok/", {"q": "legemidler fall KOLS"}, HTTP_HOST="oslo.example.no")
    communities = {h.community for h in scoped.context["result"].hits}
    assert communities == {"oslo", "sentral"}
    assert "Søk i alle helsefellesskap" in scoped.content.decode()
    widened = client.get(
        "/sok/", {"q": "legemidler fall KOLS", "omfang": "alle"}, HTTP_HOST="oslo.example.no"
    )
    assert {h.community for h in widened.context["result"].hits} == {
        "oslo",
        "sentral",
        "ahus",
        "vestre-viken",
    }


def test_the_main_site_searches_all_communities(client, pages):
    result = client.get("/sok/", {"q": "legemidler fall KOLS"}).context["result"]
    assert result.scope == []
    assert {h.community for h in result.hits} == {"oslo", "sentral", "ahus", "vestre-viken"}


def test_autocomplete_suggests_titles_as_json(client, pages):
    data = client.get("/sok/forslag/", {"q": "legemiddels"}).json()
    assert data["suggestions"][0]["title"] == "Legemiddelsamstemming ved utskrivning"
    assert data["suggestions"][0]["url"].startswith("/oslo/")
    assert client.get("/sok/forslag/", {"q": "h"}).json()["suggestions"] == []


def test_natural_language_question_finds_the_answer(client, pages):
    result = client.get("/sok/", {"q": "Hvem har ansvar for legemiddelsamstemming ved utskrivning?"}).context[
        "result"
    ]
    assert result.hits[0].title == "Legemiddelsamstemming ved utskrivning"


def test_a_topic_added_a_moment_ago_can_be_filtered_on_at_once(client):
    client.get("/sok/", {"q": "sår"})  # the facets' values are read, and kept for a minute
    Topic.objects.create(slug="sarbehandling", name="Sårbehandling")

    response = client.get("/sok/", {"q": "sår", "topic": "sarbehandling"})

    assert response.context["filters"] == {"topic": ["sarbehandling"]}
