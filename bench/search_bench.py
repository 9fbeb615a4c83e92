"""Search benchmark: generated pages, indexing time and query latency, portal vs stock Wagtail.

Run by hand (not part of the test suite), once per database:

    .venv/bin/python bench/search_bench.py --sizes 1000 10000 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench .venv/bin/python bench/search_bench.py ...

It needs an empty, migrated database of its own (it adds pages in bulk and never cleans up):
    DATABASE_URL=... .venv/bin/python manage.py migrate

Pages are inserted in bulk straight into the page tables (creating 100,000 pages through
publish() would take hours); the text is drawn from the demo content's own words, so word
frequencies look like real Norwegian pages. Sizes grow in place: 1,000, then 9,000 more, and so on.
For each size it measures
- indexing: ``rebuild_search_index`` (portal) and ``update_index`` (Wagtail's database backend),
- latency: p50/p95 of each query shape, portal search (results page of 10 + total + facet
  counts) right after the index version changed ("kald", as after a publish) and repeated
  ("varm"), vs
  ``Page.objects.live().search(q)`` (10 results + count; it has no facets), and how many pages
  each found,
and prints a Markdown table to paste into docs/benchmarks.md (``--out`` appends it to a file).

With ``--new-words`` the cold search is also the first of its words (on Elasticsearch too: the
words and concepts the portal remembers, ``elastic.word_counts``, are forgotten and the node's
request cache emptied before each search): besides the new index version, the cache is emptied
(the hits' snippets are kept under the pages' texts and the query's words, not the index version,
so the ordinary cold search reuses those of the same words searched before), then what any running process has cached whatever was searched (the facet labels, the
queries with promotions, Wagtail's site root paths) is read into it again, untimed.
The ordinary cold search also reuses how many pages have each of the query's concepts, which
every backend remembers past a publish (``params.COUNTS_SECONDS``, since 5 December 2026 on
PostgreSQL too); ``--new-words`` counts them again.

With ``--elasticsearch URL`` (e.g. after ``make elasticsearch`` or ``make elasticsearch-cluster``)
the same searches also run on Elasticsearch in the same run: the index is rebuilt from the same
pages (pages/s), and each query shape is timed through the same search service with facets and
snippets. Elasticsearch answers are never cached by the portal, so every run is "cold" for us; the
snippets, made by the portal from the hits' texts since 4 December 2026, are kept under those texts
and the query's words as on the database (``--new-words`` forgets them).
With ``--rewrite`` each shape is also timed cold after a real publish of a page's text: before
each search one generated page is indexed again through the portal's own path
(``search.indexing.update_page``: its row, its full-text entries, the vocabulary, and on
Elasticsearch the queued write, run at once), a different page each time. The ordinary cold search
writes only the versions a publish writes, so what a write leaves in the full-text indexes (on
PostgreSQL the GIN pending list, on SQLite FTS5's new segments, on Elasticsearch a new segment
after a refresh) is not in its figure.
``--elasticsearch-as-is`` times the index that is there (``ELASTICSEARCH_INDEX``) without rebuilding
it, for a change of the queries only. bench/es_breakdown.py shows where an Elasticsearch search's
time goes.
"""

import argparse
import datetime
import functools
import itertools
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from wagtail.models import Locale, Page, Site  # noqa: E402

from core import pagecache  # noqa: E402
from kompetanse.communities import ensure_community, listing_for  # noqa: E402
from kompetanse.models import KnowledgePage, ProcedurePage, RecommendationPage, TargetGroup, Topic  # noqa: E402
from search import indexing  # noqa: E402
from search.analysis import words  # noqa: E402
from search.backends import database  # noqa: E402
from search.params import facet_labels  # noqa: E402
from search.promotions import promoted_queries  # noqa: E402
from search.service import run_search  # noqa: E402

