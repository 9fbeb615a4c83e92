"""PostgreSQL: the time of one ranked page of hits with this round's ranking against plain ts_rank.

Run by hand on a PostgreSQL database that bench/search_bench.py has filled (issue #16):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench .venv/bin/python bench/pg_ranking.py

For each query shape it times ``postgres.answer`` (matches, total, facet counts and one ranked page
of ten; no cache) side by side in one run, alternating:

- ``ts_rank``: one ``ts_rank`` of the whole query, as the backend ranked before (every word of the
  query alike, phrases' words wherever they stand);
- ``per concept``: ``postgres.ranking`` (each concept's ``ts_rank``, saturated, times its inverse
  document frequency, one count per concept on the GIN index; phrases and a compound's parts only
  where they stand), first with
  the counts not yet cached (as the first search after the index changed), then cached (as any
  later search that shares the concepts, until the index changes).

It prints a Markdown table of p50/p95 in milliseconds.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402

from search import queries  # noqa: E402
from search.backends.database import postgres  # noqa: E402
from search.models import SearchDocument  # noqa: E402

QUERIES = [
    ("ett ord", "legemidler"),
    ("to ord", "fall eldre"),
    ("forkortelse (synonymer)", "KOLS"),
    ("spørsmål", "hvem har ansvar for legemiddelsamstemming ved utskrivning?"),
    ("lekord", "sukkersyke hos eldre"),
    ("langt", "utskrivning hjemmesykepleie insulin blodfortynnende legemiddelliste"),
]
REPEAT = 15
WARMUP = 2


def timed(match, rank, *, cold=False):
    if cold:
        cache.clear()
    started = time.perf_counter()
    postgres.answer(match, rank, {}, [], 0, 10)
    return (time.perf_counter() - started) * 1000


def p95(values):
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main():
    assert connection.vendor == "postgresql", (
        "bench/pg_ranking.py needs DATABASE_URL to a PostgreSQL database"
    )
    print(f"{SearchDocument.objects.count()} documents\n")
    print(
        "| query | matches | ts_rank p50 / p95 (ms) | per concept, counting (ms) | per concept, counts cached (ms) |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, text in QUERIES:
        parsed = queries.parse(text)
        match = postgres.tsquery(parsed, phrase=False)
        old, new = postgres.tsquery(parsed), postgres.ranking(parsed)
        total = postgres.answer(match, new, {}, [], 0, 10)["total"]
        for _ in range(WARMUP):
            timed(match, old), timed(match, new, cold=True), timed(match, new)
        times = {"old": [], "cold": [], "cached": []}
        for _ in range(REPEAT):
            times["old"].append(timed(match, old))
            times["cold"].append(timed(match, new, cold=True))
            times["cached"].append(timed(match, new))
        cells = [f"{statistics.median(times[k]):.0f} / {p95(times[k]):.0f}" for k in times]
        print(f"| {label} (`{text}`) | {total} | {' | '.join(cells)} |", flush=True)


if __name__ == "__main__":
    main()
