"""nDCG@10 per backend on a judged development file (by default bench/community_judged.json).

Run by hand (not part of the test suite):

    RELEVANCE_SQLITE_FILE=/tmp/commjudge.sqlite3 RELEVANCE_PG_NAME=kp_commjudge \\
    RELEVANCE_ES_INDEX=kp-commjudge .venv/bin/python bench/judged_dev.py [--per-query]
    .venv/bin/python bench/judged_dev.py --pool        # each backend's first ten, no score
    .venv/bin/python bench/judged_dev.py --where       # where Elasticsearch is behind, and why

    .venv/bin/python bench/judged_dev.py --file bench/development_judged.json   # 90 queries, by kind
    .venv/bin/python bench/judged_dev.py --file bench/development_judged_2.json # 59 more, 30 questions
    .venv/bin/python bench/judged_dev.py --file bench/development_judged_3.json # 37: word forms, places
    .venv/bin/python bench/judged_dev.py --file bench/development_judged_4.json # 61: questions, plain
    .venv/bin/python bench/judged_dev.py --file bench/development_judged_5.json # 69: plain, places, questions

The file is a list of ``{"query", "judgments": {"community/slug": grade}}`` (and optionally a
``kind``, then the means per kind are printed too) with the grades of
tests/search/relevance.py (3 answers, 2 highly relevant, 1 related, left out = not relevant).
It is development data, written from the demo content: unlike the relevance collection's
held-out part it may be looked at, query by query. ``--pool`` prints the first ten pages of every
backend for every query, without judgements or scores, to pool pages for judging before any
figure is computed.

Each backend answers in a process of its own on the database and index that
``bench/relevance_tuning.py``'s ``prepare`` sets up (demo loaded once, shipped synonyms, index
rebuilt); ``$RELEVANCE_SQLITE_FILE``, ``$RELEVANCE_PG_NAME`` and ``$RELEVANCE_ES_INDEX`` name them.
The child writes its rankings to a temporary file that this process reads, scores and deletes,
so the three backends' rankings can be printed side by side.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import relevance_tuning  # noqa: E402

from tests.search.relevance import KINDS  # noqa: E402

DEFAULT_FILE = ROOT / "bench" / "community_judged.json"
SHORT = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "elasticsearch": "Elasticsearch"}


def development_sets():
    """bench/development_judged*.json, in order: the development sets written query by query."""
    return sorted((ROOT / "bench").glob("development_judged*.json"))


def load(path):
    """{query: {page key: grade}} from a judged file; a ValueError naming the fault if the file is
    not a list of queries with "community/slug" keys graded 0-3 (and a 3 or 2 to find)."""
    with open(path, encoding="utf-8") as file:
        items = json.load(file)
    judged = {}
    for item in items if isinstance(items, list) else [None]:
        if not isinstance(item, dict) or not isinstance(item.get("judgments"), dict):
            raise ValueError(f"{path}: every entry needs a query and its judgments: {item!r}")
        query, grades = item.get("query"), item["judgments"]
        if not isinstance(query, str) or not query.strip() or query in judged:
            raise ValueError(f"{path}: a query is missing, empty or given twice: {query!r}")
        for key, grade in grades.items():
            if key.count("/") != 1 or grade not in (0, 1, 2, 3) or isinstance(grade, bool):
                raise ValueError(f"{path}: {query!r}: {key!r} must be community/slug, graded 0-3")
        if max(grades.values(), default=0) < 2:
            raise ValueError(f"{path}: {query!r} has no page graded 2 or 3: nDCG would mean nothing")
        judged[query] = grades
    return judged


def rank_all(backend, queries, path):
    """Child process: the portal's first ten page keys for each query on ``backend``, to ``path``."""
    relevance_tuning.prepare(backend)
    from search import backends
    from tests.search.relevance import portal_ranking

    rankings = {query: portal_ranking(query) for query in queries}
    if backend == "elasticsearch" and backends._es_down_until:
        sys.exit("[elasticsearch] a search fell back to the database: no figures")
    Path(path).write_text(json.dumps(rankings, ensure_ascii=False), encoding="utf-8")


