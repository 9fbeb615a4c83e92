"""Every user-supplied string is escaped: a <script> typed into any field never runs for a reader."""

import copy

import pytest

from kompetanse.packages.mapping import apply_data
from tests.kompetanse.sample_data import FULL_DATA, create_full_page

pytestmark = pytest.mark.django_db

# Short enough for the shortest free-text field (version, 30 characters).
PAYLOAD = "<script>1</script>"
DANGEROUS = ["<script>1"]
# Values that must keep their form to be valid at all (choices, dates, URLs, slugs).
STRUCTURAL_KEYS = {
    "target_groups",
    "topics",
    "levels",
    "party",
    "kind",
    "level",
    "agreement_type",
    "agreement_url",
    "url",
    "email",
    "valid_from",
    "last_reviewed",
    "next_review",
    "period_start",
    "period_end",
}


def poison(value, key=None):
    """Put the payload into every free-text string of a data structure."""
    if key in STRUCTURAL_KEYS:
        return value
    if isinstance(value, str):
        return f"{value} {PAYLOAD}"
    if isinstance(value, dict):
        return {k: poison(v, k) for k, v in value.items()}
    if isinstance(value, list):
        if len(value) == 2 and isinstance(value[0], str) and key == "body_item":
            return [value[0], poison(value[1])]
        return [poison(item, "body_item" if key == "body" else None) for item in value]
    return value


def assert_no_live_markup(html):
    found = [marker for marker in DANGEROUS if marker in html]
    assert found == [], f"unescaped markup in the page: {found}"


@pytest.mark.parametrize("kind", ["procedure", "recommendation", "good_example"])
def test_script_in_every_field_of_every_page_type_is_escaped(client, kind):
    data = poison(copy.deepcopy(FULL_DATA[kind]))
    page = create_full_page(kind)
    apply_data(page, kind, data)
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert_no_live_markup(html)
    # Plain-text fields show the payload to the reader as text (rich text drops the element).
    assert "&lt;script&gt;1&lt;/script&gt;" in html


def test_script_in_community_and_listing_texts_is_escaped(client, oslo):
    oslo.intro = PAYLOAD
    oslo.members = PAYLOAD
    oslo.save_revision().publish()
    listing = oslo.listing_pages()[0]
    listing.intro = PAYLOAD
    listing.save_revision().publish()
    for url in (oslo.url, listing.url, "/"):
        assert_no_live_markup(client.get(url).content.decode())


def test_script_in_a_search_query_is_escaped_on_the_search_page(client):
    create_full_page("procedure")
    response = client.get("/sok/", {"q": PAYLOAD})
    assert response.status_code == 200
    assert_no_live_markup(response.content.decode())


@pytest.mark.parametrize("path", ["/api/search/", "/sok/forslag/"])
def test_json_answers_to_a_script_query_are_never_read_as_html(client, path):
    """JSON may carry the reader's text as it was typed; browsers must not render it as HTML."""
    create_full_page("procedure")
    response = client.get(path, {"q": PAYLOAD})
    assert response.status_code in (200, 400)
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    for result in response.json().get("results", []):
        assert_no_live_markup(result.get("snippet", ""))


def test_script_in_listing_filters_is_escaped(client, oslo):
    listing = oslo.listing_pages()[0]
    response = client.get(listing.url, {"malgruppe": PAYLOAD, "fagomrade": PAYLOAD, "sortering": PAYLOAD})
    assert response.status_code == 200
    assert_no_live_markup(response.content.decode())
