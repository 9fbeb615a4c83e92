"""PostgreSQL's per-word bitmaps: they answer exactly what PostgreSQL's own matching answers, and
stay in step with every publish, edit, move, unpublish and rebuild."""

import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from search import indexing, queries
from search.backends import database
from search.backends.database import postgres as pg
from search.backends.database import postings
from search.models import SearchDocument
from search.service import run_search
from tests.search.conftest import publish_page

needs_postgres = pytest.mark.skipif("connection.vendor != 'postgresql'")

QUERIES = [
    "legemidler",
    "legemiddelsamstemming ved utskrivning",
    "hvem har ansvar for legemiddelsamstemming ved utskrivning?",
    "KOLS",
    "kronisk obstruktiv lungesykdom",
    "BUP",
    "fall eldre",
    "barn som pårørende",
    "hjemmesykepleien",
    "xylofonterapi",
]
FILTERS = [
    ({}, []),
    ({"type": ["procedure"]}, []),
    ({"community": ["oslo"], "type": ["procedure", "recommendation"]}, []),
    ({"topic": ["legemidler"]}, ["oslo", "sentral"]),
    ({}, ["ahus", "sentral"]),
]


# ---------------------------------------------------------------------------------- bitmaps


@pytest.mark.parametrize("ids", [[7], [0, 1, 2, 3], list(range(100, 5000, 3)), [5, 90_000, 4_000_000]])
def test_a_set_of_ids_survives_storage_in_either_form(ids):
    bits = postings.bitmap(ids)
    assert bits.bit_count() == len(ids)
    assert postings.decode(*postings.encode(bits)) == bits
    # Counted from the lowest id in the index, as searches do.
    origin = min(ids) & ~7
    assert postings.decode(*postings.encode(bits), origin) == bits >> origin
    assert sorted(postings.ids_of(bits)) == sorted(ids)


@pytest.mark.parametrize("ids", [[3, 9, 20], list(range(0, 4000, 2))])
def test_ids_below_the_lowest_document_are_dropped_not_shifted_negatively(ids):
    """A stored set may still name ids below today's lowest document (deleted since)."""
    origin = 16
    stored = postings.encode(postings.bitmap(ids))
    kept = [i - origin for i in ids if i >= origin]
    assert postings.decode(*stored, origin) == postings.bitmap(kept)


def test_rare_words_are_stored_as_lists_and_common_ones_as_bitmaps():
    rare = postings.bitmap([10, 50_000, 99_000])
    common = postings.bitmap(range(0, 100_000, 2))
    assert postings.encode(rare)[2] is False and len(postings.encode(rare)[1]) == 12
    assert postings.encode(common)[2] is True and len(postings.encode(common)[1]) <= 100_000 // 8


def test_ids_come_highest_first_and_can_be_limited():
    bits = postings.bitmap([3, 900, 41, 12_000])
    assert postings.ids_of(bits) == [12_000, 900, 41, 3]
    assert postings.ids_of(bits, 2) == [12_000, 900]
    assert postings.ids_of(0) == []


def test_postgresql_query_text_becomes_a_tree():
    tree = postings.parse_tsquery("'ansv':* | 'samstemming' & 'legemidl' | ( 'kol' | 'it''s' )")
    assert tree == (
        "or",
        [
            ("prefix", "ansv"),
            ("and", [("word", "samstemming"), ("word", "legemidl")]),
            ("or", [("word", "kol"), ("word", "it's")]),
        ],
    )
    assert postings.parse_tsquery("") is None


@pytest.mark.parametrize(
    "text", ["!'fall'", "'fall' <-> 'eldr'", "'fall' <2> 'eldr'", "'fall':A", "'fall' &", "('fall'"]
)
def test_what_bitmaps_cannot_answer_exactly_is_left_to_sql(text):
    with pytest.raises(postings.Unsupported):
        postings.parse_tsquery(text)


def test_a_tree_is_evaluated_with_and_or_and_prefixes():
    words = {"legemidl": 0b0110, "legemiddelsamstemming": 0b1000, "fall": 0b0011}
    assert postings.evaluate(("prefix", "legemid"), words) == 0b1110
    assert postings.evaluate(("and", [("word", "legemidl"), ("word", "fall")]), words) == 0b0010
    assert postings.evaluate(("or", [("word", "ukjent"), ("word", "fall")]), words) == 0b0011


