"""GET /api/search/: the documented JSON shape, repeatable filters, 400 for unknown values."""

import pytest

pytestmark = pytest.mark.django_db


def test_api_returns_the_documented_shape(client, pages):
    data = client.get("/api/search/", {"q": "legemidler"}).json()
    assert set(data) == {"query", "total", "page", "results", "facets", "suggestion"}
    assert data["query"] == "legemidler" and data["total"] == 2 and data["page"] == 1
    first = data["results"][0]
    assert set(first) == {"title", "url", "type", "community", "snippet", "next_review"}
    assert first["url"].startswith("http://")
    assert "<mark>" in first["snippet"]
    assert set(data["facets"]) == {"type", "community", "target_group", "topic"}
    assert data["facets"]["community"] == {"oslo": 1, "sentral": 1}
    assert data["suggestion"] is None


def test_api_filters_can_be_repeated(client, pages):
    one = client.get("/api/search/", {"q": "legemidler", "community": "oslo"}).json()
    both = client.get("/api/search/", {"q": "legemidler", "community": ["oslo", "sentral"]}).json()
    assert one["total"] == 1 and both["total"] == 2


@pytest.mark.parametrize(
    "params",
    [
        {"type": "nope"},
        {"community": "atlantis"},
        {"topic": "x"},
        {"target_group": "alle"},
        {"page": "abc"},
        {"page": "0"},
    ],
)
def test_api_rejects_unknown_filter_values_with_400(client, pages, params):
    response = client.get("/api/search/", {"q": "legemidler", **params})
    assert response.status_code == 400
    assert "error" in response.json()


def test_api_pages_and_suggests(client, pages):
    data = client.get("/api/search/", {"q": "legemidler", "page": "2"}).json()
    assert data["page"] == 2 and data["results"] == [] and data["total"] == 2
    typo = client.get("/api/search/", {"q": "hjemmeoppfølgning"}).json()
    assert typo["suggestion"] == "hjemmeoppfølging"
    assert typo["total"] == 1


def test_api_searches_all_communities(client, pages):
    data = client.get("/api/search/", {"q": "legemidler fall KOLS"}).json()
    assert set(data["facets"]["community"]) == {"oslo", "sentral", "ahus", "vestre-viken"}
