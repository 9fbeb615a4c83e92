#!/usr/bin/env python
"""Index lag: from a publish to the page being searchable in Elasticsearch, through the queue.

    .venv/bin/python bench/index_lag.py                              # SQLite in --workdir, 40 pages
    .venv/bin/python bench/index_lag.py --pages 100 --intervals 1 0.2 --immediate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_lag .venv/bin/python bench/index_lag.py

Needs a running Elasticsearch (``--elasticsearch``, default ``ELASTICSEARCH_URL`` or
http://127.0.0.1:9200) and a scratch database: a fresh SQLite file in ``--workdir`` (the
default), or an empty PostgreSQL database of its own in ``DATABASE_URL`` (``createdb`` it
first; the script migrates it). The index is an alias of its own in the cluster, dropped at
the end.

For each worker poll interval it starts the Procfile's worker (``manage.py db_worker``, a
subprocess with ``settings.production``) and publishes pages in this process the way the admin
does (``save_revision().publish()`` inside ``indexing.batch()``, as ``search.middleware`` wraps
a request). The lag of a page is the time from the end of its publish (the transaction has
committed and the task is queued) until a search request to Elasticsearch finds it. Two runs:

- *one at a time*: publish, wait until the page is found, next page (an idle queue);
- *burst*: publish all pages back to back (a queue with a backlog).

A thread searches Elasticsearch every 10 ms for the pages published and not found yet, so a
page's lag is measured the same way whether other publishes follow it or not.

``--immediate`` adds the same publishes one at a time with the immediate backend (no queue:
every task, Wagtail's too, runs in the publishing process when it commits), for comparison.

Prints a Markdown table for docs/benchmarks.md; traffic goes to 127.0.0.1 only, and every wait
is bounded in time.
"""

import argparse
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WAIT_SECONDS = 60  # the longest a page may take before the run counts it as lost
POLL_SECONDS = 0.01
IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"


def scratch_env(args):
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    database = os.environ.get("DATABASE_URL")
    if not database:
        for path in workdir.glob("lag.sqlite3*"):
            path.unlink()
        database = f"sqlite:///{workdir / 'lag.sqlite3'}"
    return {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": str(workdir / "media"),
        "ELASTICSEARCH_URL": args.elasticsearch,
        "ELASTICSEARCH_INDEX": f"kp-lag-{uuid.uuid4().hex[:10]}",
        "TASKS_BACKEND": "django_tasks_db.backend.DatabaseBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Portal:
    """This process, set up as the worker is: the scratch database and the cluster."""

    def __init__(self, env):
        os.environ.update(env)
        sys.path[:0] = [str(ROOT), str(ROOT / "site")]
        import django

        django.setup()
        from django_tasks_db.models import DBTaskResult

        from kompetanse.communities import ensure_community, listing_for
        from kompetanse.factories import ContentOwnerFactory
        from kompetanse.models import ProcedurePage
        from search import indexing
        from search.backends import elastic
        from search.documents import alias

        self.env = env
        self.tasks = DBTaskResult.objects
        self.batch = indexing.batch
        self.model = ProcedurePage
        self.es = elastic.client()
        self.alias = alias()
        elastic.ensure_index()  # made once here, as the first deploy's rebuild does
        self.listing = listing_for(ensure_community("oslo", "Helsefellesskap Oslo"), "procedure")
        self.owner = ContentOwnerFactory(name="Fagansvarlig", email="fag@example.no")
        self.count = 0

    def publish(self):
        self.count += 1
        page = self.model(
            title=f"Målt prosedyre {self.count} om sårstell",
            slug=f"maalt-{self.count}-{uuid.uuid4().hex[:6]}",
            summary="Rutine for sårstell i hjemmesykepleien.",
            content_owner=self.owner,
        )
        started = time.perf_counter()
        with self.batch():
            self.listing.add_child(instance=page)
            page.save_revision().publish()
        done = time.perf_counter()
        return page.pk, done, done - started

    def found_among(self, page_ids):
        # A search, not a GET by id: a GET sees a document before a refresh makes it searchable.
        response = self.es.search(
            index=self.alias, query={"ids": {"values": [str(pk) for pk in page_ids]}}, size=len(page_ids)
        )
        return {int(hit["_id"]) for hit in response["hits"]["hits"]}

    def queue_is_empty(self):
        return not self.tasks.ready().exists()

    def drop_index(self):
        for name in self.es.indices.get(index=f"{self.alias}*", allow_no_indices=True):
            self.es.indices.delete(index=name, ignore_unavailable=True)


def start_worker(env, interval):
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "db_worker", "--no-reload", "--interval", str(interval), "--verbosity", "0"],
        cwd=ROOT,
        env=env,
    )
    return worker


def stop_worker(worker):
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()


