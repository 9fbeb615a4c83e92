"""«Mente du …?» on every backend, by one rule (``params.allowed_edits``): a correction may be one
edit from a word of up to five letters and two from a longer one, so a short real word is not
«corrected» into another word, and a long misspelt one still is."""

import pytest

from kompetanse.communities import ensure_community
from search.service import run_search
from search.spelling import suggest
from tests.search.conftest import BACKENDS, on_backend, publish_page
from tests.worlds import built_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        ensure_community("sentral", "Felles innhold")
        yield {
            "records": publish_page(
                "procedure",
                "sentral",
                "Hvem fører legemiddellisten",
                "Sykepleieren fører listen og sender den til fastlegen.",
            ),
            "referral": publish_page(
                "procedure", "sentral", "Henvisning til rehabilitering", "Fastlegen skriver henvisningen."
            ),
        }


@pytest.fixture(params=BACKENDS)
def world(request, _world, db):
    return on_backend(request, _world)


def test_a_short_word_two_edits_from_a_known_word_is_not_corrected_into_it(world):
    # «feber» is two letters from «fører», which a page has; no page is about fever.
    result = run_search("feber")
    assert suggest("feber") == ""
    assert result.total == 0
    assert result.corrected_from == ""


def test_a_short_word_one_edit_off_and_a_long_word_two_edits_off_are_corrected(world):
    assert suggest("førre") == "fører"  # one letter extra
    assert suggest("henvsnig") == "henvisning"  # two letters missing
    result = run_search("henvsnig")
    assert result.corrected_from == "henvsnig"
    assert [hit.title for hit in result.hits] == ["Henvisning til rehabilitering"]
