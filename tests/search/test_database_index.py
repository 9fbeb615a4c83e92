"""The database index is kept by ordinary database full text (PostgreSQL: tsvector fields with GIN
indexes; SQLite: FTS5), fed from one analysis chain. It stays in step with every publish, edit,
move, unpublish, import and rebuild (two publishes at once: test_concurrent_writes.py); on PostgreSQL a query
that matches very many pages still counts every match and pages through each exactly once."""

import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from search import indexing, queries
from search.analysis import stem
from search.backends import database
from search.backends.database import postgres as pg
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


# ---------------------------------------------------------------------------------- one analysis chain


def index_state():
    """{page id: (facet key, what the full-text index holds for it)}, on either database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT page_id, facet_key, search_vector::text, title_vector::text FROM search_searchdocument"
            )
        else:
            cursor.execute(
                "SELECT d.page_id, d.facet_key, f.title, f.summary, f.taxonomy, f.body"
                " FROM search_searchdocument d JOIN search_fts f ON f.rowid = d.id"
            )
        return {row[0]: row[1:] for row in cursor.fetchall()}


def rebuilt_state():
    with transaction.atomic():
        call_command("rebuild_search_index", no_progress=True, stdout=open("/dev/null", "w"))
        rebuilt = index_state()
        transaction.set_rollback(True)
    return rebuilt


@needs_postgres
def test_postgresql_indexes_the_stems_of_the_python_analysis_chain(pages):
    """The same words as SQLite's FTS5 (and the query side's stems): PostgreSQL adds no stemming."""
    document = SearchDocument.objects.get(page=pages["samstemming"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array(SELECT lexeme FROM unnest(search_vector) ORDER BY lexeme),"
            " array(SELECT lexeme FROM unnest(title_vector) ORDER BY lexeme)"
            " FROM search_searchdocument WHERE id = %s",
            [document.pk],
        )
        lexemes, title = cursor.fetchone()
    assert set(title) == {stem("legemiddelsamstemming"), stem("utskrivning"), "legemidl", "samstemming"} - {
        ""
    }
    assert {stem("legemidlene"), stem("fastlegen"), stem("oppdaterer")} <= set(lexemes)
    assert "ved" not in lexemes and "legemidlene" not in lexemes  # stop words out, stems in


def test_every_change_to_the_pages_keeps_the_index_as_a_rebuild_would_make_it(pages):
    page = publish_page(
        "procedure", "ahus", "Sondeernæring i hjemmet", "Stell av sonde.", topics=["legemidler"]
    )
    assert index_state() == rebuilt_state()
    page.title = "Ernæring via sonde"  # the old title word leaves the title
    page.save_revision().publish()
    assert index_state() == rebuilt_state()
    page.move(pages["bup"].get_parent(), pos="last-child")  # from ahus to oslo
    assert index_state() == rebuilt_state()
    pages["kols"].unpublish()
    Page.objects.get(pk=pages["fall"].pk).delete()
    assert index_state() == rebuilt_state()
    assert [h.title for h in run_search("ernæring").hits] == ["Ernæring via sonde"]
    assert run_search("sondeernæring", filters={"community": ["ahus"]}).total == 0


@needs_postgres
@pytest.mark.parametrize("text", ["fall & !barn", "hjemmeboende <-> eldre"])
def test_a_query_with_negation_or_word_positions_is_answered(pages, text):
    match = " ".join(stem(part) if part.isalpha() else part for part in text.split())
    result = database.search(match, {}, [], 0, 10, rank=match)
    assert [d.title for d in result["documents"]] == ["Forebygging av fall hos eldre"]
    assert result["total"] == 1


@needs_postgres
def test_the_bitmap_index_and_its_columns_are_gone(db):
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        columns = {
            c.name for c in connection.introspection.get_table_description(cursor, "search_searchdocument")
        }
        constraints = connection.introspection.get_constraints(cursor, "search_searchdocument")
    assert "search_posting" not in tables
    assert not {"head_vector", "facet_values"} & columns
    assert {"search_vector", "title_vector"} <= columns
    gin = {name for name, c in constraints.items() if c.get("type") == "gin"}
    assert gin == {"search_document_vector", "search_document_title_vector"}


@needs_postgres
def test_the_gin_indexes_keep_a_short_list_of_words_not_yet_moved_in(pages):
    # Every search reads a GIN index's pending list whole (migration 0022). Forty rewrites of a
    # page's vectors, 300 new words each, as publishes between two vacuums make them.
    page_id = SearchDocument.objects.values_list("pk", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
        for rewrite in range(40):
            text = " ".join(f"ord{rewrite}x{n}" for n in range(300))
            cursor.execute(
                "UPDATE search_searchdocument SET search_vector = to_tsvector('simple', %s),"
                " title_vector = to_tsvector('simple', %s) WHERE id = %s",
                [text, text, page_id],
            )
        pending = {}
        for index in ("search_document_vector", "search_document_title_vector"):
            cursor.execute("SELECT pending_pages FROM pgstatginindex(%s::regclass)", [index])
            pending[index] = cursor.fetchone()[0]
    # 64 kB is eight pages of 8 kB; with PostgreSQL's default (4 MB) the list kept all forty
    # rewrites, 70 pages.
    assert max(pending.values()) <= 8, pending


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_reads_each_match_from_the_narrow_index_not_from_its_document_row(pages):
    from core.database import refresh_statistics
    from search.backends.database import sqlite

    refresh_statistics()  # as after every migration, import and rebuild
    with CaptureQueriesContext(connection) as captured:
        sqlite.answer(sqlite.match_expression(queries.parse("legemidler ved utskrivning")), {}, [], 0, 10)
    [ranking] = [q["sql"] for q in captured.captured_queries if "bm25" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + ranking)
        plan = [row[-1] for row in cursor.fetchall()]
    # Looked up by id for each match (many pages), or scanned whole when there are few.
    [reading_d] = [step for step in plan if " d " in f" {step} "]
    assert "d USING COVERING INDEX search_document_match_columns" in reading_d


# ---------------------------------------------------------------------------------- many matches


def exact_answer(text, filters, scope, offset=0, limit=10):
    """PostgreSQL's answer with every match ranked in full."""
    match, rank = pg.expressions(queries.parse(text))
    return pg.answer(match, rank, filters, scope, offset, limit)