def where_words_stand(judged, path):
    """Child process: for every query, where each of its words stands (title, summary, taxonomy,
    body of the indexed document) on every demo page, written to ``path``. A word stands in a
    part when a word there begins with its first six letters: a rough stand-in for the backends'
    stemming, good enough to tell a page that matches only a place name from one that matches
    the subject too."""
    import re

    from search import indexing
    from tests.search.relevance import page_key

    parts = ("title", "summary", "taxonomy", "body")
    documents = {}
    for page in indexing.searchable_pages():
        document = indexing.document_for(page)
        documents[page_key(page)] = {part: re.findall(r"\w+", document[part].lower()) for part in parts}
    where = {}
    for query in judged:
        stems = {word: [w[:6] for w in re.findall(r"\w+", word.lower())] for word in query.split()}
        where[query] = {
            key: {
                word: [p for p in parts if any(t.startswith(s) for s in ss for t in words[p])]
                for word, ss in stems.items()
            }
            for key, words in documents.items()
        }
    Path(path).write_text(json.dumps(where, ensure_ascii=False), encoding="utf-8")


def rankings_of(backend, judged_file):
    return relevance_tuning.child_json(__file__, backend, "--file", str(judged_file))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("backends", nargs="*", help=" ".join(relevance_tuning.BACKENDS))
    parser.add_argument("--file", default=str(DEFAULT_FILE), help="the judged file")
    parser.add_argument("--per-query", action="store_true", help="each query's score and top 5")
    parser.add_argument("--pool", action="store_true", help="each backend's first ten, no scores")
    parser.add_argument(
        "--where",
        action="store_true",
        help="for queries where Elasticsearch is behind a database: its top 10 and where the words stand",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    judged = load(args.file)
    if args.child:
        if args.child[0] == "where":
            relevance_tuning.prepare("sqlite")
            return where_words_stand(judged, args.child[1])
        return rank_all(args.child[0], list(judged), args.child[1])
    backends = args.backends or list(relevance_tuning.BACKENDS)
    if set(backends) - set(relevance_tuning.BACKENDS):
        parser.error(f"backends: {', '.join(relevance_tuning.BACKENDS)}")
    rankings = {backend: rankings_of(backend, args.file) for backend in backends}
    if args.pool:
        for query in judged:
            pooled = sorted({key for backend in backends for key in rankings[backend][query]})
            print(f"{query!r}: {len(pooled)} pooled")
            for backend in backends:
                print(f"  {SHORT[backend]:13} " + ", ".join(rankings[backend][query]))
        return 0

    from tests.search.relevance import ndcg

    scores = {b: {q: ndcg(rankings[b][q], judged[q]) for q in judged} for b in backends}
    if args.per_query:
        for query, grades in judged.items():
            cells = "  ".join(f"{SHORT[b]} {scores[b][query]:.3f}" for b in backends)
            print(f"{query!r}  {cells}")
            for backend in backends:
                top = ", ".join(f"{key}({grades.get(key, 0)})" for key in rankings[backend][query][:5])
                print(f"  {SHORT[backend]:13} {top}")
        print()
    if args.where and "elasticsearch" in backends and len(backends) > 1:
        print_where(judged, rankings, scores, rankings_of("where", args.file))
    kinds = kinds_of(args.file)
    for backend in backends:
        mean = sum(scores[backend].values()) / len(judged)
        by_kind = {kind: [scores[backend][q] for q in judged if kinds.get(q) == kind] for kind in KINDS}
        per_kind = "  ".join(f"{kind} {sum(v) / len(v):.3f}" for kind, v in by_kind.items() if v)
        print(
            f"{SHORT[backend]:13} nDCG@10 {mean:.3f} over {len(judged)} queries ({Path(args.file).name})  {per_kind}"
        )
    return 0


def kinds_of(path):
    """{query: kind} for the queries of a judged file that name their kind (tests/search/relevance.KINDS)."""
    with open(path, encoding="utf-8") as file:
        return {item["query"]: item["kind"] for item in json.load(file) if "kind" in item}


def print_where(judged, rankings, scores, where):
    """Elasticsearch's first ten, and the relevant pages it leaves out, on each query where it is
    behind the better database backend; beside each page, the parts each query word stands in."""
    databases = [b for b in rankings if b != "elasticsearch"]
    for query, grades in judged.items():
        best = max(scores[b][query] for b in databases)
        if scores["elasticsearch"][query] >= best - 0.005:
            continue
        print(f"{query!r}: Elasticsearch {scores['elasticsearch'][query]:.3f}, best database {best:.3f}")
        shown = rankings["elasticsearch"][query]
        left_out = [
            key for key in sorted(grades, key=lambda k: -grades[k]) if key not in shown and grades[key]
        ]
        for place, key in [*enumerate(shown, 1), *(("--", key) for key in left_out)]:
            words = "  ".join(f"{w}:{'/'.join(parts) or '-'}" for w, parts in where[query][key].items())
            print(f"  {place:>2} ({grades.get(key, 0)}) {key:62} {words}")
    print()


if __name__ == "__main__":
    sys.exit(main())
