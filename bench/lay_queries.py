"""Development queries for the portal's own subjects: does the page a reader means come in the top three?

Run by hand while adding lay words to the synonym list (issue #16) or comparing the backends'
ranking (issue #15), not part of the test suite:

    DATABASE_URL=sqlite:////tmp/kompetanse_relevance_tuning.sqlite3 .venv/bin/python bench/lay_queries.py
    ... bench/lay_queries.py --all      # every query, not only the misses
    ... bench/lay_queries.py --file bench/kind_queries.csv   # other queries, counted per kind

``bench/lay_queries.csv`` holds 235 queries written from the demo pages' subjects, in the words a
home-care nurse, a relative or a GP might use (*pustehjelp hjemme*, *astmapumpe bruk*), each with a
part of the slug of the page it means: the first 107 from the first round of lay words, the 83
after them written in a second round (older names, umbrella terms, brand names) and the last 45
in a third round (one or two per page, in words the earlier rounds did not use), each round
before any of its queries was run. ``bench/kind_queries.csv`` holds 80 queries of seven kinds
(column ``art``: plain words, compounds, word forms, long queries, a community named, typos,
questions) written the same way for issue #15, before any of them was run, and
``bench/kind_queries_2.csv`` 35 more, each meaning one of a group of sibling pages; a file with that
column is counted per kind as well. They were written from the demo content, never from the
relevance collection (tests/search/relevance_collection.json), and they are no judged collection:
one page per query, top three or not, to find subjects the word lists miss. Use a database with
the demo loaded (bench/relevance_tuning.py keeps one at the path above); with ELASTICSEARCH_URL and
ELASTICSEARCH_INDEX set, Elasticsearch answers.
"""

import argparse
import collections
import csv
import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "bench" / "lay_queries.csv"
TOP = 3


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--all", action="store_true", help="print every query, not only the misses")
    parser.add_argument("--file", type=Path, default=QUERIES, help="semicolon-separated: spørring;[art;]side")
    parser.add_argument("--top", type=int, default=TOP, help="the page meant counts if it comes this high")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")
    import django

    django.setup()
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    from search.service import run_search

    with args.file.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    found = 0
    backend = ""
    # Per kind (the column «art»), in the order the file has them: found, asked.
    kinds = collections.defaultdict(lambda: [0, 0])
    for row in rows:
        result = run_search(row["spørring"])
        backend = result.backend
        slugs = [hit.url.rstrip("/").rsplit("/", 1)[-1] for hit in result.hits]
        # Where the page meant came (1 is first), among the first page of hits; 0: not there.
        place = next((n for n, slug in enumerate(slugs, 1) if row["side"] in slug), 0)
        slugs = slugs[: args.top]
        ok = 0 < place <= args.top
        found += ok
        kind = row.get("art")
        if kind:
            kinds[kind][0] += ok
            kinds[kind][1] += 1
        if args.all or not ok:
            label = f"[{kind}] " if kind else ""
            print(
                f"{'ok  ' if ok else 'MISS'} {place or '-':>2} {label}{row['spørring']!r} → {slugs}"
                f" (ventet: {row['side']})"
            )
    if kinds:
        print(" ".join(f"{kind} {hits}/{asked}" for kind, (hits, asked) in kinds.items()))
    print(f"{found}/{len(rows)} i topp {args.top} ({backend})")


if __name__ == "__main__":
    main()
