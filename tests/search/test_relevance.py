"""Relevance on the demo content: nDCG@10 over a judged set of Norwegian queries.

The collection (tests/search/relevance_collection.json, method in docs/benchmarks.md) has a tuning
part, a held-out part and a confirmation part. Ranking work looks only at the tuning part; the
other two are run here to report and to hold a floor, and are what docs/benchmarks.md quotes.
Floors only move up, and only from such a measurement. Stock Wagtail search is scored on the same
data for comparison.

The demo is the slowest thing to build, so the other checks that need realistic content (on
PostgreSQL, ranking only a few candidates of many matches) run here on the same load.
"""

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from demo.loader import DemoLoader
from tests.search.relevance import (
    CONFIRMATION,
    HELD_OUT,
    JUDGMENTS,
    TUNING,
    evaluate,
    portal_ranking,
    wagtail_ranking,
)
from tests.search.test_database_index import (
    FILTERS,
    assert_bounded_ranking_counts_and_pages_exactly,
    needs_postgres,
)

pytestmark = [pytest.mark.django_db, pytest.mark.wagtail_search]

# Held-out nDCG@10 measured on 2026-12-02 after the compound splitter, word forms and lay words
# (issue #16): SQLite 0.825, PostgreSQL 0.804, Elasticsearch 0.805; stock Wagtail 0.406 (SQLite).
# Before: 0.791, 0.769, 0.787 (docs/benchmarks.md).
# The same day the demo gained 12 news items and 8 events (issue #18), judged against every query
# before any ranking was looked at; on that content and collection the same code measures SQLite
# 0.804, PostgreSQL 0.754, Elasticsearch 0.779. The floors follow the new measurement (a new
# collection, not a looser ranking); from here they move up only.
# Then the demo gained six topic pages (issue #18), judged by their text after one run that showed
# only the means: SQLite 0.802, PostgreSQL 0.744, Elasticsearch 0.761 with the same code; the
# floors follow again (docs/benchmarks.md, «With the demo's topic pages»).
# Then both came together with the learning resources (14 pages, judged before any run) and
# PostgreSQL's own full text in place of the bitmap index (issue #15): on the whole collection
# (747 grades) SQLite 0.789, PostgreSQL 0.727, Elasticsearch 0.741, ranking code unchanged
# (docs/benchmarks.md, «Learning resources and topic pages together»). The floors follow once more;
# the next change to them is up, by tuning on the tuning part.
# Then a kind weight (search.params.OTHER_KIND_WEIGHT, 0.5), chosen on the tuning part alone:
# held out SQLite 0.813, PostgreSQL 0.786, Elasticsearch 0.778 (docs/benchmarks.md, «A kind weight»).
# Then, chosen on the tuning part alone (bench/relevance_tuning.py): plural and definite agent nouns
# with their base form, «-lege»/«-lov» compounds kept whole by the stemmer, phrases and rare words
# weighed on PostgreSQL as on the other backends, 58 more synonym groups and 70 more compound parts:
# held out, run once after the last change, SQLite 0.819, PostgreSQL 0.801, Elasticsearch 0.7798
# (docs/benchmarks.md, «Stems, PostgreSQL's weights and more words»).
# Then 286 synonym groups, 297 compound parts and 108 word-form families written from general
# health language (checked on the tuning part only), and Elasticsearch's fuzzy matching only for
# typed words no page has: held out SQLite 0.833, PostgreSQL 0.828, Elasticsearch 0.799
# (docs/benchmarks.md, «More words, and Elasticsearch's fuzziness»).
# Then Elasticsearch scoring a word in every field with one idf (cross_fields), 173 + 5 lay synonym
# groups, the longest synonym expression claiming first, and a claimed phrase that finds nothing
# giving way to its words (all chosen on the tuning part and on lay queries written from the demo's
# subjects): held out, run once, SQLite 0.860, PostgreSQL 0.853, Elasticsearch 0.853 - issue #16's
# 0.85 on every backend. Its other goal, no kind under 0.70, holds on SQLite (lowest lay_term
# 0.708) and Elasticsearch (0.728) and fails on PostgreSQL by a hair (lay_term 0.698); the kind
# floor holds what was measured (docs/benchmarks.md, «Elasticsearch ranks like FTS5»).
# Then 83 more lay queries and the groups, word forms and stem exceptions they showed missing, and
# Elasticsearch counting a synonym phrase as one word (chosen on the tuning part): held out, run
# once, SQLite 0.868, PostgreSQL 0.862, Elasticsearch 0.855; lay_term unchanged (0.708, 0.698,
# 0.723) (docs/benchmarks.md, «A second round of lay words»).
# Then PostgreSQL saturating each concept and counting a phrase as one word, the parser's first
# expression claiming overlapping words, and Elasticsearch following the database chain where it
# parted (chosen on the tuning part and on development queries): held out, run once, SQLite 0.868,
# PostgreSQL 0.871, Elasticsearch 0.859, lowest kind lay_term on each (0.708, 0.712, 0.715): both
# of issue #16's bars on every backend, and the kind floor is its 0.70 (docs/benchmarks.md, «The
# held-out part after this round»).
# Then Elasticsearch saturating each concept of a query of several by its rarity (chosen on the
# tuning part and the development queries; the databases unchanged): held out, run once,
# Elasticsearch 0.873, lowest kind lay_term 0.706 (docs/benchmarks.md, «Elasticsearch: each concept
# saturated by a score script»). Then a community's name of several words as one concept (chosen on
# development data): held out, run once more, SQLite 0.869, PostgreSQL 0.872, Elasticsearch 0.874
# (docs/benchmarks.md, «A community's name of several words is one concept»).
# Then a named community as a place (bounded on Elasticsearch; «Ahus-området» one place on every
# backend), a claimed phrase's rarity from its rarest typed word and its words apart found on
# Elasticsearch (chosen on development data): held out, run once, SQLite 0.869, PostgreSQL 0.872,
# Elasticsearch 0.883; then with the words apart only for a query claimed whole (chosen for its cost
# on development data and timings), run once more: Elasticsearch 0.879, lowest kind lay_term 0.710
# (docs/benchmarks.md, «A named community is where the reader works»). Then SQLite finding the
# words apart of a query a phrase claims whole (chosen on development data): SQLite 0.870.
HELD_OUT_FLOOR = {"sqlite": 0.86, "postgresql": 0.86, "elasticsearch": 0.87}
HELD_OUT_KIND_FLOOR = 0.70

