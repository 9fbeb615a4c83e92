"""Rebuild the reader-facing search index from the live, public pages, with a progress bar."""

import sys
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from core.database import refresh_statistics
from search import backends, indexing
from search.backends import database, elastic

BATCH = 200


class Command(BaseCommand):
    help = "Bygger søkeindeksen på nytt fra alle publiserte, offentlige sider."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Ingen fremdriftslinje.")

    def handle(self, *args, **options):
        started = time.monotonic()
        total = indexing.searchable_pages().count()
        show = not options["no_progress"]
        # One transaction: readers keep the old index until the new one is complete, and a
        # rebuild that is interrupted (stopped, killed, out of memory) leaves the old one as it was.
        with transaction.atomic():
            database.clear()
            deferred = {}
            docs = []
            done = 0
            for doc in indexing.iter_documents(BATCH):
                docs.append(doc)
                if len(docs) >= BATCH:
                    database.bulk_add_documents(docs, deferred=deferred)
                    done += len(docs)
                    docs = []
                    if show:
                        self.progress(done, total)
            if docs:
                database.bulk_add_documents(docs, deferred=deferred)
                done += len(docs)
            database.finish_rebuild(deferred)
        refresh_statistics()
        database.vacuum_after_rebuild()
        if show:
            self.progress(done, total)
            self.stdout.write("")
        self.stdout.write(f"Databaseindeksen: {done} sider indeksert.")
        if backends.elasticsearch_enabled():
            try:
                name = elastic.rebuild(
                    indexing.iter_documents(BATCH),
                    progress=(lambda n: self.progress(n, total)) if show else None,
                )
                self.stdout.write(f"\nElasticsearch: ny indeks {name} er tatt i bruk.")
            except Exception as exc:
                self.stderr.write(f"Elasticsearch kunne ikke bygges på nytt: {exc}")
        self.stdout.write(self.style.SUCCESS(f"Ferdig på {time.monotonic() - started:.1f} s."))

    def progress(self, done, total):
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        self.stdout.write(f"\r[{bar}] {done}/{total}", ending="")
        if hasattr(self.stdout, "flush"):
            self.stdout.flush()
        elif hasattr(sys.stdout, "flush"):
            sys.stdout.flush()
