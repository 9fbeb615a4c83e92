"""How sure is a per-kind difference between Elasticsearch and the database backends? (issue #15)

Run by hand, after the ranking of a round is chosen (never while choosing it):

    .venv/bin/python bench/relevance_gap.py                      # the held-out part
    .venv/bin/python bench/relevance_gap.py --part confirmation  # the confirmation part
    .venv/bin/python bench/relevance_gap.py --part both          # the two pooled, ~20 a kind

Issue #15 asks Elasticsearch to score at least as well as the database backend on every kind of
query of the relevance collection's held-out part. A kind has about ten held-out queries there, so
one page moving a place or two moves a kind's mean by 0.01-0.05. This script says, per kind, how
far the difference (Elasticsearch minus each database backend, query by query on the same
queries) is from what chance gives: the mean difference, a 90 % interval for it from resampling
the kind's queries (a paired bootstrap, 10,000 resamples, fixed seed), and on how many queries
Elasticsearch is ahead, behind or level.

It runs the held-out part (or the confirmation part, written later by others than the people who
tune), so it is a report: the held-out rules hold (docs/benchmarks.md). It prints each backend's
mean and per-kind means first, then the differences, then what each kind can tell: the spread
of its per-query differences and how many queries would bound its mean within ±0.01 (``precision``).
No query, and no score of a single query, is printed or kept: each backend's process writes its
scores to a temporary file that this process reads and deletes. Each backend answers on the
database and index that ``bench/relevance_tuning.py`` keeps (its ``prepare``), as the next
deployment would search.
"""

import argparse
import json
import math
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import relevance_tuning  # noqa: E402

DATABASES = ("sqlite", "postgresql")
RESAMPLES = 10_000
INTERVAL = 0.90
SAME = 0.005  # two scores of one query this close are level


PARTS = ("held_out", "confirmation")


def part_scores(backend, path, part):
    """Child process: each query's nDCG@10 of ``part`` on ``backend``, written to ``path``."""
    relevance_tuning.prepare(backend)
    from search import backends
    from tests.search.relevance import BY_PART, KIND_OF, evaluate, portal_ranking

    result = evaluate(portal_ranking, BY_PART[part])
    if backend == "elasticsearch" and backends._es_down_until:
        sys.exit("[elasticsearch] a search fell back to the database: no figures")
    scores = [[KIND_OF[query], query, score] for query, score in result.per_query.items()]
    Path(path).write_text(json.dumps(scores), encoding="utf-8")


def scores_of(backend, part):
    scores = relevance_tuning.child_json(__file__, backend, part)
    return {query: (kind, score) for kind, query, score in scores}


def paired(differences, rng):
    """The mean of ``differences`` and a bootstrap interval of it."""
    n = len(differences)
    means = sorted(sum(rng.choice(differences) for _ in range(n)) / n for _ in range(RESAMPLES))
    tail = (1 - INTERVAL) / 2
    return sum(differences) / n, means[int(tail * RESAMPLES)], means[int((1 - tail) * RESAMPLES) - 1]


# What a kind's comparison can tell: a mean difference known within this much either way (at
# INTERVAL) needs ``precision``'s number of queries of the kind.
WITHIN = 0.01


def precision(differences):
    """(the per-query differences' standard deviation, the standard error of their mean, how many
    queries would bound the mean within ±WITHIN at INTERVAL), by the normal approximation.

    For the team's decision on the size of the unseen collection: a kind of some twenty queries
    cannot tell a difference of 0.01 from none when its queries differ by 0.05 or more."""
    n = len(differences)
    if n < 2:
        return 0.0, 0.0, 0
    sd = statistics.stdev(differences)
    z = statistics.NormalDist().inv_cdf(1 - (1 - INTERVAL) / 2)
    return sd, sd / math.sqrt(n), math.ceil((z * sd / WITHIN) ** 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--part",
        choices=(*PARTS, "both"),
        default="held_out",
        help="both: the two parts' queries pooled, for about twice the queries of each kind",
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return part_scores(*args.child)
    backends = (*DATABASES, "elasticsearch")
    parts = PARTS if args.part == "both" else (args.part,)
    scores = {
        backend: {q: s for part in parts for q, s in scores_of(backend, part).items()} for backend in backends
    }
    es = scores["elasticsearch"]
    from tests.search.relevance import KINDS

    def mean(backend, kind=None):
        values = [score for k, score in scores[backend].values() if kind in (None, k)]
        return sum(values) / len(values)

    print(f"nDCG@10, {args.part}:\n")
    print("| | " + " | ".join(backends) + " |")
    print("| --- |" + " ---: |" * len(backends))
    print(f"| **all ({len(es)})** | " + " | ".join(f"**{mean(b):.3f}**" for b in backends) + " |")
    for kind in KINDS:
        print(f"| {kind} | " + " | ".join(f"{mean(b, kind):.3f}" for b in backends) + " |")
    rng = random.Random(15)
    print(
        f"\nElasticsearch minus each database backend, {args.part}, nDCG@10 per query ({INTERVAL:.0%} interval):\n"
    )
    print(
        "| kind | queries | minus SQLite | ahead / behind / level | minus PostgreSQL | ahead / behind / level |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for kind in KINDS:
        queries = [query for query, (k, _) in es.items() if k == kind]
        cells = []
        for database in DATABASES:
            differences = [es[query][1] - scores[database][query][1] for query in queries]
            mean, low, high = paired(differences, rng)
            ahead = sum(d > SAME for d in differences)
            behind = sum(d < -SAME for d in differences)
            cells += [
                f"{mean:+.3f} [{low:+.3f}, {high:+.3f}]",
                f"{ahead} / {behind} / {len(queries) - ahead - behind}",
            ]
        print(f"| {kind} | {len(queries)} | " + " | ".join(cells) + " |")
    print(
        f"\nWhat each kind can tell, {args.part}: the per-query differences' standard deviation, the"
        f" standard error of their mean, and the queries that would bound it within ±{WITHIN} at {INTERVAL:.0%}:\n"
    )
    print("| kind | queries | SQLite: sd / se / needed | PostgreSQL: sd / se / needed |")
    print("| --- | ---: | ---: | ---: |")
    for kind in KINDS:
        queries = [query for query, (k, _) in es.items() if k == kind]
        cells = []
        for database in DATABASES:
            sd, se, needed = precision([es[query][1] - scores[database][query][1] for query in queries])
            cells.append(f"{sd:.3f} / {se:.3f} / {needed}")
        print(f"| {kind} | {len(queries)} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
