"""Compounds and word forms (issue #16): the splitter, the word-form families, and what a reader
finds with them on each backend."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import backends, compounds, indexing
from search.analysis import related_forms, stem
from search.backends import elastic
from search.compounds import document_parts, parts_text, split
from search.queries import parse
from search.service import run_search
from tests.search.conftest import publish_page
from tests.worlds import built_once, fresh

# ---------------------------------------------------------------------------------- the splitter


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("fallforebygging", ("fall", "forebygging")),
        ("trakeostomistell", ("trakeostomi", "stell")),
        ("hverdagsrehabilitering", ("hverdag", "rehabilitering")),  # linking -s-
        ("barnepalliasjon", ("barn", "palliasjon")),  # linking -e-
        ("legemiddelsamstemming", ("legemiddel", "samstemming")),  # the longest parts, not lege|…
        ("legemiddellistene", ("legemiddel", "listene")),  # the last part carries the inflection
        ("trykksårforebygging", ("trykksår", "forebygging")),
        # Parts added to the list in the second round (issue #16): none of these was split before.
        ("lungebetennelse", ("lunge", "betennelse")),
        ("sårskift", ("sår", "skift")),
        ("liggesårforebygging", ("liggesår", "forebygging")),  # the lay word is one part, not ligge|sår|…
        ("spiseforstyrrelse", ("spise", "forstyrrelse")),  # a verb stem as the first part
        ("hørselstap", ("hørsel", "tap")),
    ],
)
def test_a_compound_splits_into_known_words_with_linking_letters(word, parts):
    assert split(word) == parts


@pytest.mark.parametrize(
    "word",
    [
        "samstemming",  # «sam» is no word
        "kartlegging",  # «kart» is, «legging» is not
        "underernæring",  # «under» begins words without being their part
        "fallqxforebygging",  # a part that is no word
        "forebygging",
    ],
)
def test_a_word_is_never_split_into_parts_that_are_not_words(word):
    assert split(word) == ()


@pytest.mark.parametrize(
    "word",
    [
        "blodtrykk",  # not «blod» + «trykk»: «blodtrykk» would find pages on trykksår that mention blood
        "blodtrykket",
        "dødsfall",  # not a fall
        "sukkerfall",  # low blood sugar, not a fall
        "funksjonsfall",  # a loss of function, not a fall
        "blodtrykksfall",
        "vergemål",  # not «verge» + «mål» (a goal)
        "planlegger",  # not «plan» + «legger»
    ],
)
def test_a_compound_whose_parts_would_mislead_stays_whole(word):
    assert split(word) == ()


def test_short_words_and_words_marked_whole_stay_whole():
    assert split("fotsår") == ()  # shorter than MIN_COMPOUND
    assert len("fotsår") < compounds.MIN_COMPOUND
    assert split("sykehuset") == ()  # «sykehus!»: not «syke» + «hus»
    assert split("legemiddel") == ()  # «legemiddel!»: not «lege» + «middel»
    assert split("hjerneslag") == ("hjerne", "slag")  # on the list, but not marked whole


def test_the_portals_own_words_count_as_parts():
    assert split("sykehuskantine") == ()  # «kantine» is not on the health word list
    assert split("sykehuskantine", {"kantine"}) == ("sykehus", "kantine")
    assert parts_text("Lunsj i sykehuskantine, en stor kantine") == "sykehus kantine"


@pytest.mark.parametrize(
    ("word", "vocabulary"),
    [
        ("kantinetilbud", {"kantine"}),  # a first part only the portal's vocabulary has
        ("sykehuskantine", {"kantine"}),  # a last one
        ("demenskafetilbud", {"kafe"}),  # a middle one, between two words of the list
    ],
)
def test_a_query_looks_up_every_part_its_compound_may_split_into(word, vocabulary):
    # A page's own words split its compounds at index time; a query looks up the candidates
    # (``compounds.candidates``) in the portal's vocabulary, and must split the compound the same way.
    looked_up = compounds.candidates(word) & vocabulary
    assert split(word, looked_up) == split(word, vocabulary) != ()


def test_a_query_of_long_nonsense_words_looks_up_only_their_first_and_last_parts(db):
    letters = random.Random(15)
    nonsense = ["".join(letters.choice("abdefgiklmnoprstuv") for _ in range(60)) for _ in range(12)]
    with CaptureQueriesContext(connection) as looked_up:
        compounds.query_vocabulary(nonsense)
    # 110 first and last parts a word, in statements of 500: the middle parts would be 1,400 a word.
    assert len(looked_up) == 3


def test_a_very_long_token_is_split_without_keeping_its_candidates():
    # A page may hold a token of a thousand letters; its substrings would be half a million.
    tail = "samstemming" * 90
    kept = compounds.candidates.cache_info().currsize
    # Still split, as any word (here with its long tail a word of the page).
    assert split("legemiddel" + tail, {tail}) == ("legemiddel", tail)
    assert compounds.candidates.cache_info().currsize == kept


def test_an_index_document_carries_each_fields_parts():
    doc = {
        "title": "Fallforebygging",
        "summary": "Trakeostomistell hjemme",
        "taxonomy": "",
        "body": "Om opphold.",
    }
    doc["body"] += " Etter sykehusopphold."
    assert document_parts(doc) == {
        "title": "fall forebygging",
        "summary": "trakeostomi stell",
        "taxonomy": "",
        "body": "sykehus opphold",
    }


def test_a_query_compound_is_itself_or_all_of_its_parts(db):
    (concept,) = parse("slagrehabilitering", groups=[]).concepts
    whole, parts = concept.alternatives
    assert whole.stems == (stem("slagrehabilitering"),) and not whole.all_of
    assert parts.all_of and parts.stems == (stem("slag"), stem("rehabilitering"))


# ---------------------------------------------------------------------------------- word forms


def test_word_forms_snowball_leaves_apart_find_each_other():
    assert stem("demente") != stem("demens")
    assert related_forms("demente") == ("demens",)
    assert related_forms("demens") == ("dement",)  # «demente» has the same stem as «dement»
    assert related_forms("rehabiliteres") == ("rehabilitering",)
    assert "smertelindring" in related_forms("smertelindrende")
    assert "innleggelse" in related_forms("innlagt")
    assert "utskrivning" in related_forms("utskrevet")
    assert related_forms("pasient") == ()


def test_adjectives_of_fields_and_conditions_find_their_nouns():
    assert related_forms("palliativ") == ("palliasjon",)
    assert related_forms("poliklinisk") == ("poliklinikk",)
    assert related_forms("smertefull") == ("smerte",)
    assert "hevelse" in related_forms("hovne")
    assert "injeksjon" in related_forms("injisert")
    assert related_forms("ambulant") == ()  # «ambulant» is also outpatient care: no family with «ambulerende»


def test_a_plural_that_changes_its_vowel_finds_the_singular():
    """«foreldre» and «forelder» had different stems (foreldr, foreld), so a search for parents
    did not find a page about «en forelder med alvorlig sykdom»; «tenner», «føtter» likewise."""
    assert stem("foreldre") != stem("forelder")
    assert related_forms("foreldre") == ("forelder",)
    assert related_forms("forelderen") == ("foreldre",)
    assert related_forms("tenner") == ("tann",)
    assert related_forms("føttene") == ("fot",)
    assert related_forms("falt") == ("falle",)


def test_a_query_word_also_searches_its_related_forms(db):
    (concept,) = parse("demente", groups=[]).concepts
    assert [alt.text for alt in concept.alternatives] == ["demente", "demens"]


# ---------------------------------------------------------------------------------- searching


@pytest.fixture(scope="module")
def _compound_pages(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield {
            "parts": publish_page(
                "procedure", "oslo", "Forebygging av trykksår hos eldre", "Tiltak mot trykksår i eget hjem."
            ),
            "compound": publish_page(
                "procedure",
                "oslo",
                "Trakeostomistell i hjemmet",
                "Opplæring av pårørende og hjemmesykepleien.",
            ),
            "whole": publish_page(
                "procedure", "ahus", "Trykksårforebygging på sykehjem", "Rutiner for trykksårforebygging."
            ),
            "demens": publish_page(
                "procedure", "ahus", "Utredning av demens", "Når fastlegen mistenker demens."
            ),
        }


@pytest.fixture
def compound_pages(_compound_pages, db):
    return fresh(_compound_pages)


def _found(query):
    return [hit.page_id for hit in run_search(query).hits]


def _assert_compounds_found(pages):
    # (Not a compound the starting synonym list knows: there «fallforebygging» is «forebygging av fall».)
    found = _found("trykksårforebygging")
    # The page with the compound itself first, then the page that has only its parts.
    assert found[:2] == [pages["whole"].pk, pages["parts"].pk]
    # A query's parts find a page's compound.
    assert _found("stell av trakeostomi")[:1] == [pages["compound"].pk]
    assert set(_found("trykksår")[:2]) == {pages["parts"].pk, pages["whole"].pk}
    # A word form Snowball leaves apart.
    assert _found("demente pasienter") == [pages["demens"].pk]


def test_database_search_finds_compounds_by_their_parts_and_parts_in_compounds(compound_pages):
    _assert_compounds_found(compound_pages)


@pytest.mark.elasticsearch
def test_elasticsearch_finds_compounds_by_their_parts_and_parts_in_compounds(compound_pages, elasticsearch):
    elastic.rebuild(indexing.document_for(page) for page in indexing.searchable_pages())
    _assert_compounds_found(compound_pages)
    assert backends._es_down_until == 0.0, "a search fell back to the database"


def _lungebetennelse_page():
    # «betennelse» does not stand alone on the page: only the word list splits its title. (A query
    # word that begins the compound, «lunge», finds it as a prefix anyway; one at its end does not.)
    return publish_page(
        "procedure",
        "oslo",
        "Lungebetennelse hos sykehjemsbeboere",
        "Tegn, tiltak og når legen skal tilkalles.",
    )


def test_a_query_splits_a_compound_of_three_whose_middle_part_only_the_portal_knows(compound_pages):
    # «kafe» is not on the health word list: a page's title puts it in the portal's vocabulary. The
    # page has the three words apart, as a reader who typed the compound would not know.
    page = publish_page(
        "procedure", "oslo", "Kafé for personer med demens", "Et tilbud til hjemmeboende og pårørende."
    )
    (concept,) = parse("demenskafetilbud").concepts
    assert [alt.stems for alt in concept.alternatives if alt.all_of] == [
        (stem("demens"), stem("kafe"), stem("tilbud"))
    ]
    assert _found("demenskafetilbud") == [page.pk]


def test_database_search_finds_a_compound_of_the_word_list_by_its_parts(compound_pages):
    page = _lungebetennelse_page()
    assert _found("betennelse") == [page.pk]
    assert _found("betennelse i lungene") == [page.pk]


@pytest.mark.elasticsearch
def test_elasticsearch_finds_a_compound_of_the_word_list_by_its_parts(compound_pages, elasticsearch):
    page = _lungebetennelse_page()
    elastic.rebuild(indexing.document_for(page) for page in indexing.searchable_pages())
    assert _found("betennelse") == [page.pk]
    assert _found("betennelse i lungene") == [page.pk]
    assert backends._es_down_until == 0.0, "a search fell back to the database"
