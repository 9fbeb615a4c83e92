"""Where Elasticsearch gains and loses against a database backend, query by query, over development
files pooled (issue #15): how many queries it is ahead or behind on, by the size of the difference.

Run by hand (not part of the test suite), on the databases and index that
``bench/relevance_tuning.py``'s ``prepare`` keeps, as ``bench/judged_dev.py`` does:

    .venv/bin/python bench/es_differences.py                       # against PostgreSQL
    .venv/bin/python bench/es_differences.py --database sqlite

By default it pools every development file (``bench/development_judged*.json`` and
``bench/community_judged.json``), never the relevance collection's held-out or confirmation part.
A mean hides how it is made: Elasticsearch may lead by large gains on a few queries (a typo, a
word form) and trail by small ones on many (a grade-1 page and a grade-0 page swapped between the
third and the tenth hit), and a kind of query without the first shows only the second
(docs/benchmarks.md, «Where Elasticsearch loses, and three more tries»).
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import judged_dev  # noqa: E402

# The sizes of a difference in nDCG@10 that the table counts apart; a smaller one is level.
BOUNDS = (0.0005, 0.02, 0.05, 0.1)


def development_files():
    return [*judged_dev.development_sets(), judged_dev.DEFAULT_FILE]


def buckets(differences):
    """[(label, ahead, behind)] for each size of difference in ``BOUNDS``, then the whole."""
    rows = []
    for low, high in zip(BOUNDS, (*BOUNDS[1:], None), strict=True):
        sizes = [d for d in differences if low <= abs(d) and (high is None or abs(d) < high)]
        label = f"{low:g} or more" if high is None else f"{low:g} to {high:g}"
        rows.append((label, sum(d > 0 for d in sizes), sum(d < 0 for d in sizes)))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("files", nargs="*", help="judged files (default: every development file)")
    args = parser.parse_args()
    from tests.search.relevance import ndcg

    differences = []
    for path in args.files or development_files():
        judged = judged_dev.load(path)
        rankings = {
            backend: judged_dev.rankings_of(backend, path) for backend in (args.database, "elasticsearch")
        }
        for query, grades in judged.items():
            es = ndcg(rankings["elasticsearch"][query], grades)
            differences.append(es - ndcg(rankings[args.database][query], grades))
    ahead = [d for d in differences if d >= BOUNDS[0]]
    behind = [d for d in differences if d <= -BOUNDS[0]]
    name = judged_dev.SHORT[args.database]
    print(f"Elasticsearch minus {name}, nDCG@10, {len(differences)} development queries:\n")
    print("| difference | Elasticsearch ahead | Elasticsearch behind |")
    print("| --- | ---: | ---: |")
    for label, up, down in buckets(differences):
        print(f"| {label} | {up} | {down} |")
    print(
        f"| **all** (sum of the differences) | {len(ahead)} ({sum(ahead):+.2f}) | {len(behind)} ({sum(behind):+.2f}) |"
    )
    print(f"\n{len(differences) - len(ahead) - len(behind)} level (within {BOUNDS[0]}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
