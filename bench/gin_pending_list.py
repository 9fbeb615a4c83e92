#!/usr/bin/env python
"""PostgreSQL's GIN pending list: what it costs a search and a publish, by its limit (issue #15).

A GIN index keeps the entries of new and rewritten rows in a pending list until the list reaches
``gin_pending_list_limit`` or a vacuum runs; every search of the index reads the list whole.
Migration 0022 sets the limit of the search indexes to 64 kB. For each limit in one run (4 MB,
PostgreSQL's default; 64 kB; 256 kB) this script, on a database with generated pages:

1. vacuums the table (an empty list), sets the limit on both indexes;
2. rewrites the vectors of 1,500 documents in one statement (as a burst of publishes between two
   vacuums leaves them: the same vectors, new row versions), then 200 documents one by one, each
   timed (what a publish's index write waits for);
3. times the long query of bench/search_bench.py right after a publish (p50 / p95 of 25).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench20k \\
        .venv/bin/python bench/gin_pending_list.py

It leaves the indexes as migration 0022 made them, and the table vacuumed. Needs the
``pgstattuple`` extension (created if missing; a superuser's right) to read the list's size.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site"), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from search_bench import LONG, forget, measure, percentiles, timed  # noqa: E402

from search.service import run_search  # noqa: E402

INDEXES = ("search_document_vector", "search_document_title_vector")
LIMITS_KB = (None, 64, 256)  # None: PostgreSQL's default, 4 MB
REWRITE = (
    "UPDATE search_searchdocument SET search_vector = search_vector || ''::tsvector,"
    " title_vector = title_vector || ''::tsvector WHERE id IN ({})"
)


def sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def set_limit(limit):
    for index in INDEXES:
        if limit:
            sql(f"ALTER INDEX {index} SET (gin_pending_list_limit = {limit})")
        else:
            sql(f"ALTER INDEX {index} RESET (gin_pending_list_limit)")
    sql("VACUUM search_searchdocument")


def main():
    sql("CREATE EXTENSION IF NOT EXISTS pgstattuple")
    ids = [row[0] for row in sql("SELECT id FROM search_searchdocument ORDER BY id")]
    print(
        "| grense | 1 500 omskrivinger i én setning (ms) | én omskriving p50 / p95 / maks (ms)"
        " | ventende sider | lang spørring p50 / p95 (ms) |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for limit in LIMITS_KB:
        set_limit(limit)
        burst = timed(
            lambda: sql(REWRITE.format("SELECT id FROM search_searchdocument ORDER BY id DESC LIMIT 1500"))
        )
        single = [
            timed(lambda page_id=page_id: sql(REWRITE.format("%s"), [page_id])) for page_id in ids[:600:3]
        ]
        pending = sql("SELECT pending_pages FROM pgstatginindex(%s::regclass)", [INDEXES[0]])[0][0]
        p50, p95 = percentiles(single)
        s50, s95 = measure(lambda: run_search(LONG), repeat=25, warmup=3, before=lambda: forget(False))
        label = f"{limit} kB" if limit else "4 MB (standard)"
        print(
            f"| {label} | {burst * 1000:.0f} | {p50:.1f} / {p95:.1f} / {max(single) * 1000:.1f} | {pending}"
            f" | {s50:.1f} / {s95:.1f} |",
            flush=True,
        )
    set_limit(64)


if __name__ == "__main__":
    main()
