"""The database backend at scale: cached answers that never go stale, and ranking many matches."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import queries
from search.backends import database
from search.backends.database import postgres as pg
from search.backends.database import sqlite
from search.backends.database.common import grouped_facet_counts
from search.service import run_search
from tests.search.conftest import publish_page

pytestmark = pytest.mark.django_db

FULLTEXT_MARKS = ("search_fts MATCH", "to_tsquery(")


def fulltext_queries(captured):
    return [q["sql"] for q in captured.captured_queries if any(m in q["sql"] for m in FULLTEXT_MARKS)]


def test_a_repeated_search_is_answered_without_searching_again(pages):
    first = run_search("legemidler")
    with CaptureQueriesContext(connection) as captured:
        again = run_search("legemidler")
    assert fulltext_queries(captured) == []
    assert [h.title for h in again.hits] == [h.title for h in first.hits]
    assert again.total == first.total and again.facets == first.facets


def test_publishing_retires_cached_answers_at_once(pages):
    before = run_search("legemidler")
    publish_page(
        "procedure",
        "ahus",
        "Legemidler i multidose",
        "Multidose fra apoteket for pasienter med mange legemidler.",
        topics=["legemidler"],
    )
    after = run_search("legemidler")
    assert after.total == before.total + 1
    assert "Legemidler i multidose" in [h.title for h in after.hits]
    assert {f.value: f.count for f in after.facets["community"]}["ahus"] == 1


def test_an_edited_page_shows_its_new_snippet_at_once(pages):
    before = {h.title: h.snippet for h in run_search("legemiddelliste").hits}
    page = pages["felles"]
    page.summary = "Pasientens legemiddelliste følger pasienten ved hver overgang mellom nivåene."
    page.save_revision().publish()
    after = {h.title: h.snippet for h in run_search("legemiddelliste").hits}
    assert before[page.title] != after[page.title]
    assert "følger pasienten ved hver overgang" in after[page.title]
    assert "<mark>legemiddelliste</mark>" in after[page.title]


def test_unpublishing_retires_cached_answers_at_once(pages):
    assert run_search("BUP").total == 1
    pages["bup"].unpublish()
    result = run_search("BUP")
    assert result.total == 0 and result.hits == []


def test_a_cached_answer_never_shows_a_page_that_went_offline_without_a_signal(pages):
    from wagtail.models import Page

    assert [h.title for h in run_search("BUP").hits] == ["Henvisning til BUP"]
    Page.objects.filter(pk=pages["bup"].pk).update(live=False)  # a script, no signals
    assert run_search("BUP").hits == []


def test_the_finding_expression_checks_no_word_positions():
    parsed = queries.parse("barn som pårørende")
    assert "<->" in pg.tsquery(parsed)  # ranking: the words together count
    assert "<->" not in pg.tsquery(parsed, phrase=False)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_synonym_of_several_words_counts_on_postgresql_only_where_the_words_stand_together(pages):
    """ts_rank scores each word of its query a page has: without the phrase's own test, a page with
    «rus», «psykisk» and «lidelse» apart in its title outranked the page with the phrase."""
    from search.models import Synonym

    Synonym.objects.update_or_create(
        term="ROP", defaults={"synonyms": "rus og psykisk lidelse", "one_way": False}
    )
    publish_page(
        "procedure",
        "oslo",
        "Rus i familien: psykisk helse, lidelse og mestring",
        "Når en forelder drikker, får barna hjelp av helsestasjonen.",
    )
    publish_page(
        "procedure",
        "oslo",
        "Oppfølging etter utskrivning",
        "Pasienter med rus og psykisk lidelse følges opp av kommunen.",
    )
    assert [h.title for h in run_search("ROP").hits] == [
        "Oppfølging etter utskrivning",
        "Rus i familien: psykisk helse, lidelse og mestring",
    ]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_synonym_of_several_words_counts_as_one_word_on_postgresql(pages):
    """A phrase weighs what one word does, as in FTS5 and Elasticsearch: counted as its three
    words, an abbreviation's expansion in one page's title outweighed the abbreviation in another
    page's title and summary."""
    from search.models import Synonym

    Synonym.objects.update_or_create(term="KAD", defaults={"synonyms": "kommunal akutt døgnplass"})
    publish_page("procedure", "vestre-viken", "KAD i Bærum", "Legevakten legger pasienten inn på KAD.")
    publish_page(
        "procedure",
        "vestre-viken",
        "Kommunal akutt døgnplass om vinteren",
        "Legevakten legger pasienten inn.",
    )
    assert [h.title for h in run_search("KAD").hits] == [
        "KAD i Bærum",
        "Kommunal akutt døgnplass om vinteren",
    ]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_compounds_parts_count_on_postgresql_only_on_a_page_that_has_them_all(pages):
    """A query's compound is itself or all of its parts anywhere (*slagrehabilitering*: *slag* and
    *rehabilitering*). ts_rank scored each part a page had: the page with *rehabilitering* alone in
    its title came before the page about rehabilitation after a stroke, as FTS5 never ranks it."""
    publish_page(
        "procedure",
        "oslo",
        "Rehabilitering i hjemmet",
        "Hverdagsmestring for eldre som bor hjemme.",
    )
    publish_page(
        "procedure",
        "ahus",
        "Oppfølging etter utskrivning",
        "Rehabilitering etter slag fortsetter hjemme med kommunens ergoterapeut.",
    )
    titles = [h.title for h in run_search("slagrehabilitering hjemme").hits]
    assert titles[0] == "Oppfølging etter utskrivning"
    assert "Rehabilitering i hjemmet" in titles[1:]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_rare_word_outweighs_a_common_one_on_postgresql(pages):
    """ts_rank weighs every word alike: a page with the common word in its title came before the
    only page with the rare one in its summary."""
    for n in range(4):
        publish_page("procedure", "oslo", f"Rutine {n} for pasienten", "Pasienten får hjelp av kommunen.")
    publish_page("procedure", "oslo", "Pasient og pasientens pårørende", "Slik informeres pasienten.")
    publish_page("procedure", "ahus", "Kartlegging i kommunen", "Utredning ved mistanke om demens hos eldre.")
    assert run_search("demens pasient").hits[0].title == "Kartlegging i kommunen"


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_common_word_in_a_title_does_not_outweigh_the_rare_word_in_a_body_on_postgresql(pages):
    """ts_rank counts a word in a title as ten in a body: with the rarity alone, the pages with the
    common word in their titles came before the one page that mentions the rare word, in its body.
    Each concept's score is saturated (``postgres.SATURATION``) as BM25 saturates a word's count."""
    for n in range(4):
        publish_page("procedure", "oslo", f"Rutine {n} for pasienten", "Pasienten får hjelp av kommunen.")
    publish_page("procedure", "oslo", "Pasienten og pasientens pårørende", "Slik informeres pasienten.")
    publish_page(
        "procedure",
        "ahus",
        "Kartlegging i kommunen",
        "Hjemmesykepleien kartlegger behovene etter utskrivning.",
        body_text="Ved mistanke om demens tar fastlegen kontakt med minneklinikken.",
    )
    assert run_search("demens pasient").hits[0].title == "Kartlegging i kommunen"