def test_ranking_candidates_are_those_with_most_concepts_in_the_title_first(monkeypatch):
    monkeypatch.setattr(pg, "CANDIDATE_LIMIT", 3)
    monkeypatch.setattr(pg, "RANK_CANDIDATES", 2)
    found = postings.bitmap(range(1, 11))
    title = [postings.bitmap([2, 3]), postings.bitmap([3, 4])]  # 3 has both concepts in its title
    head = [postings.bitmap([5]), postings.bitmap([])]
    anywhere = [found, found]
    assert postings.ids_of(pg._candidates(found, [title, head, anywhere])) == [4, 3, 2]
    monkeypatch.setattr(pg, "CANDIDATE_LIMIT", 1)
    assert postings.ids_of(pg._candidates(found, [title, head, anywhere])) == [3]
    monkeypatch.setattr(pg, "CANDIDATE_LIMIT", 3)
    # A tier that does not fit is cut, most recently indexed first; nothing beyond the limit.
    title = [postings.bitmap([3]), postings.bitmap([])]
    head = [postings.bitmap([5, 6, 7, 8]), postings.bitmap([])]
    assert postings.ids_of(pg._candidates(found, [title, head, anywhere])) == [8, 7, 3]


def test_matches_beyond_the_ranked_ones_follow_in_tier_order_without_gaps_or_repeats():
    found = postings.bitmap(range(1, 11))
    tiers = [[postings.bitmap([3])], [postings.bitmap([5, 6])], [found]]
    everything = pg._in_tier_order(found, tiers, 0, 100)
    assert everything == [3, 6, 5, 10, 9, 8, 7, 4, 2, 1]
    for skip in range(11):
        for take in range(1, 5):
            assert pg._in_tier_order(found, tiers, skip, take) == everything[skip : skip + take]


# ---------------------------------------------------------------------------------- the same answers


def sql_answer(match, rank, filters, scope, concepts, offset=0, limit=10):
    """The answer of PostgreSQL's own matching and counting (the path the bitmaps replaced)."""
    with transaction.atomic(), connection.cursor() as cursor:
        clauses, params = pg._pg_conditions(filters, scope)
        match_clause = ["d.search_vector @@ to_tsquery('norwegian', %s)"]
        facets = pg._facet_counts_postgres(cursor, match_clause, [match], filters, scope)
        total = pg._total(facets, filters)
        where = " AND ".join(match_clause + clauses)
        ids = pg._ranked_ids(cursor, where, [match, *params], rank, total, offset, limit, scope)
    return {"ids": ids, "total": total, "facets": facets}


def bitmap_answer(match, rank, filters, scope, concepts, offset=0, limit=10):
    with transaction.atomic(), connection.cursor() as cursor:
        return pg._search_postings(cursor, match, rank, filters, scope, offset, limit, concepts)


def expressions(text):
    parsed = queries.parse(text)
    return pg.expressions(parsed)


@needs_postgres
@pytest.mark.parametrize("text", QUERIES)
def test_bitmaps_find_and_count_what_postgresql_finds_and_counts(pages, text):
    match, rank, concepts = expressions(text)
    for filters, scope in FILTERS:
        assert bitmap_answer(match, rank, filters, scope, concepts) == sql_answer(
            match, rank, filters, scope, concepts
        ), (text, filters, scope)


@needs_postgres
@pytest.mark.parametrize("match", ["fall & !barn", "hjemmeboende <-> eldre"])
def test_a_query_with_negation_or_word_positions_is_answered_by_sql(pages, match):
    with transaction.atomic(), connection.cursor() as cursor:
        with pytest.raises(postings.Unsupported):
            pg._search_postings(cursor, match, match, {}, [], 0, 10, None)
    result = database.search(match, {}, [], 0, 10, rank=match)
    assert [d.title for d in result["documents"]] == ["Forebygging av fall hos eldre"]
    assert result["total"] == sql_answer(match, match, {}, [], None)["total"] == 1


# ---------------------------------------------------------------------------------- in step


def table():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tier, term, base, data, dense FROM search_posting")
        return {
            (tier, term): postings.decode(base, data, dense)
            for tier, term, base, data, dense in cursor.fetchall()
        }


def rebuilt_table():
    with transaction.atomic():
        postings.rebuild(connection)
        rebuilt = table()
        transaction.set_rollback(True)
    return rebuilt


