"""Where an Elasticsearch search's time goes (issue #15): the portal's wall time split by part, the
node's own ``took``, and its profile API, per query shape of bench/search_bench.py.

Run by hand on the database and the index bench/search_bench.py built (the same pages):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench ELASTICSEARCH_INDEX=my-bench \\
        .venv/bin/python bench/es_breakdown.py --elasticsearch http://127.0.0.1:9200

It prints three tables to paste into docs/benchmarks.md:

1. **Wall time by part** (median of ``--repeat`` runs of ``run_search``, the portal's whole answer):
   the search request (building it with elasticsearch.dsl, the round trip, the node's ``took``,
   reading the answer into hits and facets), the spelling help (the term suggester) and the
   second search for the corrected query when there were few hits, the check of which typed words
   the index knows (the only fuzzy ones), and the rest (query parsing
   with its synonym and word-list reads, labels, promotions, the zero-hit log: the database).
2. **Took by request part**: the node's ``took`` (median) for the portal's request and for the
   same request with one part taken away (the hits' texts for the snippets, which the node no
   longer highlights since 4 December 2026; the facet aggregations, the exact total,
   the kind/community function score), so that each part's cost is the difference; and with every
   typed word fuzzy, as the portal asked before it checked which words the index knows.
3. **Profile** (``profile: true``, one run after the others): the query phase (query tree and
   collectors), each aggregation, and the fetch phase (source and highlight), in ms.
"""

import argparse
import copy
import logging
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site"), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from elasticsearch import Elasticsearch  # noqa: E402
from search_bench import QUERIES  # noqa: E402

from search import backends, queries, service  # noqa: E402
from search.backends import elastic  # noqa: E402

REPEAT = 15


class Clock:
    """Wraps functions so that every call adds its wall time to a named bucket."""

    def __init__(self):
        self.spent = defaultdict(float)
        self.took = []
        self.undo = []

    def wrap(self, owner, name, bucket):
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.spent[bucket] += time.perf_counter() - started

        setattr(owner, name, timed)
        self.undo.append((owner, name, original))

    def restore(self):
        for owner, name, original in reversed(self.undo):
            setattr(owner, name, original)
        self.undo = []


def wall_breakdown(query, filters, repeat):
    """Median ms per part of ``run_search`` (see the module's docstring)."""
    clock = Clock()
    took = clock.took
    original_search = Elasticsearch.search
    original_msearch = Elasticsearch.msearch

    def tally(kind, started, response):
        clock.spent[f"{kind}: round trip"] += time.perf_counter() - started
        clock.spent[f"{kind}: took (node)"] += response["took"] / 1000
        took.append(response["took"])
        return response

    def search(self, *args, **kwargs):
        started = time.perf_counter()
        response = original_search(self, *args, **kwargs)
        body = kwargs.get("body") or {}
        if "suggest" in body:
            kind = "suggest"
        elif "known" in body.get("aggs", {}):  # the known-words request before 3 December 2026
            kind = "known words"
        else:
            kind = "search"
        return tally(kind, started, response)

    def msearch(self, *args, **kwargs):
        # The known-words request is a multi-search since 3 December 2026 (elastic.known_words_request).
        started = time.perf_counter()
        return tally("known words", started, original_msearch(self, *args, **kwargs))

    Elasticsearch.search = search
    Elasticsearch.msearch = msearch
    clock.wrap(elastic, "search_request", "search: build request")
    # word_counts is called from its own module (elastic.words), so it is timed there.
    clock.wrap(elastic.words, "word_counts", "known words: all")
    clock.wrap(elastic, "search", "search: all")
    clock.wrap(elastic, "spelling", "suggest: all")
    clock.wrap(service, "suggest", "spelling help (all)")
    runs = defaultdict(list)
    try:
        for i in range(repeat + 2):
            clock.spent.clear()
            started = time.perf_counter()
            service.run_search(query, filters=filters)
            total = time.perf_counter() - started
            if i < 2:  # warm-up
                continue
            spent = dict(clock.spent)
            runs["total (run_search)"].append(total)
            for key, value in spent.items():
                runs[key].append(value)
            search_all = spent.get("search: all", 0)
            inside = (
                spent.get("search: build request", 0)
                + spent.get("search: round trip", 0)
                + spent.get("known words: all", 0)
            )
            runs["search: read answer (dsl, hits, facets)"].append(search_all - inside)
            runs["search: client and network (round trip - took)"].append(
                spent.get("search: round trip", 0) - spent.get("search: took (node)", 0)
            )
            runs["rest (parse, synonyms, labels, promotions, database)"].append(
                total - search_all - spent.get("spelling help (all)", 0)
            )
    finally:
        Elasticsearch.search = original_search
        Elasticsearch.msearch = original_msearch
        clock.restore()
    return {key: statistics.median(values) * 1000 for key, values in runs.items()}


def portal_body(query, filters, every_word_fuzzy=False):
    """The body the portal sends; ``every_word_fuzzy``: as before 2 December 2026, when every typed
    word was fuzzy, known or not."""
    parsed = queries.parse(query)
    kwargs = {}
    typed = elastic.typed_words(parsed)
    if hasattr(elastic, "what_the_index_knows"):
        counts, fuzzy = elastic.what_the_index_knows(parsed)
        kwargs["counts"] = counts
        if not every_word_fuzzy:
            kwargs["fuzzy"] = fuzzy
    elif typed and hasattr(elastic, "word_counts"):
        # The pages of each typed word: which are fuzzy, and the concepts' rarities.
        counts = elastic.word_counts(typed)
        kwargs["counts"] = counts
        if not every_word_fuzzy:
            kwargs["fuzzy"] = counts.unknown()
    elif not every_word_fuzzy and hasattr(elastic, "unknown_words"):
        kwargs["fuzzy"] = elastic.unknown_words(typed)
    request = elastic.search_request(parsed, filters, [], 0, 10, index=elastic.alias(), **kwargs)
    return request.to_dict()


