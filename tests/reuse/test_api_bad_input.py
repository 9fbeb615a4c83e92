"""The read API answers bad parameters with 400 and a message naming the parameter; any search
text is a search. Only a database that is really down gives 503 (tests/core/test_faults.py)."""

import pytest

from tests.search.conftest import _module_pages, pages  # noqa: F401 - the search tests' pages
from tests.search.test_bad_input import BAD_QUERIES

pytestmark = [pytest.mark.wagtail_search, pytest.mark.django_db, pytest.mark.usefixtures("pages")]
API = "/api/v2/innhold/"
DATE_OR_TIME = "Oppgi en dato (ÅÅÅÅ-MM-DD) eller et tidspunkt (ISO 8601)."


BAD_PARAMETERS = {
    "huge offset": ({"offset": str(10**30)}, "offset: Verdien må være mindre enn eller lik 1000000."),
    "negative offset": ({"offset": "-1"}, "offset: Verdien må være større enn eller lik 0."),
    "offset not a number": ({"offset": "tjue"}, "offset: Oppgi et heltall."),
    "limit over the maximum": ({"limit": "21"}, "limit: Verdien må være mindre enn eller lik 20."),
    "limit not a number": ({"limit": "1e3"}, "limit: Oppgi et heltall."),
    "month 13": ({"updated_since": "2026-13-45"}, f"updated_since: {DATE_OR_TIME}"),
    "hour 25": ({"updated_since": "2026-11-01T25:00"}, f"updated_since: {DATE_OR_TIME}"),
    "not a date": ({"updated_since": "i-går"}, f"updated_since: {DATE_OR_TIME}"),
    "unknown type": (
        {"type": "nyheter"},
        "type: Velg en av procedure, recommendation, good_example, news, event, course, film, podcast, podcast_episode, topic.",
    ),
    "NUL in community": ({"community": "oslo\x00"}, "community: Null-tegn er ikke tillatt."),
    "NUL in a repeated topic": ({"topic": ["fall", "\x00"]}, "topic: Null-tegn er ikke tillatt."),
    "unknown search operator": (
        {"search": "fall", "search_operator": "xor"},
        "search_operator: Velg et gyldig valg. xor er ikke et av de tilgjengelige valgene.",
    ),
    "unknown site": ({"site": "finnes.ikke.no"}, "site: Ukjent nettsted."),
    "site port not a number": ({"site": "localhost:http"}, "site: Ukjent nettsted."),
    "NUL in locale": ({"locale": "\x00"}, "locale: Null-tegn er ikke tillatt."),
    "two bad parameters": (
        {"offset": "-5", "updated_since": "snart"},
        f"updated_since: {DATE_OR_TIME} offset: Verdien må være større enn eller lik 0.",
    ),
    "field filter date that is no date": (
        {"first_published_at": "i-fjor"},
        'first_published_at: "i-fjor"-verdien har et ugyldig datoformat. Det må være på formen '
        "YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ].",
    ),
    "field filter date in month 13": (
        {"type": "good_example", "period_start": "2026-13-01"},
        'period_start: "2026-13-01"-verdien er på den korrekte formen (YYYY-MM-DD), men det er en ugyldig dato.',
    ),
}


@pytest.mark.parametrize("params, message", BAD_PARAMETERS.values(), ids=BAD_PARAMETERS.keys())
def test_a_bad_parameter_is_a_400_that_names_it(client, params, message):
    response = client.get(API, params)
    assert response.status_code == 400
    assert response.json() == {"message": message}


# The review's strings, and those of the reader search's bad queries that failed here (an SQL
# error from a " or a NUL, or from only spaces or a thousand words, in Wagtail's database search).
SEARCHES = {
    "lone double quote": '"',
    "sql comment": "OR 1=1 --",
    "NUL alone": "\x00",
    **{
        name: BAD_QUERIES[name]
        for name in ("double quotes", "html attribute", "nul byte", "whitespace", "very long")
    },
}


@pytest.mark.parametrize("text", SEARCHES.values(), ids=SEARCHES.keys())
def test_any_search_text_is_answered_with_a_listing(client, text):
    response = client.get(API, {"search": text})
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["total_count"] == len(data["items"])


@pytest.mark.parametrize("text", ['"fall', 'fall"', "fall\x00", "\x00fall"])
def test_quotes_and_nul_around_a_word_still_find_it(client, text):
    response = client.get(API, {"search": text})
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["Forebygging av fall hos eldre"]