def frequency_counts(text):
    """The statements of a search that count how many pages have its concepts (PostgreSQL)."""
    with CaptureQueriesContext(connection) as captured:
        run_search(text)
    return [sql for sql in fulltext_queries(captured) if "COUNT(*)" in sql and "GROUP BY" not in sql]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_only_a_search_of_several_concepts_counts_how_rare_each_is_on_postgresql(pages):
    """The rarity weight orders a query's concepts against each other; the one concept of a
    one-word search would be weighed against nothing, so it is not counted."""
    assert frequency_counts("legemidler") == []
    # Each word, the two together and the number of pages: one statement, not a query each.
    [counting] = frequency_counts("demens pasient")
    assert counting.count("@@") == 3 and counting.count("COUNT(*)") == 4
    # The same words in the other order: only their phrase is new, the rest is kept.
    [counting] = frequency_counts("pasient demens")
    assert counting.count("@@") == 1 and counting.count("COUNT(*)") == 1


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_how_rare_a_query_s_concepts_are_is_remembered_past_a_publish_on_postgresql(pages):
    """A publish retires the answers, not the counts (``params.COUNTS_SECONDS``): the next search
    finds the new page without counting its concepts again."""
    [counting] = frequency_counts("demens pasient")
    publish_page("procedure", "ahus", "Demens hos pasient i kommunen", "Oppfølging av demens.")
    assert frequency_counts("demens pasient") == []
    assert "Demens hos pasient i kommunen" in [h.title for h in run_search("demens pasient").hits]
    cache.clear()  # as when the counts' time is up
    assert frequency_counts("demens pasient") == [counting]


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_synonym_no_page_has_is_left_out_of_the_search_until_a_page_has_it_on_sqlite(pages):
    """«medikament» is a synonym of «legemidler» no page uses yet: FTS5 would work out its score
    for every match and find nothing with it. Published on a page, it finds that page at once."""
    parsed = queries.parse("legemidler")
    absent = sqlite.absent_terms(parsed)
    assert ("medikament", True) in absent and ("legemidl", True) not in absent
    assert '"medikament"*' in sqlite.match_expression(parsed)
    assert '"medikament"*' not in sqlite.match_expression(parsed, absent)
    assert '"legemidl"*' in sqlite.match_expression(parsed, absent)
    before = {h.title for h in run_search("legemidler").hits}
    publish_page("procedure", "oslo", "Medikamenter i sykehjem", "Rutiner for utdeling.")
    assert ("medikament", True) not in sqlite.absent_terms(parsed)
    assert {h.title for h in run_search("legemidler").hits} == {*before, "Medikamenter i sykehjem"}


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_repeated_search_does_not_ask_again_which_of_its_terms_fts5_has(pages, monkeypatch):
    """Which terms are on no page matters only to the search FTS5 makes: the answer is kept under
    the whole expression, and a repeat is answered without asking."""
    asked = []

    def absent_terms(parsed):
        asked.append(parsed.text)
        return real(parsed)

    real = sqlite.absent_terms
    monkeypatch.setattr(sqlite, "absent_terms", absent_terms)
    first = run_search("legemidler")
    again = run_search("legemidler")
    assert asked == ["legemidler"]
    assert [h.title for h in again.hits] == [h.title for h in first.hits] and first.hits
    publish_page("procedure", "oslo", "Legemidler i sykehjem", "Rutiner for utdeling.")
    assert "Legemidler i sykehjem" in [h.title for h in run_search("legemidler").hits]
    assert asked == ["legemidler", "legemidler"]


