#!/usr/bin/env python
"""Import speed: pages per second of ``import_package`` on generated pages, before and after the
batching of issue #19, in one run.

    .venv/bin/python bench/import_bench.py                       # 1,000 and 10,000 pages, SQLite
    .venv/bin/python bench/import_bench.py --pages 1000 --modes after
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kompetanse_bench .venv/bin/python bench/import_bench.py

Each measurement runs in its own process on a fresh copy of a migrated database (a SQLite file,
or a PostgreSQL database made from a template), with four empty communities, and imports one
package of generated pages (``bench/load.py``'s generator) in one transaction, as
``import_content`` does. Tasks go to the database queue, as in production; the report counts
what an import left queued for the worker too.

- ``before``: Wagtail's admin search and reference index updated on every save, and a new page
  saved three times (``add_child``, ``save_revision``, ``publish``), as they were;
- ``after``: as the portal imports now.

Results are printed; ``--write`` puts them into docs/benchmarks.md (the «Import» section).
"""

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
COMMUNITIES = ["oslo", "ahus", "vestre-viken", "sentral"]


def child(mode, pages):
    """Runs in the measuring process: import `pages` generated pages, print the figures as JSON."""
    sys.path[:0] = [str(ROOT), str(ROOT / "site"), str(ROOT / "bench")]
    import django

    django.setup()
    from django_tasks_db.models import DBTaskResult
    from load import generated_package

    from kompetanse.communities import ensure_community
    from kompetanse.models import KnowledgePage
    from kompetanse.packages import import_package, reading

    for slug in COMMUNITIES:
        ensure_community(slug)
    if mode == "before":
        reading.deferred_index_updates = contextlib.nullcontext

        def create_published(page, appender, user):
            appender.parent.add_child(instance=page)  # treebeard's own insert, one page at a time
            appender.slugs.add(page.slug)
            page.save_revision(user=user, log_action=user is not None).publish(user=user)

        reading._create_published = create_published
    package = generated_package(pages)
    queued = DBTaskResult.objects.count()
    started = time.perf_counter()
    import_package(package)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "mode": mode,
                "pages": pages,
                "seconds": seconds,
                "imported": KnowledgePage.objects.filter(import_uid__startswith="last-").count(),
                "queued_tasks": DBTaskResult.objects.count() - queued,
            }
        )
    )


def psql(url, sql):
    parts = urlparse(url)
    admin = urlunparse(parts._replace(path="/postgres"))
    subprocess.run(["psql", admin, "-q", "-c", sql], check=True, stdout=subprocess.DEVNULL)


def fresh_database(database, workdir, template_ready):
    """A freshly migrated database for one measurement; returns its DATABASE_URL."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings.dev"}
    if database.startswith("postgres"):
        name = urlparse(database).path.lstrip("/")
        template = f"{name}_template"
        if not template_ready:
            psql(database, f'DROP DATABASE IF EXISTS "{template}"')
            psql(database, f'CREATE DATABASE "{template}"')
            url = urlunparse(urlparse(database)._replace(path=f"/{template}"))
            subprocess.run(
                [PYTHON, "manage.py", "migrate", "--no-input"],
                cwd=ROOT,
                env={**env, "DATABASE_URL": url},
                check=True,
                stdout=subprocess.DEVNULL,
            )
        psql(database, f'DROP DATABASE IF EXISTS "{name}"')
        psql(database, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return database
    template = workdir / "template.sqlite3"
    if not template_ready:
        template.unlink(missing_ok=True)
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--no-input"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": f"sqlite:///{template}"},
            check=True,
            stdout=subprocess.DEVNULL,
        )
    target = workdir / "bench.sqlite3"
    shutil.copy(template, target)
    return f"sqlite:///{target}"


def measure(mode, pages, url):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "settings.dev",
        "DEBUG": "false",
        "TASKS_BACKEND": "django_tasks_db.backend.DatabaseBackend",
    }
    out = subprocess.run(
        [PYTHON, __file__, "--child", mode, str(pages)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(results, engine):
    lines = [
        f"{engine}:",
        "",
        "| Pages | Path | Seconds | Pages/s | ms/page | Wagtail tasks left queued |",
        "| ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['pages']:,} | {r['mode']} | {r['seconds']:.0f} | {r['pages'] / r['seconds']:.1f} "
            f"| {r['seconds'] / r['pages'] * 1000:.0f} | {r['queued_tasks']:,} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--modes", nargs="+", default=["before", "after"], choices=["before", "after"])
    parser.add_argument("--workdir", default="/tmp/kompetanse-import-bench")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    database = os.environ.get("DATABASE_URL", "")
    engine = "PostgreSQL" if database.startswith("postgres") else "SQLite"
    results, template_ready = [], False
    for pages in args.pages:
        for mode in args.modes:
            url = fresh_database(database, workdir, template_ready)
            template_ready = True
            result = measure(mode, pages, url)
            assert result["imported"] == pages, result
            results.append(result)
            print(
                f"{engine} {pages} {mode}: {result['seconds']:.1f} s, "
                f"{pages / result['seconds']:.1f} pages/s, {result['queued_tasks']} tasks queued",
                flush=True,
            )
    print()
    print(table(results, engine))


if __name__ == "__main__":
    main()