def bounded_answers(text, filters, scope, page_size):
    """Every page of PostgreSQL's answer when only a few candidates are ranked (set by the caller)."""
    match, rank = pg.expressions(queries.parse(text))
    first = pg.answer(match, rank, filters, scope, 0, page_size)
    pages = [first]
    for offset in range(page_size, first["total"], page_size):
        pages.append(pg.answer(match, rank, filters, scope, offset, page_size))
    return pages


def few_ranked(patched):
    """Beyond two matches, four title matches are the candidates and the best three come first."""
    patched.setattr(pg, "EXACT_RANK_LIMIT", 2)
    patched.setattr(pg, "RANK_CANDIDATES", 3)
    patched.setattr(pg, "CANDIDATE_LIMIT", 4)


def assert_bounded_ranking_counts_and_pages_exactly(texts, filters_and_scopes, monkeypatch, page_size=3):
    for text in texts:
        for filters, scope in filters_and_scopes:
            exact = exact_answer(text, filters, scope, limit=10_000)
            with monkeypatch.context() as patched:
                few_ranked(patched)
                pages = bounded_answers(text, filters, scope, page_size)
            for answer in pages:
                assert (answer["total"], answer["facets"]) == (exact["total"], exact["facets"]), text
            seen = [pk for answer in pages for pk in answer["ids"]]
            assert sorted(seen) == sorted(exact["ids"]), (text, filters, scope)


@needs_postgres
def test_many_matches_count_exactly_and_page_through_every_match_once(pages, monkeypatch):
    assert_bounded_ranking_counts_and_pages_exactly(QUERIES, FILTERS, monkeypatch)


@needs_postgres
def test_many_matches_rank_candidates_with_the_query_in_their_title(pages, monkeypatch):
    few_ranked(monkeypatch)
    titles = [f"Sondeernæring del {n}" for n in range(4)] + [f"Samarbeid {n}" for n in range(3)]
    for title in titles:
        publish_page("recommendation", "oslo", title, "Om sondeernæring i kommunen.")
    result = run_search("sondeernæring", per_page=2)
    assert result.total == 7
    # The candidates are the four pages with the word in their title; the best three come first.
    assert all(h.title.startswith("Sondeernæring") for h in result.hits)
    seen = [h.title for p in (1, 2, 3, 4) for h in run_search("sondeernæring", page=p, per_page=2).hits]
    assert sorted(seen) == sorted(titles)
    assert all(title.startswith("Sondeernæring") for title in seen[:3])
    # Past the ranked three, the rest follow most recently indexed first.
    # (the fourth title match was published before the three others).
    assert seen[3:6] == ["Samarbeid 2", "Samarbeid 1", "Samarbeid 0"]
    assert seen[6].startswith("Sondeernæring")


@needs_postgres
@pytest.mark.parametrize(
    "text, oldest, newer",
    [
        # Several concepts: the title with both words, whatever the four newest titles are.
        ("sondeernæring nattevakt", "Nattevakt og sondeernæring", "Sondeernæring del {n}"),
        # One: the title that scores best for it (the short one has the word at its weight).
        ("sondeernæring", "Sondeernæring", "Sondeernæring i kommunen, rutiner for del {n}"),
    ],
)
def test_of_many_matches_the_best_titles_not_the_newest_are_the_candidates(
    pages, monkeypatch, text, oldest, newer
):
    few_ranked(monkeypatch)
    for title in [oldest, *(newer.format(n=n) for n in range(5))]:
        publish_page("procedure", "oslo", title, "Rutiner.", body_text="Sondeernæring gis av nattevakten.")
    result = run_search(text)
    assert result.total == 6
    assert result.hits[0].title == oldest


# ---------------------------------------------------------------------------------- writers


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


def test_an_import_writes_the_vocabulary_once_at_its_end_and_keeps_the_index_in_step(
    pages, tmp_path, monkeypatch
):
    monkeypatch.setattr(indexing, "BATCH_FLUSH_SIZE", 1)  # index page by page within the import
    with CaptureQueriesContext(connection) as captured:
        call_command("import_content", package(tmp_path, ["Sondeernæring", "Trakeostomi", "Stomistell"]))
    sql = [q["sql"] for q in captured.captured_queries]
    assert sum('INTO "search_searchterm"' in q and "INSERT" in q for q in sql) == 1
    assert not any("pg_advisory" in q for q in sql)  # no lock of the search backend's own
    assert index_state() == rebuilt_state()
    # A second import changes two of the pages: the old title words leave the index.
    call_command("import_content", package(tmp_path, ["Ernæring på sonde", "Trakeostomi"]))
    assert index_state() == rebuilt_state()
    assert run_search("sondeernæring").total == 0 and run_search("ernæring").total == 1
