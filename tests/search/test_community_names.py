"""A community named in a query is one place, however many words its name has (issue #15:
community queries, bench/community_judged.json)."""

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


def test_a_community_s_name_of_one_word_is_a_word_of_the_query_as_before():
    ensure_community("ahus", "Helsefellesskapet Ahus-området", short_name="Ahus")
    ensure_community("sentral", "Felles innhold", short_name="Felles")
    assert queries.community_groups() == []
    assert _stems(queries.parse("demensutredning Ahus").concepts[1]) == [("ahus",)]


@pytest.fixture(params=BACKENDS)
def backend(request, db):
    if request.param == "elasticsearch":
        request.getfixturevalue("elasticsearch")
    return request.param


def test_the_place_does_not_outweigh_the_subject(backend):
    """«palliasjon hjemme Vestre Viken»: the other community's page on palliative care at home
    comes before the named community's page on another subject, which has the name in its
    summary and its taxonomy (the community's name) and nothing of the subject."""
    from search import indexing
    from search.backends import elastic
    from search.service import run_search

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
    if backend == "elasticsearch":
        elastic.rebuild(indexing.document_for(page) for page in indexing.searchable_pages())
    result = run_search("palliasjon hjemme Vestre Viken")
    assert result.backend == backend
    titles = [hit.title for hit in result.hits]
    assert titles[0] == answer.title
    assert titles.index(subject.title) < titles.index(place.title)
