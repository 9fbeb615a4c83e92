"""Lay queries for the portal's own subjects: does the page a lay reader means come in the top three?

Run by hand while adding lay words to the synonym list (issue #16), not part of the test suite:

    DATABASE_URL=sqlite:////tmp/kompetanse_relevance_tuning.sqlite3 .venv/bin/python bench/lay_queries.py
    ... bench/lay_queries.py --all      # every query, not only the misses

``bench/lay_queries.csv`` holds 235 queries written from the demo pages' subjects, in the words a
home-care nurse, a relative or a GP might use (*pustehjelp hjemme*, *astmapumpe bruk*), each with a
part of the slug of the page it means: the first 107 from the first round of lay words, the 83
after them written in a second round (older names, umbrella terms, brand names) and the last 45
in a third round (one or two per page, in words the earlier rounds did not use), each round
before any of its queries was run. They were written from the demo content, never from the
relevance collection (tests/search/relevance_collection.json), and they are no judged collection:
one page per query, top three or not, to find subjects the word lists miss. Use a database with
the demo loaded (bench/relevance_tuning.py keeps one at the path above); with ELASTICSEARCH_URL and
ELASTICSEARCH_INDEX set, Elasticsearch answers.
"""

import argparse
import csv
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "bench" / "lay_queries.csv"
TOP = 3


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--all", action="store_true", help="print every query, not only the misses")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")
    import django

    django.setup()
    from search.service import run_search

    with QUERIES.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    found = 0
    backend = ""
    for row in rows:
        result = run_search(row["spørring"])
        backend = result.backend
        slugs = [hit.url.rstrip("/").rsplit("/", 1)[-1] for hit in result.hits[:TOP]]
        ok = any(row["side"] in slug for slug in slugs)
        found += ok
        if args.all or not ok:
            print(f"{'ok  ' if ok else 'MISS'} {row['spørring']!r} → {slugs} (ventet: {row['side']})")
    print(f"{found}/{len(rows)} i topp {TOP} ({backend})")


if __name__ == "__main__":
    main()