# The confirmation part (90 queries written on 3 December 2026 by colleagues who ran no search),
# run once after that day's ranking was committed: SQLite 0.822, PostgreSQL 0.837, Elasticsearch
# 0.834; lowest kinds typo 0.649 (SQLite), typo 0.707 (PostgreSQL), question 0.723
# (Elasticsearch); stock Wagtail 0.175 (docs/benchmarks.md, «The confirmation part, run once»).
# Then Elasticsearch finding a typed word no page has by its stem's prefix too (chosen on the
# development set), run once more: Elasticsearch 0.836 (word forms 0.814 -> 0.833), held out 0.880.
# Then no fuzzy neighbours for a stem of four letters or fewer (elastic.FUZZINESS, chosen on the
# development set), run once more: Elasticsearch 0.841 (abbreviations 0.844 -> 0.885), held out
# 0.871 (abbreviations 0.921 -> 0.838: its lead there came from short words' fuzzy neighbours).
# Then each concept as rare as the pages with any of its expressions (elastic.concept_rarities,
# chosen on the development sets), run once more: Elasticsearch 0.846 (questions 0.723 -> 0.738,
# long 0.857 -> 0.882), held out 0.877 (questions 0.783 -> 0.818; docs/benchmarks.md, «A second
# development set»). Then the counts taken from one field with every stem (elastic.words._concept_filter),
# run once more: Elasticsearch 0.845, held out 0.876. Then a typed word found at the start of a
# body's longer words (elastic.prose_prefix, chosen on the development sets), run once more after
# each of its two commits: Elasticsearch 0.848, held out 0.876 (docs/benchmarks.md, «A fourth
# development set, and prefixes in the body»). On 4 December, run once after each of three
# commits chosen on the development sets: a concept's words weighed as the typed word
# (elastic.expression_weights) 0.848, held out 0.876; a common concept's words in the read fields
# (elastic.COMMON_RARITY) 0.850, held out 0.876; a phrase's words where the phrase holds
# (elastic.request._phrase_words) 0.852, held out 0.874 (docs/benchmarks.md, «A phrase's words where the
# phrase holds»).
CONFIRMATION_FLOOR = {"sqlite": 0.81, "postgresql": 0.82, "elasticsearch": 0.84}
CONFIRMATION_KIND_FLOOR = 0.60
PARTS = {
    "held_out": (HELD_OUT, HELD_OUT_FLOOR, HELD_OUT_KIND_FLOOR),
    "confirmation": (CONFIRMATION, CONFIRMATION_FLOOR, CONFIRMATION_KIND_FLOOR),
}


