"""Elasticsearch under weeks of publishes: the long query's node time on the merged index, after a
stream of single-page publishes, and after the nightly merge (``manage.py merge_search_index``),
in one run on one index.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_esspeed_100k ELASTICSEARCH_INDEX=kp-speed100k \\
        .venv/bin/python bench/es_publish_stream.py --elasticsearch http://127.0.0.1:9200 --publishes 8000

It needs an index built from the generated pages of bench/search_bench.py (``rebuild_search_index``
or ``search_bench.py --elasticsearch``). Each publish is one generated page written again and made
searchable on its own (``index_documents``, then a refresh): the worst case, a segment each, where
the worker's writes a second apart share the node's refresh. Prints the node's ``took`` (p50 /
p95 of 40, after 5 not counted), the searched segments (documents, deleted copies) and the merges'
work, as a Markdown table for docs/benchmarks.md. The index is left merged.
"""

import argparse
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elasticsearch", required=True, help="Elasticsearch-nodens adresse.")
    parser.add_argument("--publishes", type=int, default=8000, help="Hvor mange publiseringer.")
    parser.add_argument(
        "--first", type=int, default=20000, help="Den første genererte siden som skrives på nytt."
    )
    args = parser.parse_args()

    # search_bench sets Django up (the project on the path, settings.test).
    from django.conf import settings
    from search_bench import LONG, percentiles

    settings.ELASTICSEARCH_URL = args.elasticsearch
    from kompetanse.models import KnowledgePage
    from search import indexing, queries
    from search.backends import elastic
    from search.backends.elastic import request

    es = elastic.admin_client()
    name = next(iter(es.indices.get_alias(name=elastic.alias())))
    parsed = queries.parse(LONG)
    counts, fuzzy = elastic.what_the_index_knows(parsed)
    body = request.search_request(parsed, {}, [], 0, 10, index=name, fuzzy=fuzzy, counts=counts).to_dict()

    def merges():
        return es.indices.stats(index=name, metric="merge")["_all"]["primaries"]["merges"]

    def row(label):
        time.sleep(5)  # merges the publishes started
        for _ in range(5):
            es.search(index=name, body=body, request_cache=False)
        # percentiles takes seconds; ``took`` is in milliseconds.
        took = percentiles(
            [es.search(index=name, body=body, request_cache=False)["took"] / 1000 for _ in range(40)]
        )
        shard = es.indices.segments(index=name)["indices"][name]["shards"]["0"][0]["segments"].values()
        segments = ", ".join(f"{s['num_docs']:,} ({s['deleted_docs']:,})" for s in shard if s["search"])
        print(f"| {label} | {took[0]:.0f} / {took[1]:.0f} | {segments} |", flush=True)

    print("| index | long query `took` p50 / p95 ms | searched segments: pages (deleted copies) |")
    print("| --- | ---: | --- |")
    elastic.merge_to_one_segment(es, name)
    row("merged")
    pages = KnowledgePage.objects.filter(slug__startswith="bench-").order_by("pk")
    docs = [indexing.document_for(page) for page in pages[args.first : args.first + args.publishes]]
    before, started = merges(), time.perf_counter()
    for doc in docs:
        elastic.index_documents([doc], refresh=False)
        es.indices.refresh(index=name)
    wall = time.perf_counter() - started
    row(f"after {len(docs):,} publishes")
    started = time.perf_counter()
    elastic.merge_to_one_segment(es, name)
    row(f"merged again ({time.perf_counter() - started:.1f} s)")
    after = merges()
    print(
        f"\n{len(docs):,} publishes in {wall:.0f} s; the node merged {after['total'] - before['total']:,} times,"
        f" {(after['total_size_in_bytes'] - before['total_size_in_bytes']) / 1e6:,.0f} MB"
        f" in {(after['total_time_in_millis'] - before['total_time_in_millis']) / 1000:.1f} s"
        " (the merge to one segment included)."
    )


if __name__ == "__main__":
    main()