COMMUNITIES = ["sentral", "oslo", "ahus", "vestre-viken"]
KINDS = [ProcedurePage, RecommendationPage]
QUESTION = "hvem har ansvar for legemiddelsamstemming ved utskrivning?"
LONG = "eldre pasient skrives ut, legemidler, multidose, hjemmesykepleien og fastlegen følger opp"
# (shape, query, filters, Wagtail's search options). The "treff" column shows how many pages each
# found: a shape where stock Wagtail is quick may be one where it finds (almost) nothing.
QUERIES = [
    ("ett ord", "legemidler", {}, {}),
    ("to ord", "fall eldre", {}, {}),
    ("forkortelse (synonymer)", "KOLS", {}, {}),
    # A query that a synonym group's expression of several words claims whole: every backend also
    # finds its words apart (elastic.request._phrase_words), which costs more for common words.
    ("uttrykk (synonymgruppe)", "psykisk helse", {}, {}),
    ("spørsmål", QUESTION, {}, {}),
    # Stock Wagtail requires every word of a query (operator "and"): it finds the question's few
    # pages with all seven words, where the portal ranks every page that answers part of it. With
    # operator "or" Wagtail ranks what the portal ranks: the like-for-like timing of the question.
    ("spørsmål (Wagtail: «or»)", QUESTION, {}, {"operator": "or"}),
    # More words than a phrase (queries.PHRASE_MAX): Elasticsearch also ranks each two neighbouring
    # words together (elastic.request.PAIR_WORDS), seven phrase clauses over common words.
    ("lang spørring", LONG, {}, {}),
    ("med filtre", "utskrivning", {"type": ["procedure"], "community": ["oslo"]}, {}),
    ("skrivefeil", "legemiddelsamstemmming", {}, {}),
    # What the reader meant: stock Wagtail finds nothing for the typo, the portal answers this.
    ("rett stavet", "legemiddelsamstemming", {}, {}),
]
REPEAT = 15
WARMUP = 3


def corpus_words():
    from demo.loader import page_modules

    text = repr(list(page_modules().values()))
    tokens = [w for w in words(text) if w.isalpha() and len(w) > 1 and not w.startswith("http")]
    return tokens


def base36(n, width=4):
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(width):
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out


def insert_rows(model, objects):
    """INSERT the model's own columns (its part of the multi-table chain) for many objects."""
    fields = [f for f in model._meta.local_concrete_fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objects]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})",
            rows,
        )


