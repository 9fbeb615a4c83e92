"""PostgreSQL beyond ``EXACT_RANK_LIMIT`` matches: how close the bounded ranking comes to ranking
every match, and what each costs.

Run by hand on a PostgreSQL database bench/search_bench.py built (generated pages, where common
words match most of them):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench20k .venv/bin/python bench/many_matches.py

Of more than ``postgres.EXACT_RANK_LIMIT`` matches PostgreSQL ranks only candidates, the matches
with the query in their title (``docs/search.md``, «Many matches»). Three ways, in one run, on the
development queries (bench/development_judged*.json, each once):

- «alle»: every match ranked in full (the limit lifted): the reference;
- «nyeste»: the candidates are the most recently indexed title matches (the rule until 5
  December 2026);
- «beste»: the candidates are the title matches whose titles score best (``postgres._best_titles``).

For each way: how many of the reference's first ten pages its first ten has (mean over the queries
with more matches than the limit), on how many queries the ten are the same, in the same order,
and p50 / p95 (ms) of ``postgres.answer`` (ten hits, total and facets; the concepts' counts are
counted once beforehand, as a portal's stream of searches keeps them). The ways alternate query
by query, so that all three meet the same load. The judged pages are the demo's, so no nDCG here:
on generated pages the reference is the ranking to come near, not a judgement.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site"), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")

import django  # noqa: E402

django.setup()

from db_kept_side_by_side import development_queries  # noqa: E402
from django.db import connection  # noqa: E402
from search_bench import percentiles  # noqa: E402

from search import queries  # noqa: E402
from search.backends.database import postgres  # noqa: E402


def newest_titles(passing, match, rank, scope):
    """The candidates as chosen until 5 December 2026: the most recently indexed title matches."""
    in_title = passing.filter(title_vector=postgres.query(match))
    return list(postgres._newest_first(in_title)[: postgres.CANDIDATE_LIMIT])


WAYS = {
    "alle": {"EXACT_RANK_LIMIT": 10**9},
    "nyeste": {"_best_titles": newest_titles},
    "beste": {},
}


def answer(parsed, way):
    match, rank = postgres.expressions(parsed)
    saved = {name: getattr(postgres, name) for name in WAYS[way]}
    for name, value in WAYS[way].items():
        setattr(postgres, name, value)
    try:
        start = time.perf_counter()
        ids = postgres.answer(match, rank, {}, [], 0, 10)["ids"]
        return ids, time.perf_counter() - start
    finally:
        for name, value in saved.items():
            setattr(postgres, name, value)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="Bare de første N spørringene.")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Bare PostgreSQL: SQLite rangerer alle treff.")
    texts = development_queries()
    if args.limit:
        texts = texts[: args.limit]
    print(f"{len(texts)} utviklingsspørringer, last før: {os.getloadavg()}")
    times = {way: [] for way in WAYS}
    shared = {way: [] for way in WAYS}
    same = dict.fromkeys(WAYS, 0)
    for text in texts:
        parsed = queries.parse(text)
        answer(parsed, "beste")  # counts the concepts, as an earlier search would have
        if postgres.answer(*postgres.expressions(parsed), {}, [], 0, 0)["total"] <= postgres.EXACT_RANK_LIMIT:
            continue
        found = {}
        for way in WAYS:
            found[way], seconds = answer(parsed, way)
            times[way].append(seconds)
        for way in WAYS:
            shared[way].append(len(set(found[way]) & set(found["alle"])))
            same[way] += found[way] == found["alle"]
    print(f"{len(shared['alle'])} av dem treffer mer enn {postgres.EXACT_RANK_LIMIT} sider")
    print("| kandidater | sider av de ti felles med «alle» (snitt) | de samme ti | p50 / p95 (ms) |")
    print("| --- | ---: | ---: | ---: |")
    for way in WAYS:
        p50, p95 = percentiles(times[way])
        mean = sum(shared[way]) / len(shared[way]) if shared[way] else 0
        print(f"| {way} | {mean:.2f} | {same[way]} | {p50:.1f} / {p95:.1f} |")
    print(f"last etter: {os.getloadavg()}")


if __name__ == "__main__":
    main()
