"""Elasticsearch's known-words request of earlier commits against this tree's, side by side in one run.

Run by hand on the index bench/search_bench.py built (the same pages):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench ELASTICSEARCH_INDEX=my-bench \\
        .venv/bin/python bench/known_words_side_by_side.py --before b198f62 f150a36 \\
        --elasticsearch http://127.0.0.1:9200

Before a search, ``elastic.word_counts`` asks the node which typed words some page has and how
many pages have each concept of the query (``elastic.known_words_request``); the answer is
remembered five minutes, so bench/search_bench.py, which repeats each search, does not see it. This
times that request alone, for each query shape of bench/search_bench.py: the request as each
``--before`` commit built it and as this tree builds it, for the words and concepts this tree's
parser gives, alternating run by run, with the node's request cache off. It prints p50 / p95 of
the wall time per shape and request, and the load average before and after: give it with the
figures.
"""

import argparse
import inspect
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from django.conf import settings  # noqa: E402
from es_side_by_side import load, module_at  # noqa: E402  (sets Django up)
from search_bench import QUERIES, percentiles  # noqa: E402

from search import queries  # noqa: E402
from search.backends import elastic  # noqa: E402

REPEAT = 30
WARMUP = 3


def sender(module, client):
    """A function of (words, concepts) that sends ``module``'s known-words request, uncached."""
    accepted = inspect.signature(module.known_words_request).parameters

    def send(words, concepts):
        extra = {"concepts": concepts} if "concepts" in accepted else {}
        request = module.known_words_request(words, index=elastic.alias(), **extra)
        body = request.to_dict()
        if isinstance(body, list):  # a multi-search: a header and a body per search
            for position in range(0, len(body), 2):
                body[position] = {**body[position], "request_cache": False}
            client.msearch(searches=body)
        else:
            client.search(index=elastic.alias(), body=body, request_cache=False)

    return send


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", nargs="+", required=True, help="the commits whose requests are timed")
    parser.add_argument("--elasticsearch", required=True, help="node URL")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    args = parser.parse_args()
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    settings.ELASTICSEARCH_URL = args.elasticsearch
    client = elastic.client()
    senders = {revision: sender(module_at(revision), client) for revision in args.before}
    senders["this tree"] = sender(elastic, client)
    print(f"index {elastic.alias()}; load average before {' '.join(load())}")
    print("\n| shape | " + " | ".join(f"{name}: wall p50 / p95 (ms)" for name in senders) + " |")
    print("| --- |" + " ---: |" * len(senders))
    for label, query, _, options in QUERIES:
        if options:
            continue
        parsed = queries.parse(query)
        words = elastic.counted_words(parsed)
        concepts = {elastic.concept_key(c): c for c in parsed.concepts} if len(parsed.concepts) > 1 else {}
        walls = {name: [] for name in senders}
        order = list(senders)
        for run in range(WARMUP + args.repeat):
            for name in order if run % 2 == 0 else order[::-1]:
                started = time.perf_counter()
                senders[name](words, concepts)
                if run >= WARMUP:
                    walls[name].append(time.perf_counter() - started)
        cells = ["{:.1f} / {:.1f}".format(*percentiles(walls[name])) for name in senders]
        print(f"| {label} | " + " | ".join(cells) + " |", flush=True)
    print(f"\nload average after {' '.join(load())}")


if __name__ == "__main__":
    main()
