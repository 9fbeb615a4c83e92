"""Any query text gives a normal page or a clear message, never an error, and is escaped.

Runs on whichever database the suite uses (SQLite by default, PostgreSQL with DATABASE_URL);
CI runs the suite on both.
"""

import pytest

pytestmark = pytest.mark.django_db

BAD_QUERIES = {
    "empty": "",
    "whitespace": "   \t  ",
    "very long": "legemidler " * 1000,
    "ten thousand characters": "x" * 10_000,
    "double quotes": '"legemidler',
    "single quote": "pasient's legemidler",
    "star": "*",
    "star suffix": "legemid*",
    "minus": "-legemidler",
    "lone minus": "-",
    "AND": "legemidler AND",
    "NEAR(": "NEAR(legemidler",
    "OR NOT": "OR NOT AND",
    "fts column filter": "title:legemidler {body}: x",
    "caret and plus": "^legemidler + ++",
    "tsquery operators": "legemidler & | ! <-> :* (",
    "sql fragment": "'; DROP TABLE search_searchdocument; --",
    "sql union": "1' UNION SELECT password FROM auth_user --",
    "script tag": "<script>alert('x')</script>",
    "html attribute": '"><img src=x onerror=alert(1)>',
    "emoji": "💊 legemidler 🏥",
    "only emoji": "🦠🦠🦠",
    "nul byte": "legemidler\x00samstemming",
    "control characters": "\x01\x02\x1b[31m",
    "mixed scripts": "legemidler лекарства 药物 دواء",
    "right-to-left": "\u202edroW",
    "percent and backslash": "100% \\ legemidler \\",
    "only stop words": "hva er det",
    "numbers": "2027 10 15",
}


@pytest.mark.parametrize("query", BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_search_page_handles_any_query(client, pages, query):
    response = client.get("/sok/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "Søk" in html


@pytest.mark.parametrize("query", BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_api_handles_any_query(client, pages, query):
    response = client.get("/api/search/", {"q": query})
    assert response.status_code == 200
    data = response.json()
    assert isinstance(data["total"], int) and isinstance(data["results"], list)
    for result in data["results"]:
        assert "<script" not in result["snippet"] and "<img" not in result["snippet"]


@pytest.mark.parametrize("query", BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_autocomplete_handles_any_query(client, pages, query):
    response = client.get("/sok/forslag/", {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["suggestions"], list)


def test_a_query_of_only_symbols_gets_a_clear_message(client, pages):
    html = client.get("/sok/", {"q": "*** ---"}).content.decode()
    assert "Søket inneholder ingen ord vi kan søke etter" in html


def test_the_search_word_is_escaped_where_it_is_shown(client, pages):
    html = client.get("/sok/", {"q": "<b>fet</b> legemidler"}).content.decode()
    assert "<b>fet</b>" not in html and "&lt;b&gt;fet&lt;/b&gt;" in html


@pytest.mark.parametrize("params", [{"side": "-1"}, {"side": "abc"}, {"side": "9" * 30}, {"omfang": "<x>"}])
def test_odd_paging_and_scope_parameters_are_harmless(client, pages, params):
    assert client.get("/sok/", {"q": "legemidler", **params}).status_code == 200


def test_page_number_beyond_the_results_is_harmless_in_the_api(client, pages):
    data = client.get("/api/search/", {"q": "legemidler", "page": "99999999"}).json()
    assert data["results"] == [] and data["total"] == 2


@pytest.mark.elasticsearch
# A key too long for memcached (a word of the query as it was typed) is an error, not a warning.
@pytest.mark.filterwarnings("error::django.core.cache.backends.base.CacheKeyWarning")
def test_elasticsearch_itself_answers_any_query_and_its_snippets_are_escaped(client, indexed, caplog):
    """On Elasticsearch every query above is answered by the node, not by the database after a
    failed request (the fallback would hide a fault in the request the portal builds): the search
    page, its spelling help, the API and autocomplete log no failure, and what they show is
    escaped (the snippets are the portal's, ``search.snippets``)."""
    import logging

    from search import service

    caplog.set_level(logging.WARNING, logger="search")
    for name, query in BAD_QUERIES.items():
        result = service.run_search(query)
        assert result.backend == "elasticsearch", name
        page = client.get("/sok/", {"q": query})
        assert page.status_code == 200, name
        assert "<script>alert" not in page.content.decode() and "<img src=x" not in page.content.decode()
        data = client.get("/api/search/", {"q": query}).json()
        for hit in data["results"]:
            assert "<script" not in hit["snippet"] and "<img" not in hit["snippet"], name
        assert client.get("/sok/forslag/", {"q": query}).status_code == 200, name
    assert not [
        r.getMessage() for r in caplog.records if r.name == "search" and "Elasticsearch" in r.getMessage()
    ]
    # And a query that finds pages shows them from the node, with its words marked.
    found = service.run_search("legemidler")
    assert found.backend == "elasticsearch" and any("<mark>" in hit.snippet for hit in found.hits)