@pytest.mark.skipif("connection.vendor != 'sqlite'")
@pytest.mark.parametrize(
    "text",
    [
        "legemidler",
        "kronisk obstruktiv lungesykdom",
        "hvem har ansvar for legemiddelsamstemming ved utskrivning?",
        "eldre pasient skrives ut, legemidler, multidose, hjemmesykepleien og fastlegen følger opp",
    ],
)
def test_leaving_out_terms_no_page_has_ranks_as_with_every_term_on_sqlite(pages, text):
    parsed = queries.parse(text)
    pruned = sqlite.match_expression(parsed, sqlite.absent_terms(parsed))
    whole = sqlite.match_expression(parsed)
    assert pruned != whole  # each of these queries has a synonym no page uses
    answer = sqlite.answer(pruned, {}, [], 0, 50)
    assert answer["ids"]
    assert answer == sqlite.answer(whole, {}, [], 0, 50)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_many_matches_rank_title_hits_first_and_count_every_match(pages, monkeypatch):
    monkeypatch.setattr(pg, "EXACT_RANK_LIMIT", 2)
    monkeypatch.setattr(pg, "RANK_CANDIDATES", 3)
    for n in range(5):
        publish_page(
            "recommendation",
            "oslo",
            f"Samarbeid om ernæring {n}",
            "Kommune og sykehus deler ansvaret.",
            body_text="Pasienter som får sondeernæring følges opp av hjemmesykepleien." * (n + 1),
        )
    publish_page("procedure", "ahus", "Sondeernæring i hjemmet", "Stell av sonde og pumpe.")
    result = run_search("sondeernæring", per_page=2)
    assert result.total == 6
    assert {f.value: f.count for f in result.facets["type"]} == {"recommendation": 5, "procedure": 1}
    assert result.hits[0].title == "Sondeernæring i hjemmet"
    # Paging through the candidates and past them shows every match exactly once.
    seen = [h.title for p in (1, 2, 3) for h in run_search("sondeernæring", page=p, per_page=2).hits]
    assert sorted(seen) == sorted(
        ["Sondeernæring i hjemmet"] + [f"Samarbeid om ernæring {n}" for n in range(5)]
    )


def test_facet_counts_are_disjunctive_in_one_pass(pages):
    result = run_search("legemidler", filters={"community": ["oslo"], "topic": ["legemidler"]})
    counts = {name: {f.value: f.count for f in values} for name, values in result.facets.items()}
    # Community counts ignore the community filter (but keep the topic filter), and so on.
    assert counts["community"] == {"oslo": 1, "sentral": 1}
    assert counts["topic"]["legemidler"] == 1
    assert result.total == 1


