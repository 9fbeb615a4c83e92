"""A test database copied from one migrated beforehand, instead of migrated by every test process.

Migrating an empty database takes about 25 s (some 150 migrations, most of them Wagtail's), and
with pytest-xdist every worker process does it again, on a machine whose cores the tests already
keep busy. `.ci/run` migrates a template once per engine while Elasticsearch starts, and names it
in the environment:

- ``TEST_TEMPLATE_POSTGRES``: a PostgreSQL database on the test server; each worker's test
  database is made with ``CREATE DATABASE … TEMPLATE`` and kept for the next run (``--reuse-db``'s
  way: Django then migrates nothing and only serializes the data for the tests that ask for it).
- ``TEST_TEMPLATE_SQLITE``: an SQLite file; its contents are copied (SQLite's backup) into the
  in-memory test database before Django opens it.

A template whose applied migrations differ from the code's is not used: the worker migrates as
usual and says why. Without these variables nothing changes.

pytest-django has no hook for this (its ``--reuse-db`` keeps one database per worker between runs,
which is stale after every migration and cannot hold an in-memory database), hence this module.
"""

import os
import sqlite3
import sys
import time

import psycopg
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from psycopg import sql

# Held open for the whole session: an in-memory SQLite database lives as long as a connection.
_held = []


def prepare():
    """Fill the default test database from the environment's template. True if it did."""
    connection = connections["default"]
    vendor = connection.vendor
    template = os.environ.get("TEST_TEMPLATE_POSTGRES" if vendor == "postgresql" else "TEST_TEMPLATE_SQLITE")
    if not template or vendor not in ("postgresql", "sqlite"):
        return False
    expected = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    if vendor == "postgresql":
        return _clone_postgres(connection, template, expected)
    return _copy_sqlite(connection, template, expected)


def _stale(template, applied, expected):
    if applied == expected:
        return False
    missing = len(expected - applied)
    extra = len(applied - expected)
    print(
        f"template database {template} not used: {missing} migrations missing, {extra} unknown",
        file=sys.stderr,
    )
    return True


def _clone_postgres(connection, template, expected):
    settings = connection.settings_dict
    params = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
    }
    with psycopg.connect(dbname=template, **params) as source:
        applied = set(source.execute("SELECT app, name FROM django_migrations").fetchall())
    if _stale(template, applied, expected):
        return False
    name = connection.creation._get_test_db_name()
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        # Two workers copying the same template at once: the second may find the first's copy
        # still reading it ("is being accessed by other users"), so it tries again shortly.
        for attempt in range(60):
            try:
                server.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(name), sql.Identifier(template)
                    )
                )
                return True
            except psycopg.errors.ObjectInUse:
                if attempt == 59:
                    raise
                time.sleep(0.5)


def _copy_sqlite(connection, template, expected):
    if not os.path.exists(template):
        print(f"template database {template} not used: no such file", file=sys.stderr)
        return False
    source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
    try:
        applied = set(source.execute("SELECT app, name FROM django_migrations").fetchall())
        if _stale(template, applied, expected):
            return False
        target = sqlite3.connect(connection.creation._get_test_db_name(), uri=True, check_same_thread=False)
        source.backup(target)
    finally:
        source.close()
    _held.append(target)
    return True