def without(body, part):
    body = copy.deepcopy(body)
    if part == "snippet texts":
        drop_snippet_texts(body)
    elif part == "aggs":
        body.pop("aggs", None)
    elif part == "exact total":
        body["track_total_hits"] = False
    elif part == "function_score":
        # The own community's boost around the query (a scoped search), the kind weights on each of
        # its clauses.
        if "function_score" in body["query"].get("bool", {}).get("must", [{}])[0]:
            body["query"]["bool"]["must"][0] = body["query"]["bool"]["must"][0]["function_score"]["query"]
        elif "function_score" in body["query"]:
            body["query"] = body["query"]["function_score"]["query"]
        query = body["query"].get("bool", {}).get("must", [body["query"]])[0]
        should = query.get("bool", {}).get("should", [])
        should[:] = [clause.get("function_score", {}).get("query", clause) for clause in should]
    elif part == "all three (query only)":
        drop_snippet_texts(body)
        body.pop("aggs", None)
        body["track_total_hits"] = False
    return body


def drop_snippet_texts(body):
    """The request without what the snippets are made of: the node's highlight (a request of an
    earlier commit) or the hits' summaries and bodies."""
    body.pop("highlight", None)
    texts = ("summary", "body", "snippet_body")
    body["_source"] = [field for field in body.get("_source", []) if field not in texts]


PARTS = ["snippet texts", "aggs", "exact total", "function_score", "all three (query only)"]


def took_by_part(es, query, filters, repeat):
    body = portal_body(query, filters)
    out = {}
    for label in ["portal", "every typed word fuzzy"] + PARTS:
        if label == "portal":
            variant = body
        elif label == "every typed word fuzzy":
            variant = portal_body(query, filters, every_word_fuzzy=True)
        else:
            variant = without(body, label)
        for _ in range(2):
            es.search(index=elastic.alias(), body=variant)
        out[label] = statistics.median(
            es.search(index=elastic.alias(), body=variant)["took"] for _ in range(repeat)
        )
    return out


def _ms(nanos):
    return nanos / 1e6


def profile(es, body):
    """The profile of one run: query tree by top-level clause, collectors, aggregations, fetch."""
    body = dict(body, profile=True)
    response = es.search(index=elastic.alias(), body=body)
    shard = response["profile"]["shards"][0]
    out = {"took": response["took"]}
    for search in shard["searches"]:
        for node in search["query"]:
            out[f"query: {node['type']}"] = _ms(node["time_in_nanos"])
            for child in node.get("children", []):
                key = f"  {child['type']}: {child['description'][:60]}"
                out[key] = out.get(key, 0) + _ms(child["time_in_nanos"])
        out["rewrite"] = _ms(search["rewrite_time"])
        for collector in search["collector"]:
            out[f"collector: {collector['name']}"] = _ms(collector["time_in_nanos"])
    for agg in shard.get("aggregations", []):
        out[f"agg: {agg['description']}"] = _ms(agg["time_in_nanos"])
    fetch = shard.get("fetch")
    if fetch:
        out["fetch"] = _ms(fetch["time_in_nanos"])
        for child in fetch.get("children", []):
            out[f"  fetch: {child['type']}"] = _ms(child["time_in_nanos"])
    return out


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--elasticsearch", required=True, help="node URL")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--shapes", nargs="*", help="only these shapes (their labels)")
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    settings.ELASTICSEARCH_URL, backends._es_down_until = args.elasticsearch, 0.0
    es = elastic.client().options(request_timeout=30)
    count = es.count(index=elastic.alias())["count"]
    print(f"index {elastic.alias()}: {count} documents; load average {open('/proc/loadavg').read().strip()}")
    # The portal's side of each shape (a shape that differs only in Wagtail's options is left out).
    shapes = [s[:3] for s in QUERIES if not s[3] and (not args.shapes or s[0] in args.shapes)]
    walls, tooks = {}, {}
    for label, query, filters in shapes:
        walls[label] = wall_breakdown(query, filters, args.repeat)
        tooks[label] = took_by_part(es, query, filters, args.repeat)
        if backends._es_down_until:
            sys.exit("Elasticsearch failed during the run: the database answered; no figures.")
    keys = []
    for wall in walls.values():
        keys += [k for k in wall if k not in keys]
    print("\n#### Wall time by part, median ms\n")
    print("| part | " + " | ".join(walls) + " |")
    print("| --- |" + " ---: |" * len(walls))
    for key in keys:
        print(f"| {key} | " + " | ".join(f"{walls[s].get(key, 0):.1f}" for s in walls) + " |")
    print("\n#### Elasticsearch took by request part, median ms\n")
    print("| request | " + " | ".join(tooks) + " |")
    print("| --- |" + " ---: |" * len(tooks))
    for part in ["portal", "every typed word fuzzy"] + PARTS:
        name = part if part in ("portal", "every typed word fuzzy") else f"without {part}"
        print(f"| {name} | " + " | ".join(f"{tooks[s][part]:.0f}" for s in tooks) + " |")
    print(f"\nload average {open('/proc/loadavg').read().strip()}")
    if args.no_profile:
        return
    for label, query, filters in shapes:
        print(f"\n#### Profile: {label} ({query!r})\n")
        for key, value in profile(es, portal_body(query, filters)).items():
            print(f"    {key:70} {value:8.2f}")


if __name__ == "__main__":
    main()
