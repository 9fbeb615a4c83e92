"""A community named in a query is one place, however many words its name has, and where the
reader works rather than what the query is about (issue #15: community queries,
bench/community_judged.json)."""

import pytest

from kompetanse.communities import ensure_community
from search import queries
from tests.search.conftest import BACKENDS, publish_page

pytestmark = pytest.mark.django_db


def _stems(concept):
    return [alternative.stems for alternative in concept.alternatives]


def test_a_community_s_name_of_two_words_is_one_concept():
    ensure_community("vestre-viken", "Helsefellesskap Vestre Viken", short_name="Vestre Viken")
    parsed = queries.parse("palliasjon hjemme Vestre Viken")
    # Split, «vestre» and «viken» were two concepts of four: the place was half the query.
    assert len(parsed.concepts) == 3
    assert _stems(parsed.concepts[-1]) == [("vestr", "vik")]
    assert parsed.concepts[-1].alternatives[0].text == "vestre viken"
    assert [concept.place for concept in parsed.concepts] == [False, False, True]


def test_a_community_s_name_of_one_word_is_a_word_of_the_query_as_before():
    ensure_community("ahus", "Helsefellesskapet Ahus-området", short_name="Ahus")
    ensure_community("sentral", "Felles innhold", short_name="Felles")
    parsed = queries.parse("demensutredning Ahus")
    assert _stems(parsed.concepts[1]) == [("ahus",)]
    assert [concept.place for concept in parsed.concepts] == [False, True]
    # The central team's section is no place.
    assert [concept.place for concept in queries.parse("demensutredning Felles").concepts] == [False, False]


def test_the_name_with_omradet_after_it_is_the_place_too():
    """«Ahus-området», as the communities name themselves, is one place: the phrase or the name
    alone, not the name and a word «området» that the community's neighbours' pages have."""
    ensure_community("ahus", "Helsefellesskapet Ahus-området", short_name="Ahus")
    ensure_community("vestre-viken", "Helsefellesskap Vestre Viken", short_name="Vestre Viken")
    parsed = queries.parse("demensutredning Ahus-området")
    assert len(parsed.concepts) == 2
    assert _stems(parsed.concepts[1]) == [("ahus", "områd"), ("ahus",)]
    assert parsed.concepts[1].place
    place = queries.parse("KAD Vestre Viken-området").concepts[1]
    assert _stems(place) == [("vestr", "vik", "områd"), ("vestr", "vik")]
    assert place.place
    # The name alone is not given the phrase: «området» is not what the reader wrote.
    assert _stems(queries.parse("legemiddelsamstemming Ahus").concepts[1]) == [("ahus",)]


@pytest.fixture(params=BACKENDS)
def backend(request, db):
    if request.param == "elasticsearch":
        request.getfixturevalue("elasticsearch")
    return request.param


def _titles(backend, query):
    """The titles ``query`` finds on ``backend``, in order (its index rebuilt on Elasticsearch)."""
    from search import indexing
    from search.backends import elastic
    from search.service import run_search

    if backend == "elasticsearch":
        elastic.rebuild(indexing.document_for(page) for page in indexing.searchable_pages())
    result = run_search(query)
    assert result.backend == backend
    return [hit.title for hit in result.hits]


def test_the_place_does_not_outweigh_the_subject(backend):
    """«palliasjon hjemme Vestre Viken»: the other community's page on palliative care at home
    comes before the named community's page on another subject, which has the name in its
    summary and its taxonomy (the community's name) and nothing of the subject."""
    ensure_community("vestre-viken", "Helsefellesskap Vestre Viken", short_name="Vestre Viken")
    answer = publish_page(
        "recommendation",
        "vestre-viken",
        "Palliasjon hjemme i kommunene",
        "Kommunene i Vestre Viken og sykehuset samarbeider om palliasjon hjemme.",
    )
    subject = publish_page(
        "recommendation",
        "oslo",
        "Palliasjon i hjemmet",
        "Hjemmesykepleien og palliativt team følger opp pasienten hjemme.",
    )
    place = publish_page(
        "procedure",
        "vestre-viken",
        "Vaksinasjon av helsepersonell",
        "Slik tilbyr foretakene i Vestre Viken vaksine til ansatte i Vestre Viken-området.",
    )
    for season in ("høst", "vinter", "vår", "sommer"):
        publish_page("procedure", "oslo", f"Plan for {season}", "Hjemme hos pasienten gjelder planen.")
    titles = _titles(backend, "palliasjon hjemme Vestre Viken")
    assert titles[0] == answer.title
    assert titles.index(subject.title) < titles.index(place.title)


def test_a_page_with_the_named_place_alone_comes_after_pages_on_the_subject(backend):
    """«legemiddelsamstemming Ahus»: the shared page that has the subject once in its text comes
    before the named community's page on another subject, which has the name in its summary, text
    and taxonomy and nothing of the subject; the named community's page on the subject first.
    (``elastic.PLACE_SHARE``, ``postgres.PLACE_SHARE``; FTS5's BM25 ranks so as it is.)"""
    ensure_community("ahus", "Helsefellesskapet Ahus-området", short_name="Ahus")
    answer = publish_page(
        "procedure",
        "ahus",
        "Legemiddelsamstemming ved innleggelse",
        "Sykehuset og kommunene rundt Ahus gjør legemiddelsamstemming når pasienten legges inn.",
    )
    shared = publish_page(
        "recommendation",
        "sentral",
        "Legemiddelliste ved overganger",
        "Hvem oppdaterer pasientens liste over legemidler når pasienten flytter mellom tjenestene.",
        body_text="Fastlegen har ansvaret for listen. Sykehuset gjør legemiddelsamstemming ved "
        "innleggelse, og kommunen gjør den når pasienten kommer hjem igjen.",
    )
    place = publish_page(
        "procedure",
        "ahus",
        "Vaksinasjon av ansatte",
        "Slik tilbyr kommunene og sykehuset i Ahus-området vaksine til ansatte.",
        body_text="Ahus sender tilbudet til alle ansatte i oktober.",
    )
    # The community's name is common (its pages' taxonomy), the subject rare, as on the demo.
    for subject in ("sår", "fall", "ernæring", "smerte"):
        publish_page(
            "procedure", "ahus", f"Veileder om {subject}", f"Kommunene har en veileder om {subject}."
        )
        publish_page("procedure", "oslo", f"Rutine for {subject}", f"Bydelene har en rutine for {subject}.")
    titles = _titles(backend, "legemiddelsamstemming Ahus")
    assert titles[0] == answer.title
    assert titles.index(shared.title) < titles.index(place.title)
