"""The database backend's first search after a publish, with and without what it keeps past one.

Run by hand on a database bench/search_bench.py built (the same pages), PostgreSQL or SQLite:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench20k .venv/bin/python bench/db_kept_side_by_side.py
    DATABASE_URL=sqlite:////tmp/kp_bench20k.sqlite3 .venv/bin/python bench/db_kept_side_by_side.py

Since 5 December 2026 two things outlive a publish (``docs/search.md``, «Cached answers»):

- PostgreSQL: how many pages have each of a query's concepts (``params.COUNTS_SECONDS``). «before»
  counts them for every search, as it did when the counts were kept under the index version and
  every cold search came after a new one;
- SQLite: which of a query's terms FTS5 has (``sqlite.absent_terms``). «before» gives FTS5 every
  term, as it did.

For each query shape of bench/search_bench.py, ``run_search`` right after a new index version (as
after a publish) is timed both ways, alternating round by round so that both meet the same load,
and the answers compared (the same pages in the same order, the same total and facet counts).
Prints p50 / p95 (ms) per shape and the load average before and after.

``--stream`` searches the development queries instead (bench/development_judged*.json, each once,
in the files' order, each right after a new index version), as a portal's readers search: what one
search counted is there for the next that shares a concept. Each way runs the whole stream from an
empty cache, the two ways in the order before, now, now, before; it prints p50 / p95 / mean over
the searches of each way.
"""

import argparse
import functools
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site"), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from search_bench import QUERIES, forget, percentiles, timed  # noqa: E402

from search.backends.database import postgres, sqlite  # noqa: E402
from search.service import run_search  # noqa: E402

ROUNDS = 4


def before():
    """What the backend did before 5 December: (module, attribute, replacement)."""
    if connection.vendor == "postgresql":
        return postgres, "remembered_many", lambda keys, compute, seconds: compute(list(keys))
    return sqlite, "absent_terms", lambda parsed: frozenset()


def answer(query, filters):
    result = run_search(query, filters=filters)
    facets = {name: [(f.value, f.count) for f in values] for name, values in result.facets.items()}
    return [h.url for h in result.hits], result.total, facets


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="Målinger per runde og variant.")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--stream", action="store_true", help="Utviklingsspørringene, hver én gang.")
    args = parser.parse_args()
    module, name, old = before()
    new = getattr(module, name)
    print(f"{connection.vendor}, load average before: {os.getloadavg()}")
    if args.stream:
        return stream(module, name, {"før": old, "nå": new})
    print("| spørring | før p50 / p95 (ms) | nå p50 / p95 (ms) | samme svar |")
    print("| --- | ---: | ---: | --- |")
    for shape, query, filters, _ in QUERIES:
        if shape.endswith("«or»)"):
            continue  # the same query as «spørsmål» for the portal
        samples = {"før": [], "nå": []}
        answers = {}
        search = functools.partial(run_search, query, filters=filters)
        for _ in range(args.rounds):
            for label, function in (("før", old), ("nå", new)):
                setattr(module, name, function)
                try:
                    answers[label] = answer(query, filters)  # also the warm-up
                    samples[label] += [timed(search, forget_one) for _ in range(args.repeat)]
                finally:
                    setattr(module, name, new)
        cells = [" / ".join(f"{v:.1f}" for v in percentiles(samples[label])) for label in ("før", "nå")]
        print(f"| {shape} | {cells[0]} | {cells[1]} | {'ja' if answers['før'] == answers['nå'] else 'NEI'} |")
    print(f"load average after: {os.getloadavg()}")


def development_queries():
    queries = []
    for path in sorted((ROOT / "bench").glob("development_judged*.json")):
        queries += [entry["query"] for entry in json.loads(path.read_text())]
    return list(dict.fromkeys(queries))


def stream(module, name, ways):
    queries = development_queries()
    samples = {label: [] for label in ways}
    original = getattr(module, name)
    for label in ("før", "nå", "nå", "før"):
        cache.clear()
        setattr(module, name, ways[label])
        try:
            samples[label] += [timed(functools.partial(run_search, q), forget_one) for q in queries]
        finally:
            setattr(module, name, original)
    print(f"{len(queries)} development queries, each searched twice each way")
    print("| | p50 / p95 (ms) | mean (ms) |")
    print("| --- | ---: | ---: |")
    for label, times in samples.items():
        p50, p95 = percentiles(times)
        print(f"| {label} | {p50:.1f} / {p95:.1f} | {1000 * sum(times) / len(times):.1f} |")
    print(f"load average after: {os.getloadavg()}")


def forget_one():
    forget(False)


if __name__ == "__main__":
    main()