def _lowest_kind(evaluation):
    kind, score = min(evaluation.per_kind.items(), key=lambda item: item[1])
    return f"{kind} {score:.3f}"


def _report(label, evaluation):
    kinds = ", ".join(f"{kind} {score:.3f}" for kind, score in evaluation.per_kind.items())
    print(f"\nnDCG@10 {label}: {evaluation.mean:.3f} ({kinds})")


@pytest.fixture(scope="module")
def _module_demo(django_db_setup, django_db_blocker):
    """The demo portal, loaded once for this module and rolled back at its end (as tests/search/conftest.py)."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            DemoLoader().run()
            yield
            transaction.set_rollback(True)
    cache.clear()


@pytest.fixture
def demo(_module_demo, db):
    yield
    cache.clear()


def test_the_collection_is_large_enough_and_split():
    assert len(JUDGMENTS) >= 120
    assert len(HELD_OUT) >= 50 and not set(HELD_OUT) & set(TUNING)
    assert len(CONFIRMATION) == 90 and not set(CONFIRMATION) & (set(HELD_OUT) | set(TUNING))


@pytest.mark.parametrize("part", PARTS)
def test_portal_search_holds_its_floor_on_queries_nobody_tuned_to_and_beats_stock_wagtail(demo, part):
    queries, floor, kind_floor = PARTS[part]
    portal = evaluate(portal_ranking, queries)
    _report(f"{part}, portal on {connection.vendor}", portal)
    # No per-query scores of these parts in the output: nobody tunes to them.
    assert portal.mean >= floor[connection.vendor], f"{portal.mean:.3f}"
    assert min(portal.per_kind.values()) >= kind_floor, _lowest_kind(portal)
    if connection.vendor == "sqlite":
        # Stock Wagtail on the same content, on the embedded default. On PostgreSQL its search
        # took 14 s of the server's time for the 92 held-out queries in every CI run, for a figure
        # that moves only with Wagtail or the demo (0.419, docs/benchmarks.md; measured here before).
        wagtail = evaluate(wagtail_ranking, queries)
        _report(f"{part}, stock Wagtail", wagtail)
        assert portal.mean > wagtail.mean


@pytest.mark.elasticsearch
@pytest.mark.parametrize("part", PARTS)
def test_elasticsearch_holds_its_floor_on_queries_nobody_tuned_to(demo, elasticsearch, part):
    """The same queries over the same demo content on Elasticsearch (the database's figure on the
    same content is the test above's)."""
    from search import backends, indexing
    from search.backends import elastic

    queries, floor, kind_floor = PARTS[part]
    elastic.rebuild(indexing.document_for(page) for page in indexing.searchable_pages())
    backends._es_down_until = 0.0
    es = evaluate(portal_ranking, queries)
    assert backends._es_down_until == 0.0, (
        "a search fell back to the database: the figure would be the database's"
    )
    _report(f"{part}, Elasticsearch", es)
    assert es.mean >= floor["elasticsearch"], f"{es.mean:.3f}"
    assert min(es.per_kind.values()) >= kind_floor, _lowest_kind(es)


@needs_postgres
def test_on_the_demo_content_many_matches_count_exactly_and_page_through_every_match_once(demo, monkeypatch):
    """(tests/search/test_database_index.py's property, on the demo this module loads once.)"""
    # A few query shapes of the tuning part, with every filter shape: the property holds or not
    # for the shape of a query, and all 186 queries would multiply this test's time for no more.
    texts = ["legemidler", "hvem har ansvar for legemiddelsamstemming ved utskrivning?", "pasient"]
    texts += [text for text in TUNING if len(text.split()) > 1][:12]
    assert_bounded_ranking_counts_and_pages_exactly(texts, FILTERS, monkeypatch, page_size=5)