@needs_postgres
def test_every_change_to_the_pages_keeps_the_bitmaps_as_a_rebuild_would_make_them(pages):
    page = publish_page(
        "procedure", "ahus", "Sondeernæring i hjemmet", "Stell av sonde.", topics=["legemidler"]
    )
    assert table() == rebuilt_table()
    page.title = "Ernæring via sonde"  # the old title word leaves the title tier
    page.save_revision().publish()
    assert table() == rebuilt_table()
    page.move(pages["bup"].get_parent(), pos="last-child")  # from ahus to oslo
    assert table() == rebuilt_table()
    pages["kols"].unpublish()
    Page.objects.get(pk=pages["fall"].pk).delete()
    assert table() == rebuilt_table()
    words = {term for tier, term in table() if tier == postings.TITLE}
    assert "ernæring" in words and "sondeernæring" not in words
    assert not any(term.startswith("obstruktiv") for tier, term in table() if tier == postings.TITLE)


@needs_postgres
def test_a_rebuild_builds_the_bitmaps_in_one_pass(pages):
    before = table()
    call_command("rebuild_search_index", no_progress=True, stdout=open("/dev/null", "w"))
    after = table()
    # Same words and facet values, the same pages behind them (ids are new after a rebuild).
    assert set(after) == set(before)
    page_of = dict(SearchDocument.objects.values_list("pk", "page_id"))
    assert {key: len(postings.ids_of(bits)) for key, bits in after.items()} == {
        key: len(postings.ids_of(bits)) for key, bits in before.items()
    }
    assert {page_of[i] for i in postings.ids_of(after[(postings.FACET, "community:oslo")])} == {
        pages["samstemming"].pk,
        pages["bup"].pk,
    }
    result = run_search("legemidler")
    assert result.total == 2  # found from bitmaps that now start at the new, higher ids
    assert {h.title for h in result.hits} == {
        "Legemiddelsamstemming ved utskrivning",
        "Felles anbefaling om legemiddelliste",
    }


@needs_postgres
def test_many_matches_page_through_every_match_once_when_candidates_are_few(pages, monkeypatch):
    monkeypatch.setattr(pg, "EXACT_RANK_LIMIT", 2)
    monkeypatch.setattr(pg, "RANK_CANDIDATES", 3)
    monkeypatch.setattr(pg, "CANDIDATE_LIMIT", 4)
    titles = [f"Sondeernæring del {n}" for n in range(4)] + [f"Samarbeid {n}" for n in range(3)]
    for title in titles:
        publish_page("recommendation", "oslo", title, "Om sondeernæring i kommunen.")
    result = run_search("sondeernæring", per_page=2)
    assert result.total == 7
    assert result.hits[0].title.startswith("Sondeernæring")
    seen = [h.title for p in (1, 2, 3, 4) for h in run_search("sondeernæring", page=p, per_page=2).hits]
    assert sorted(seen) == sorted(titles)


def package(tmp_path, titles):
    items = [
        {
            "uid": f"pakke-{n}",
            "type": "procedure",
            "community": "ahus",
            "title": title,
            "summary": f"Om {title.lower()} i kommunen.",
            "body": "<p>Fastlegen og hjemmesykepleien samarbeider.</p>",
            "topics": ["legemidler"],
        }
        for n, title in enumerate(titles)
    ]
    path = tmp_path / f"pakke-{len(titles)}.json"
    path.write_text(json.dumps({"format": "kompetanse-package", "version": 1, "items": items}), "utf-8")
    return str(path)


@needs_postgres
def test_an_import_writes_the_shared_rows_once_at_its_end_and_keeps_them_in_step(
    pages, tmp_path, monkeypatch
):
    monkeypatch.setattr(indexing, "BATCH_FLUSH_SIZE", 1)  # index page by page within the import
    with CaptureQueriesContext(connection) as captured:
        call_command("import_content", package(tmp_path, ["Sondeernæring", "Trakeostomi", "Stomistell"]))
    sql = [q["sql"] for q in captured.captured_queries]
    assert sum("pg_advisory_xact_lock" in q for q in sql) == 1
    assert sum("INSERT INTO search_posting" in q for q in sql) == 1
    assert table() == rebuilt_table()
    # A second import changes two of the pages: the old title words leave the title tier.
    call_command("import_content", package(tmp_path, ["Ernæring på sonde", "Trakeostomi"]))
    assert table() == rebuilt_table()
    assert run_search("sondeernæring").total == 0 and run_search("ernæring").total == 1