@transaction.atomic
def generate(count, rng, vocabulary, start):
    """Add ``count`` live pages, spread over the communities and two content types."""
    locale = Locale.get_default()
    topics = list(Topic.objects.all())
    groups = list(TargetGroup.objects.all())
    now = datetime.datetime.now(datetime.UTC)
    parents = {}
    for slug in COMMUNITIES:
        community = ensure_community(slug)
        for model in KINDS:
            parents[(slug, model)] = listing_for(community, model.content_kind)
    per_parent = {key: [] for key in parents}
    for i in range(count):
        n = start + i
        key = (COMMUNITIES[n % len(COMMUNITIES)], KINDS[(n // len(COMMUNITIES)) % len(KINDS)])
        per_parent[key].append(n)
    links = []
    for (slug, model), numbers in per_parent.items():
        parent = Page.objects.get(pk=parents[(slug, model)].pk)
        content_type = ContentType.objects.get_for_model(model)
        objs = []
        for offset, n in enumerate(numbers):
            title = " ".join(rng.choices(vocabulary, k=6)).capitalize()
            page_slug = f"bench-{n}"
            page = model(
                title=title,
                draft_title=title,
                slug=page_slug,
                content_type=content_type,
                path=parent.path + base36(parent.numchild + offset + 1),
                depth=parent.depth + 1,
                numchild=0,
                url_path=parent.url_path + page_slug + "/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                locale=locale,
                translation_key=uuid.uuid4(),
                summary=" ".join(rng.choices(vocabulary, k=30)).capitalize() + ".",
                body=[("paragraph", "<p>" + " ".join(rng.choices(vocabulary, k=150)) + "</p>")],
                next_review=datetime.date(2027, 1, 1) + datetime.timedelta(days=n % 700),
            )
            objs.append(page)
        created = Page.objects.bulk_create(objs, batch_size=1000)
        if any(p.pk is None for p in created):
            by_path = dict(Page.objects.filter(path__in=[p.path for p in objs]).values_list("path", "pk"))
            for p in objs:
                p.pk = p.id = by_path[p.path]
        for p in objs:
            p.page_ptr_id = p.pk
            p.knowledgepage_ptr_id = p.pk
        insert_rows(KnowledgePage, objs)
        insert_rows(model, objs)
        Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(objs))
        for p in objs:
            for topic in rng.sample(topics, k=min(2, len(topics))):
                links.append(KnowledgePage.topics.through(knowledgepage_id=p.pk, topic_id=topic.pk))
            links.append(
                KnowledgePage.target_groups.through(
                    knowledgepage_id=p.pk, targetgroup_id=rng.choice(groups).pk
                )
            )
    KnowledgePage.topics.through.objects.bulk_create(
        [x for x in links if hasattr(x, "topic_id")], batch_size=2000
    )
    KnowledgePage.target_groups.through.objects.bulk_create(
        [x for x in links if hasattr(x, "targetgroup_id")], batch_size=2000
    )


def timed(func, before=None):
    if before is not None:
        before()
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def measure(func, repeat=REPEAT, warmup=WARMUP, before=None):
    """p50/p95 of ``func``; ``before`` runs untimed before each call (to empty the cache)."""
    for _ in range(warmup):
        func()
    return percentiles([timed(func, before) for _ in range(repeat)])


def forget(new_words):
    """Before a cold search: a new index version and a new content version, as a publish writes
    both, and with ``new_words`` nothing kept of any search (see the module's docstring).

    The content version was left out until 5 December 2026: the cold figures before then miss
    that each process reads the synonyms again after a publish (21 ms for the shipped list while
    the groups were built again each time, 2-3 ms since; ``queries.synonym_groups``)."""
    database.note_change()
    pagecache.content_changed()
    if new_words:
        cache.clear()
        facet_labels()
        promoted_queries()
        Site.get_site_root_paths()


def forget_on_the_node():
    """Before an Elasticsearch search of new words: ``forget`` (which empties the words and concepts
    the portal remembers, ``elastic.word_counts``), and the node's request cache, which keeps the
    size-0 answers of the known-words request until the index next changes."""
    from search.backends import elastic

    forget(True)
    elastic.client().indices.clear_cache(index=elastic.alias(), request=True)


def rewriter(forget_after, count=500):
    """Before a cold search after a real publish: one generated page indexed again
    (``indexing.update_page``, as a publish does at the end of its request), a different one each
    call, then ``forget_after`` (the versions, and with ``--new-words`` the cache)."""
    pages = itertools.cycle(KnowledgePage.objects.filter(slug__startswith="bench-").order_by("pk")[:count])

    def rewrite():
        indexing.update_page(next(pages))
        forget_after()

    return rewrite


def portal_query(query, filters):
    def run():
        result = run_search(query, filters=filters)
        return result.total, result.facets

    return run


def wagtail_query(query, options):
    def run():
        results = Page.objects.live().search(query, **options)
        list(results[:10])
        return results.count()

    return run


def with_elasticsearch(url, func):
    """Run ``func`` with the portal's search on Elasticsearch, then back on the database."""
    from django.conf import settings

    from search import backends

    settings.ELASTICSEARCH_URL, backends._es_down_until = url, 0.0
    try:
        return func()
    finally:
        settings.ELASTICSEARCH_URL = None


def rebuild_elasticsearch():
    from search import indexing
    from search.backends import elastic

    started = time.perf_counter()
    elastic.rebuild(indexing.iter_documents())
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--skip-wagtail-index", action="store_true", help="Mål ikke Wagtails update_index.")
    parser.add_argument("--out", help="Legg tabellen til i denne filen.")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="Målinger per spørring (portal).")
    parser.add_argument(
        "--wagtail-repeat",
        type=int,
        default=REPEAT,
        help="Målinger per spørring (Wagtail; den er treg ved mange sider).",
    )
    parser.add_argument("--no-wagtail", action="store_true", help="Mål bare portalens søk.")
    parser.add_argument("--queries-only", action="store_true", help="Bare spørringer (indeksene finnes).")
    parser.add_argument(
        "--new-words",
        action="store_true",
        help="Kald: også ord ingen har søkt på før (ingen utdrag i hurtigbufferen).",
    )
    parser.add_argument(
        "--rewrite",
        action="store_true",
        help="Mål også kald etter at en side er skrevet på nytt i indeksen (en ekte publisering).",
    )
    parser.add_argument(
        "--elasticsearch", help="Mål også Elasticsearch på denne adressen (node-URL-er, kommaseparert)."
    )
    parser.add_argument(
        "--elasticsearch-as-is",
        action="store_true",
        help="Bygg ikke Elasticsearch-indeksen på nytt (den finnes, med samme sider og mapping).",
    )
    args = parser.parse_args()
    rng = random.Random(42)
    vocabulary = corpus_words()
    existing = KnowledgePage.objects.filter(slug__startswith="bench-").count()
    cold = functools.partial(forget, args.new_words)
    # The columns after Wagtail's, in the order each row writes them.
    extra = [
        *(["Elasticsearch p50 / p95 (ms)"] if args.elasticsearch else []),
        *(["portal kald etter skriving"] if args.rewrite else []),
        *(["Elasticsearch kald etter skriving"] if args.rewrite and args.elasticsearch else []),
    ]
    lines = [
        f"#### {connection.vendor} – {datetime.date.today().isoformat()}",
        "",
        "| sider | indeksering portal | indeksering Wagtail | spørring | treff portal / Wagtail"
        " | portal kald p50 / p95 (ms) | portal varm p50 / p95 (ms) | Wagtail p50 / p95 (ms) |"
        + "".join(f" {column} |" for column in extra),
        "| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |" + " ---: |" * len(extra),
    ]
    for size in sorted(args.sizes):
        if size > existing:
            started = time.perf_counter()
            generate(size - existing, rng, vocabulary, existing)
            print(
                f"{size}: {size - existing} sider laget på {time.perf_counter() - started:.1f} s", flush=True
            )
            existing = size
        if args.queries_only:
            portal_index = None
        else:
            portal_index = timed(
                lambda: call_command("rebuild_search_index", no_progress=True, stdout=open(os.devnull, "w"))
            )
            print(f"{size}: portalindeks {portal_index:.1f} s", flush=True)
        if args.skip_wagtail_index or args.queries_only or args.no_wagtail:
            wagtail_index = None
        else:
            wagtail_index = timed(lambda: call_command("update_index", stdout=open(os.devnull, "w")))
            print(f"{size}: Wagtail-indeks {wagtail_index:.1f} s", flush=True)
        if args.elasticsearch and not args.elasticsearch_as_is:
            seconds = with_elasticsearch(args.elasticsearch, rebuild_elasticsearch)
            print(f"{size}: Elasticsearch-indeks {seconds:.1f} s ({size / seconds:.0f} sider/s)", flush=True)
        for label, query, filters, options in QUERIES:
            if options and args.no_wagtail:
                continue  # the same portal search as the shape before it
            # Cold: a new index and content version before every run, as a publish writes them
            # (every cached answer is retired, each process reads the synonyms again); warm: the
            # same search again.
            portal = measure(portal_query(query, filters), args.repeat, before=cold)
            warm = measure(portal_query(query, filters), args.repeat)
            found = str(run_search(query, filters=filters).total)
            if filters or args.no_wagtail:
                wagtail = None
            else:
                wagtail = measure(wagtail_query(query, options), args.wagtail_repeat, 1)
                found += f" / {wagtail_query(query, options)()}"
            if wagtail:
                wagtail_text = f"{wagtail[0]:.1f} / {wagtail[1]:.1f}"
            else:
                wagtail_text = "– (ikke målt)" if args.no_wagtail else "– (ingen filtre)"
            if args.elasticsearch:
                es_cold = forget_on_the_node if args.new_words else cold
                es = with_elasticsearch(
                    args.elasticsearch,
                    functools.partial(measure, portal_query(query, filters), args.repeat, before=es_cold),
                )
                wagtail_text += f" | {es[0]:.1f} / {es[1]:.1f}"
            if args.rewrite:
                # The same cold search, each after a page written again (``rewriter``).
                written = measure(portal_query(query, filters), args.repeat, before=rewriter(cold))
                wagtail_text += f" | {written[0]:.1f} / {written[1]:.1f}"
                if args.elasticsearch:
                    es_written = with_elasticsearch(
                        args.elasticsearch,
                        functools.partial(
                            measure, portal_query(query, filters), args.repeat, before=rewriter(es_cold)
                        ),
                    )
                    wagtail_text += f" | {es_written[0]:.1f} / {es_written[1]:.1f}"
            line = (
                f"| {size:,} | "
                + (f"{portal_index:.1f} s" if portal_index is not None else "–")
                + " | "
                + (f"{wagtail_index:.1f} s" if wagtail_index is not None else "–")
                + f" | {label} | {found} | {portal[0]:.1f} / {portal[1]:.1f} | {warm[0]:.1f} / {warm[1]:.1f}"
                + f" | {wagtail_text} |"
            )
            lines.append(line.replace(",", " "))
            print(lines[-1], flush=True)
    table = "\n".join(lines) + "\n"
    print(table)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as handle:
            handle.write(table + "\n")


if __name__ == "__main__":
    main()
