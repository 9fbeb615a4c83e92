#!/usr/bin/env python
"""What building the index texts costs: with and without the compound splitter's memo
(``search.compounds._split`` and ``candidates``) and the folding of rare characters only
(``search.analysis.fold``), side by side in one run (issue #15).

A rebuild and every publish build each page's texts for the index: its Elasticsearch document
(``elastic.nodes._action``) and the database backends' analysed texts
(``database.writing._analyzed_texts``). Both fold the page's text and split every long word of it
into its parts (``compounds.document_parts``). Before 5 December 2026 each page split its words
anew and folding joined the text character by character in Python.

Run by hand on a database with generated pages (bench/search_bench.py makes them):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_esspeed_100k \\
        .venv/bin/python bench/index_texts.py --pages 5000 --rounds 3

The documents are read once, then each round builds them every way, in turn from a different
one: «som før» (the splitter and the folding as they were), «med minne» (the memo, the old
folding) and «nå» (both changes); the memo is emptied at the start of each of its rounds, as a
rebuild starts in a process of its own. Every way must give the same documents; the script stops
if they do not.
"""

import argparse
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")

import django  # noqa: E402

django.setup()

from search import analysis, compounds, indexing  # noqa: E402
from search.backends.database import writing  # noqa: E402
from search.backends.elastic import nodes  # noqa: E402

MEMOS = (compounds._split, compounds.candidates)


def build(docs):
    """Each document's Elasticsearch action and database texts, and the seconds it took."""
    started = time.perf_counter()
    built = [(nodes._action(doc, "bench")["_source"], writing._analyzed_texts(doc)) for doc in docs]
    return built, time.perf_counter() - started


def unmemoized_split(word, vocabulary=()):
    """``compounds.split`` as it was before the memo: the splitter asked with the page's whole
    vocabulary every time (``_split`` unwrapped gives the same parts, tests/search/test_compounds.py)."""
    if len(word) < compounds.MIN_COMPOUND or not word.isalpha() or word in compounds.STOP_WORDS:
        return ()
    return compounds._split.__wrapped__(word, vocabulary)


def joined_fold(text):
    """``analysis.fold`` as it was: every character joined in Python."""
    lower = text.lower()
    if lower.isascii():
        return lower
    return "".join(c if c.isascii() else analysis._fold_char(c) for c in lower)


def way(split, fold):
    def run(docs):
        for memo in MEMOS:
            memo.cache_clear()
        kept = compounds.split, analysis.fold
        compounds.split, analysis.fold = split or kept[0], fold or kept[1]
        try:
            return build(docs)
        finally:
            compounds.split, analysis.fold = kept

    return run


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=5000, help="Sider å bygge dokumenter for.")
    parser.add_argument("--rounds", type=int, default=3, help="Runder med hver måte.")
    args = parser.parse_args()
    docs = list(itertools.islice(indexing.iter_documents(), args.pages))
    ways = {
        "som før": way(unmemoized_split, joined_fold),
        "med minne": way(None, joined_fold),
        "nå": way(None, None),
    }
    seconds = {name: [] for name in ways}
    for number in range(args.rounds):
        names = list(ways)
        order = names[number % len(names) :] + names[: number % len(names)]
        answers = {}
        for name in order:
            answers[name], spent = ways[name](docs)
            seconds[name].append(spent)
        if any(answer != answers["som før"] for answer in answers.values()):
            sys.exit("Måtene ga ulike dokumenter.")
        print(
            f"runde {number + 1}: " + ", ".join(f"{name} {seconds[name][-1]:.2f} s" for name in ways),
            flush=True,
        )
    print(f"\n{len(docs)} sider, {args.rounds} runder, median:\n")
    print("| måte | sekunder | sider/s | ms per side |")
    print("| --- | ---: | ---: | ---: |")
    for name in ways:
        median = statistics.median(seconds[name])
        print(f"| {name} | {median:.2f} | {len(docs) / median:.0f} | {1000 * median / len(docs):.2f} |")


if __name__ == "__main__":
    main()
