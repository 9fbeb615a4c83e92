"""Search answers in the page cache (core/pagecache.py, issue #19): a search the database answered
is kept whole for the next anonymous reader who asks the same, for exactly as long as the index it
was answered from; a search that found nothing is counted for the editors every time it is given.
"""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse

from kompetanse.factories import ProcedurePageFactory
from kompetanse.models import ProcedurePage
from search import indexing
from search.models import ZeroResultQuery

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")
SUGGESTIONS = reverse("search_suggestions")


@pytest.fixture
def page():
    return ProcedurePageFactory(
        community="oslo",
        title="Legemiddelsamstemming ved utskrivning",
        summary="Sykehuset samstemmer legemidlene før pasienten reiser hjem.",
    )


def hit_titles(response):
    html = BeautifulSoup(response.content.decode(), "html.parser")
    return [link.get_text(strip=True) for link in html.select("li.search-hit .search-hit__title a")]


def test_the_same_search_is_answered_from_the_cache_with_the_same_hits(client, page):
    first = client.get(SEARCH, {"q": "legemiddelsamstemming"})
    assert first["X-Cache"] == "miss"
    assert hit_titles(first) == ["Legemiddelsamstemming ved utskrivning"]
    # Browsers and a CDN may keep it a minute; the page cache keeps it until the index changes.
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    second = client.get(SEARCH, {"q": "legemiddelsamstemming"})
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    # Another query, or the same with a filter, is its own answer.
    assert client.get(SEARCH, {"q": "legemiddelsamstemming", "type": "procedure"})["X-Cache"] == "miss"


def test_a_change_to_the_index_alone_shows_on_the_next_search(client, page):
    assert hit_titles(client.get(SEARCH, {"q": "legemiddelsamstemming"})) == [page.title]
    assert client.get(SEARCH, {"q": "legemiddelsamstemming"})["X-Cache"] == "hit"
    # A title written without a signal (no content version change), then indexed: only the index
    # version tells the page cache that the kept answer is old.
    ProcedurePage.objects.filter(pk=page.pk).update(title="Legemiddelsamstemming ved innleggelse")
    indexing.update_page(ProcedurePage.objects.get(pk=page.pk))
    after = client.get(SEARCH, {"q": "legemiddelsamstemming"})
    assert after["X-Cache"] == "miss"
    assert hit_titles(after) == ["Legemiddelsamstemming ved innleggelse"]


def test_a_published_page_shows_on_the_next_search(client, page):
    client.get(SEARCH, {"q": "legemiddelsamstemming"})
    assert client.get(SEARCH, {"q": "legemiddelsamstemming"})["X-Cache"] == "hit"
    ProcedurePageFactory(community="oslo", title="Legemiddelsamstemming i hjemmetjenesten")
    after = client.get(SEARCH, {"q": "legemiddelsamstemming"})
    assert after["X-Cache"] == "miss"
    assert sorted(hit_titles(after)) == [
        "Legemiddelsamstemming i hjemmetjenesten",
        "Legemiddelsamstemming ved utskrivning",
    ]


def test_a_search_without_hits_is_kept_and_counted_every_time_it_is_given(client, page):
    first = client.get(SEARCH, {"q": "tannregulering"})
    assert first["X-Cache"] == "miss"
    for _ in range(2):
        again = client.get(SEARCH, {"q": "tannregulering"})
        assert again["X-Cache"] == "hit" and again.content == first.content
    assert ZeroResultQuery.objects.get(query="tannregulering").count == 3


def test_a_misspelt_search_answered_with_the_correction_is_counted_every_time(client, page):
    for cache in ("miss", "hit"):
        response = client.get(SEARCH, {"q": "legemiddelsamstemmming"})
        assert response["X-Cache"] == cache
        assert hit_titles(response) == [page.title]
    assert ZeroResultQuery.objects.get(query="legemiddelsamstemmming").count == 2
    # A search with hits is counted nowhere, kept or not.
    client.get(SEARCH, {"q": "legemiddelsamstemming"})
    client.get(SEARCH, {"q": "legemiddelsamstemming"})
    assert list(ZeroResultQuery.objects.values_list("query", flat=True)) == ["legemiddelsamstemmming"]


def test_an_editor_is_never_given_nor_gives_a_kept_search(client, page):
    editor = get_user_model().objects.create_user("redaktor", password="x")
    client.force_login(editor)
    response = client.get(SEARCH, {"q": "legemiddelsamstemming"})
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]
    client.logout()
    client.cookies.clear()
    assert client.get(SEARCH, {"q": "legemiddelsamstemming"})["X-Cache"] == "miss"


def test_autocomplete_is_kept_until_the_index_changes(client, page):
    first = client.get(SUGGESTIONS, {"q": "legemiddel"})
    assert first["X-Cache"] == "miss"
    assert [s["title"] for s in json.loads(first.content)["suggestions"]] == [page.title]
    assert client.get(SUGGESTIONS, {"q": "legemiddel"})["X-Cache"] == "hit"
    ProcedurePageFactory(community="oslo", title="Legemiddelgjennomgang hos fastlegen")
    after = client.get(SUGGESTIONS, {"q": "legemiddel"})
    assert after["X-Cache"] == "miss"
    assert sorted(s["title"] for s in json.loads(after.content)["suggestions"]) == [
        "Legemiddelgjennomgang hos fastlegen",
        "Legemiddelsamstemming ved utskrivning",
    ]
