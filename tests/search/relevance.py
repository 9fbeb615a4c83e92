"""A judged Norwegian test collection over the demo content, and nDCG@10 to score a ranking.

The collection is data: ``relevance_collection.json`` beside this file, a list of
``{"query", "kind", "part", "reader", "judgments"}``. Documents are named "community/slug".
Grades: 3 answers the query, 2 is highly relevant, 1 is related; a page left out is not relevant.
How the queries were written and judged, and how the split works: docs/benchmarks.md
("Relevance: the collection and how it was judged").

- ``JUDGMENTS``: every query, ``{query: {page key: grade}}``.
- ``TUNING``, ``HELD_OUT`` and ``CONFIRMATION``: the three parts, in the same shape. The held-out
  part is never used while tuning the ranking; it is only run to report. The confirmation part
  was written on 3 December 2026 by others than the people who tune, after the held-out part had
  been run to report many times, and is run once per round, after its ranking is committed.
- ``KINDS``: the kinds of query, in order; ``KIND_OF`` and ``READER_OF`` label each query.
- ``evaluate(rank, queries=None)``: mean nDCG@10, per query and per kind.

Used by test_relevance.py and test_relevance_collection.py.
"""

import json
import math
from pathlib import Path

COLLECTION_FILE = Path(__file__).with_name("relevance_collection.json")

KINDS = (
    "plain",  # the words stand on the page as written (most of the starting set)
    "compound",  # a compound against its parts, either way
    "word_form",  # adjectives, participles, definite and plural forms against the page's noun
    "lay_term",  # lay words, older terms, umbrella terms against the professional term
    "typo",  # a missing, extra, swapped or wrong letter in a long word
    "long",  # four to six concepts; some pages answer most of them
    "community",  # a community or a place in it is named; its page should come first
    "abbreviation",  # abbreviations and their expansions, both ways
    "question",  # plain-language questions
)
PARTS = ("tuning", "held_out", "confirmation")
READERS = ("hjemmesykepleier", "fastlege", "sykehus")


def load_collection(path=COLLECTION_FILE):
    with open(path, encoding="utf-8") as file:
        return json.load(file)


COLLECTION = load_collection()
JUDGMENTS = {item["query"]: item["judgments"] for item in COLLECTION}
# Each part's queries, {part: {query: {page key: grade}}}, and the three by name.
BY_PART = {
    part: {item["query"]: item["judgments"] for item in COLLECTION if item["part"] == part} for part in PARTS
}
TUNING, HELD_OUT, CONFIRMATION = (BY_PART[part] for part in PARTS)
KIND_OF = {item["query"]: item["kind"] for item in COLLECTION}
READER_OF = {item["query"]: item["reader"] for item in COLLECTION}

K = 10


def dcg(grades):
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:K]))


def ndcg(ranked_keys, judged):
    ideal = dcg(sorted(judged.values(), reverse=True))
    if ideal == 0:
        return 0.0
    return dcg([judged.get(key, 0) for key in ranked_keys]) / ideal


def page_key(page):
    """ "community/slug" for a page, from its URL path (/hjem/<community>/<listing>/<slug>/)."""
    parts = [p for p in page.url_path.split("/") if p]
    return f"{parts[1]}/{parts[-1]}" if len(parts) >= 3 else page.slug


class Evaluation(tuple):
    """What ``evaluate`` returns: unpacks as ``(mean, per_query)``, as it always has.

    ``per_kind`` holds the mean nDCG@10 of each kind of query that was evaluated, in KINDS order.
    """

    def __new__(cls, mean, per_query, per_kind):
        evaluation = super().__new__(cls, (mean, per_query))
        evaluation.per_kind = per_kind
        return evaluation

    @property
    def mean(self):
        return self[0]

    @property
    def per_query(self):
        return self[1]


def evaluate(rank, queries=None):
    """Mean nDCG@10 of ``rank(query) -> [page keys]``, per query and per kind.

    ``queries``: None for the whole collection, or TUNING, HELD_OUT, any ``{query: judgments}``
    or an iterable of queries of the collection. Returns an ``Evaluation``:
    ``mean, per_query = evaluate(rank)``, and ``evaluate(rank).per_kind``.
    """
    if queries is None:
        queries = JUDGMENTS
    elif not isinstance(queries, dict):
        queries = {query: JUDGMENTS[query] for query in queries}
    per_query = {query: ndcg(rank(query), judged) for query, judged in queries.items()}
    per_kind = {}
    for kind in KINDS:
        scores = [score for query, score in per_query.items() if KIND_OF.get(query) == kind]
        if scores:
            per_kind[kind] = sum(scores) / len(scores)
    mean = sum(per_query.values()) / len(per_query) if per_query else 0.0
    return Evaluation(mean, per_query, per_kind)


def portal_ranking(query):
    from wagtail.models import Page

    from search.service import run_search

    result = run_search(query, per_page=K)
    pages = Page.objects.in_bulk([hit.page_id for hit in result.hits])
    return [page_key(pages[hit.page_id]) for hit in result.hits if hit.page_id in pages]


def wagtail_ranking(query):
    from wagtail.models import Page

    return [page_key(page) for page in Page.objects.live().search(query)[:K]]
