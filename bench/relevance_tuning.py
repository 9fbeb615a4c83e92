"""nDCG@10 on the TUNING part of the relevance collection, per backend and per kind, quickly.

Run by hand while tuning the ranking (not part of the test suite):

    .venv/bin/python bench/relevance_tuning.py                      # SQLite, PostgreSQL, Elasticsearch
    .venv/bin/python bench/relevance_tuning.py sqlite --kind lay_term --per-query

It reads ``tests.search.relevance.TUNING`` only: the held-out part is never scored, printed or
selected here (it is run once, to report, by tests/search/test_relevance.py).

Each database backend runs in a process of its own, on a database of its own that keeps the demo
between runs (loaded the first time): SQLite in ``/tmp/kompetanse_relevance_tuning.sqlite3``,
PostgreSQL in ``kompetanse_relevance_tuning`` on ``$PG_URL`` (default
``postgres://postgres@127.0.0.1:5432``); ``$RELEVANCE_SQLITE_FILE``, ``$RELEVANCE_PG_NAME`` and
``$RELEVANCE_ES_INDEX`` name others. Every run first puts the shipped synonym list
(``search/data/synonymer.csv``) into the database as it is, and rebuilds the search index, so a
change to the word lists, the synonyms or the analysis is measured as the next deployment would
see it. Elasticsearch (``$TEST_ELASTICSEARCH_URL``, default ``http://127.0.0.1:9200``) answers on
the SQLite database, in an index of its own (``kompetanse-relevance-tuning``).
"""

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("sqlite", "postgresql", "elasticsearch")
# Each can be set in the environment, so that engineers sharing a machine measure on their own.
SQLITE_FILE = os.environ.get("RELEVANCE_SQLITE_FILE", "/tmp/kompetanse_relevance_tuning.sqlite3")
PG_NAME = os.environ.get("RELEVANCE_PG_NAME", "kompetanse_relevance_tuning")
ES_INDEX = os.environ.get("RELEVANCE_ES_INDEX", "kompetanse-relevance-tuning")


def database_url(backend):
    if backend == "postgresql":
        return f"{os.environ.get('PG_URL', 'postgres://postgres@127.0.0.1:5432')}/{PG_NAME}"
    return f"sqlite:///{SQLITE_FILE}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("backends", nargs="*", help=" ".join(BACKENDS))
    parser.add_argument("--kind", help="only the tuning queries of this kind")
    parser.add_argument("--per-query", action="store_true", help="each tuning query's score and top hits")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.backends = args.backends or list(BACKENDS)
    if set(args.backends) - set(BACKENDS):
        parser.error(f"backends: {', '.join(BACKENDS)}")
    if args.child:
        return run(args)
    for backend in args.backends:
        command = [sys.executable, __file__, backend, "--child"]
        if args.kind:
            command += ["--kind", args.kind]
        if args.per_query:
            command.append("--per-query")
        subprocess.run(command, env=child_env(backend), check=True)
    return 0


def child_env(backend):
    """The environment of a process that measures ``backend``: its database (created if missing)."""
    env = {k: v for k, v in os.environ.items() if k not in ("ELASTICSEARCH_URL", "DATABASE_URL")}
    env["DATABASE_URL"] = database_url(backend)
    if backend == "postgresql":
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", PG_NAME], env=env, capture_output=True
        )
    return env


def child_json(script, backend, *arguments):
    """Run ``script --child BACKEND PATH *arguments`` on ``backend``'s database and return the JSON
    it writes to PATH (a temporary file, deleted after)."""
    handle, path = tempfile.mkstemp(suffix=".json")
    os.close(handle)
    try:
        command = [sys.executable, str(script), "--child", backend, path, *arguments]
        subprocess.run(command, env=child_env(backend), check=True)
        return json.loads(Path(path).read_text(encoding="utf-8"))
    finally:
        os.unlink(path)


def prepare(backend):
    """Django set up on this process's database (``database_url``), the demo loaded once, the
    shipped synonym list put in as it is, and the search index rebuilt (Elasticsearch's too, in
    ``ES_INDEX``, for ``backend`` "elasticsearch"): as the next deployment would search."""
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction

    from demo.loader import DemoLoader
    from kompetanse.models import CommunityHomePage
    from search import backends, indexing, synonym_list
    from search.backends import elastic
    from search.models import Synonym

    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    if CommunityHomePage.objects.count() < 2:
        print(f"[{backend}] loading the demo (first run on this database) …", flush=True)
        DemoLoader().run()
    with transaction.atomic():
        Synonym.objects.all().delete()
        synonym_list.apply(synonym_list.read_starting_list(), Synonym)
    call_command("rebuild_search_index", "--no-progress", verbosity=0, stdout=open(os.devnull, "w"))
    if backend == "elasticsearch":
        settings.ELASTICSEARCH_URL = os.environ.get("TEST_ELASTICSEARCH_URL", "http://127.0.0.1:9200")
        settings.ELASTICSEARCH_INDEX = ES_INDEX
        elastic.rebuild(indexing.document_for(page) for page in indexing.searchable_pages())
        backends._es_down_until = 0.0


def run(args):
    (backend,) = args.backends
    prepare(backend)

    from search import backends
    from tests.search.relevance import KIND_OF, TUNING, evaluate, portal_ranking

    queries = {q: j for q, j in TUNING.items() if not args.kind or KIND_OF[q] == args.kind}
    rankings = {}

    def rank(query):
        rankings[query] = portal_ranking(query)
        return rankings[query]

    result = evaluate(rank, queries)
    if backend == "elasticsearch" and backends._es_down_until:
        print("[elasticsearch] a search fell back to the database: not Elasticsearch's figure")
    if args.per_query:
        for query, score in sorted(result.per_query.items(), key=lambda item: (KIND_OF[item[0]], item[1])):
            judged = queries[query]
            top = ", ".join(f"{key}({judged.get(key, 0)})" for key in rankings[query][:5])
            best = ", ".join(f"{k}({g})" for k, g in sorted(judged.items(), key=lambda kv: -kv[1])[:4])
            print(f"{KIND_OF[query]:12} {score:.3f}  {query!r}\n{'':18}got: {top}\n{'':18}want: {best}")
    kinds = "  ".join(f"{kind} {score:.3f}" for kind, score in result.per_kind.items())
    print(f"{backend:13} tuning ({len(queries)}): {result.mean:.3f}   {kinds}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
