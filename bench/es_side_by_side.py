"""Elasticsearch's request of an earlier commit against this tree's, side by side in one run.

Run by hand on the database and the index bench/search_bench.py built (the same pages):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench ELASTICSEARCH_INDEX=my-bench \\
        .venv/bin/python bench/es_side_by_side.py --before a39fd69 --elasticsearch http://127.0.0.1:9200

For each query shape of bench/search_bench.py, ``run_search`` (the portal's whole answer: hits,
snippets, total, facets) is timed with the request builder (``search_request``) of
``search/backends/elastic`` as it was at ``--before`` and as it is in this tree, alternating
run by run (first one first, then the other), so that both meet the same load on a shared machine.
The rest of the portal is this tree's. ``--no-node-cache`` empties the node's query
cache (the filter clauses it keeps per segment once they recur) and request cache before each
search, untimed: for a request whose filters the node would otherwise answer from memory. It prints, per shape, p50 / p95 of the wall time and of the
node's ``took`` for each, and whether both answers are the same: the same pages in the same order,
the same total and facet counts. The load average is printed before and after: give it with the
figures.
"""

import argparse
import importlib.util
import inspect
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site"), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from elasticsearch import Elasticsearch  # noqa: E402
from search_bench import QUERIES, percentiles  # noqa: E402

from search import backends  # noqa: E402
from search.backends import elastic  # noqa: E402
from search.service import run_search  # noqa: E402

REPEAT = 60
WARMUP = 5


def module_at(revision):
    """The Elasticsearch backend as it was at ``revision``, imported as a module of its own: the
    file ``search/backends/elastic.py`` until 4 December 2026, the package
    ``search/backends/elastic/`` since (its modules import each other by their full names, which
    are renamed here so that the revision's modules import the revision's)."""

    def show(path):
        return subprocess.run(
            ["git", "show", f"{revision}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout

    name = f"elastic_at_{revision}"
    listed = subprocess.run(
        ["git", "ls-tree", "--name-only", revision, "search/backends/elastic/"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    folder = Path(tempfile.mkdtemp())
    if listed:
        package = folder / name
        package.mkdir()
        for path in listed:
            source = show(path).replace("search.backends.elastic.", f"{name}.")
            (package / Path(path).name).write_text(source, encoding="utf-8")
    else:
        (folder / f"{name}.py").write_text(show("search/backends/elastic.py"), encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(name)  # imports every module of the package now
    finally:
        sys.path.remove(str(folder))
        shutil.rmtree(folder)


def load():
    return Path("/proc/loadavg").read_text().split()[:3]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", required=True, help="the commit whose request is timed first")
    parser.add_argument("--elasticsearch", required=True, help="node URL")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--shapes", nargs="*", help="only these shapes (their labels)")
    parser.add_argument(
        "--no-node-cache",
        action="store_true",
        help="empty the node's query cache (the filters it keeps per segment) before each search, untimed",
    )
    args = parser.parse_args()
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    settings.ELASTICSEARCH_URL, backends._es_down_until = args.elasticsearch, 0.0
    before = module_at(args.before).search_request
    accepted = inspect.signature(before).parameters

    def earlier(*a, **kwargs):
        # What this tree's search() passes and the earlier builder did not take (``counts``).
        return before(*a, **{key: value for key, value in kwargs.items() if key in accepted})

    builders = {args.before: earlier, "this tree": elastic.search_request}
    took = []
    original_search = Elasticsearch.search

    def search(self, *a, **kwargs):
        response = original_search(self, *a, **kwargs)
        if "query" in (kwargs.get("body") or {}):  # not the size-0 check of which words are known
            took.append(response["took"])
        return response

    def timed(builder, query, filters):
        if args.no_node_cache:
            elastic.client().indices.clear_cache(index=elastic.alias(), query=True, request=True)
        elastic.search_request = builder
        took.clear()
        started = time.perf_counter()
        result = run_search(query, filters=filters)
        wall = time.perf_counter() - started
        if result.backend != "elasticsearch":
            sys.exit("Elasticsearch did not answer: no figures.")
        return wall, sum(took) / 1000, ([hit.url for hit in result.hits], result.total, result.facets)

    Elasticsearch.search = search
    print(f"index {elastic.alias()}; load average before {' '.join(load())}")
    print(
        "\n| shape | "
        + " | ".join(f"{name}: wall p50 / p95, took p50 / p95 (ms)" for name in builders)
        + " | answers |"
    )
    print("| --- |" + " ---: |" * len(builders) + " --- |")
    try:
        for label, query, filters, options in QUERIES:
            if options or (args.shapes and label not in args.shapes):
                continue
            walls = {name: [] for name in builders}
            tooks = {name: [] for name in builders}
            answers = {}
            for name, builder in builders.items():
                for _ in range(WARMUP):
                    answers[name] = timed(builder, query, filters)[2]
            order = list(builders)
            for run in range(args.repeat):
                for name in order if run % 2 == 0 else order[::-1]:
                    wall, node, _ = timed(builders[name], query, filters)
                    walls[name].append(wall)
                    tooks[name].append(node)
            cells = []
            for name in builders:
                wall, node = percentiles(walls[name]), percentiles(tooks[name])
                cells.append(f"{wall[0]:.1f} / {wall[1]:.1f}, {node[0]:.0f} / {node[1]:.0f}")
            same = "the same answer" if len({repr(a) for a in answers.values()}) == 1 else "ANSWERS DIFFER"
            print(f"| {label} | " + " | ".join(cells) + f" | {same} |", flush=True)
    finally:
        Elasticsearch.search = original_search
        elastic.search_request = builders["this tree"]
    print(f"\nload average after {' '.join(load())}")


if __name__ == "__main__":
    main()