def test_facets_are_counted_from_groups_of_documents_with_the_same_facets():
    groups = {
        database.facet_key(["type:procedure", "community:oslo", "topic:legemidler"]): 3,
        database.facet_key(["type:procedure", "community:ahus", "topic:legemidler", "topic:demens"]): 2,
        database.facet_key(["type:recommendation", "community:oslo"]): 4,
    }
    counts, allowed = grouped_facet_counts(groups, {"type": ["procedure"], "topic": ["demens"]}, [])
    assert counts["type"] == {"procedure": 2}  # types of what has the topic
    assert counts["topic"] == {"legemidler": 5, "demens": 2}  # topics of the procedures
    assert counts["community"] == {"ahus": 2}
    assert [groups[key] for key in allowed] == [2]
    counts, allowed = grouped_facet_counts(groups, {}, ["oslo"])
    assert counts["type"] == {"procedure": 3, "recommendation": 4} and len(allowed) == 2


def test_spelling_help_learns_new_words_as_soon_as_they_are_published(pages):
    assert run_search("trakeostomistel").suggestion == ""
    publish_page("procedure", "oslo", "Trakeostomistell hjemme", "Stell av trakeostomi.")
    assert run_search("trakeostomistel").suggestion == "trakeostomistell"


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_score_that_reads_each_vector_once_ranks_as_one_that_reads_it_every_time(pages, monkeypatch):
    """A long question's score reads each match's vector once (``postgres._ReadVectorOnce``): the
    same scores, so the same order, as reading it for every ts_rank and phrase test."""
    publish_page("procedure", "oslo", "Ansvar ved utskrivning", "Hvem gjør hva når pasienten skrives ut.")
    publish_page("recommendation", "ahus", "Rus og psykisk helse", "Oppfølging av rus etter utskrivning.")
    publish_page(
        "procedure", "sentral", "Legemidler i hjemmet", "Ansvar for legemiddelsamstemming i kommunen."
    )

    def ranked(question):
        database.note_change()
        with CaptureQueriesContext(connection) as captured:
            result = run_search(question)
        read_once = any(") AS ranked)" in sql for sql in fulltext_queries(captured))
        return [hit.title for hit in result.hits], read_once

    question = "hvem har ansvar for legemiddelsamstemming ved utskrivning eller oppfølging av rus?"
    once, read_once = ranked(question)
    monkeypatch.setattr(pg, "READ_ONCE_USES", 1000)
    every_time, read_every_time = ranked(question)
    assert read_once and not read_every_time
    assert len(once) >= 5 and once == every_time


def test_snippets_are_made_again_only_when_a_publish_changed_one_of_the_hits(pages, monkeypatch):
    """Snippets are kept under the hits' texts and the query's words, not the index version: a
    publish retires the answer, but the snippets of hits it did not change are not made again."""
    from search import snippets

    made = []
    make = snippets.snippet
    monkeypatch.setattr(
        snippets, "snippet", lambda document, *args: made.append(document.title) or make(document, *args)
    )
    before = {h.title: h.snippet for h in run_search("legemiddelliste").hits}
    assert len(before) >= 2 and sorted(made) == sorted(before)
    made.clear()
    publish_page("procedure", "ahus", "Henvisning til fysioterapi", "Fysioterapeuten tar imot henvisninger.")
    assert {h.title: h.snippet for h in run_search("legemiddelliste").hits} == before
    assert made == []
    page = pages["felles"]
    page.summary = "Pasientens legemiddelliste følger pasienten ved hver overgang mellom nivåene."
    page.save_revision().publish()
    after = {h.title: h.snippet for h in run_search("legemiddelliste").hits}
    assert sorted(made) == sorted(after)
    assert "følger pasienten ved hver overgang" in after[page.title]
    assert {t: s for t, s in after.items() if t != page.title} == {
        t: s for t, s in before.items() if t != page.title
    }


def test_a_new_synonym_is_marked_in_the_snippets_at_once(pages):
    from search.models import Synonym

    title = pages["samstemming"].title
    before = {h.title: h.snippet for h in run_search("legemiddelliste").hits}[title]
    assert "<mark>legemiddellisten</mark>" in before and "<mark>Fastlegen</mark>" not in before
    Synonym.objects.create(term="medisinkortet", synonyms="legemiddelliste\nfastlege")
    after = {h.title: h.snippet for h in run_search("legemiddelliste").hits}[title]
    assert "<mark>Fastlegen</mark> oppdaterer <mark>legemiddellisten</mark>" in after