def drain(portal):
    deadline = time.perf_counter() + WAIT_SECONDS
    while not portal.queue_is_empty() and time.perf_counter() < deadline:
        time.sleep(0.1)


class Watcher(threading.Thread):
    """Searches Elasticsearch for every published page not found yet, every 10 ms, beside the
    publishing, and notes when each is first found."""

    def __init__(self, portal):
        super().__init__(daemon=True)
        self.portal = portal
        self.published = {}  # page id → when its publish ended
        self.found = {}  # page id → when a search first found it
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.errors = []

    def add(self, page_id, published):
        with self.lock:
            self.published[page_id] = published

    def pending(self):
        with self.lock:
            return [pk for pk in self.published if pk not in self.found]

    def run(self):
        while not self.stopping.is_set():
            pending = self.pending()
            if pending:
                try:
                    now_found = self.portal.found_among(pending)
                except Exception as exc:  # a slow answer under load: count it, search again
                    self.errors.append(repr(exc))
                    continue
                seen = time.perf_counter()
                with self.lock:
                    self.found.update((pk, seen) for pk in now_found)
            time.sleep(POLL_SECONDS)

    def wait(self, page_ids):
        deadline = time.perf_counter() + WAIT_SECONDS
        while time.perf_counter() < deadline and any(pk not in self.found for pk in page_ids):
            time.sleep(POLL_SECONDS)

    def lags(self, page_ids):
        lags = [self.found[pk] - self.published[pk] for pk in page_ids if pk in self.found]
        return lags, len(page_ids) - len(lags)


def publish_pages(portal, watcher, pages, *, one_at_a_time):
    """Publish ``pages`` pages, waiting for each to be found (one at a time) or for all at the end."""
    ids, publishes = [], []
    for _ in range(pages):
        page_id, published, took = portal.publish()
        watcher.add(page_id, published)
        ids.append(page_id)
        publishes.append(took)
        if one_at_a_time:
            watcher.wait([page_id])
    watcher.wait(ids)
    return (*watcher.lags(ids), publishes)


def without_queue(portal, pages):
    """The same publishes with every task run at once in the publishing process, as before the
    queue: what the request itself costs when it writes Elasticsearch and Wagtail's indexes."""
    from django.test import override_settings

    watcher = Watcher(portal)
    watcher.start()
    try:
        with override_settings(TASKS={"default": {"BACKEND": IMMEDIATE}}):
            return [
                row(
                    "én om gangen",
                    "ingen (i forespørselen)",
                    *publish_pages(portal, watcher, pages, one_at_a_time=True),
                )
            ]
    finally:
        watcher.stopping.set()


def row(label, worker, lags, lost, publishes):
    if not lags:
        return f"| {label} | {worker} | – | – | – | – | {lost} |"
    ms = [1000 * lag for lag in lags]
    publish_ms = statistics.median(publishes) * 1000
    return (
        f"| {label} | {worker} | {publish_ms:.0f} ms | {percentile(ms, 0.5):.0f} ms "
        f"| {percentile(ms, 0.95):.0f} ms | {max(ms):.0f} ms | {lost} |"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument(
        "--intervals", type=float, nargs="+", default=[1.0], help="db_worker --interval values"
    )
    parser.add_argument(
        "--elasticsearch", default=os.environ.get("ELASTICSEARCH_URL") or "http://127.0.0.1:9200"
    )
    parser.add_argument("--workdir", default="/tmp/kompetanse-index-lag")
    parser.add_argument(
        "--immediate", action="store_true", help=f"also publish with {IMMEDIATE} (no queue), for comparison"
    )
    args = parser.parse_args()

    env = scratch_env(args)
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    portal = Portal(env)
    kind = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    rows = []
    try:
        if args.immediate:
            rows.extend(without_queue(portal, args.pages))
        for interval in args.intervals:
            worker = start_worker(env, interval)
            watcher = Watcher(portal)
            watcher.start()
            try:
                drain(portal)  # the community's own tasks, before measuring
                for label, one_at_a_time in (("én om gangen", True), (f"{args.pages} på rad", False)):
                    measured = publish_pages(portal, watcher, args.pages, one_at_a_time=one_at_a_time)
                    rows.append(row(label, f"hvert {interval:g} s", *measured))
            finally:
                watcher.stopping.set()
                stop_worker(worker)
            if watcher.errors:
                print(
                    f"Søk som feilet under målingen ({interval:g} s): {len(watcher.errors)}, f.eks. {watcher.errors[0]}"
                )
    finally:
        portal.drop_index()
    print(f"\n{kind}, {args.pages} sider per måling, Elasticsearch {args.elasticsearch}\n")
    print(
        "| Publisering | Arbeideren spør etter oppgaver | Publisering (p50) | Etterslep p50 | p95 | maks | Ikke funnet |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
