"""Rebuild the reader-facing search index from the live, public pages, with a progress bar.

``--if-stale`` rebuilds only an index built with another analysis than the running code's
(``search.fingerprint``): the Procfile's release step runs it after ``migrate``, so a release
that changes stems or word lists brings a rebuilt index, and one that does not costs a query.
"""

import sys
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from core.database import refresh_statistics
from search import backends, fingerprint, indexing
from search.backends import database, elastic
from search.models import IndexAnalysis

BATCH = 200


class Command(BaseCommand):
    help = "Bygger søkeindeksen på nytt fra alle publiserte, offentlige sider."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Ingen fremdriftslinje.")
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="Bygg bare en indeks som ble bygget med en annen analyse enn koden som kjører nå.",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        total = indexing.searchable_pages().count()
        show = not options["no_progress"]
        rebuild_database, rebuild_elasticsearch = True, backends.elasticsearch_enabled()
        if options["if_stale"]:
            rebuild_database = database_stale()
            rebuild_elasticsearch = rebuild_elasticsearch and self.elasticsearch_stale()
            if not rebuild_database:
                self.stdout.write("Databaseindeksen er bygget med denne analysen.")
        if rebuild_database:
            self.rebuild_database(total, show)
        if rebuild_elasticsearch:
            try:
                name = elastic.rebuild(
                    indexing.iter_documents(BATCH),
                    progress=(lambda n: self.progress(n, total)) if show else None,
                )
                self.stdout.write(f"\nElasticsearch: ny indeks {name} er tatt i bruk.")
            except Exception as exc:
                self.stderr.write(f"Elasticsearch kunne ikke bygges på nytt: {exc}")
        self.stdout.write(self.style.SUCCESS(f"Ferdig på {time.monotonic() - started:.1f} s."))

    def elasticsearch_stale(self):
        try:
            if elastic.built_fingerprint() == elastic.current_fingerprint():
                self.stdout.write("Elasticsearch-indeksen er bygget med denne analysen.")
                return False
        except Exception as exc:
            # A release must not fail because the cluster is away: search answers from the
            # database meanwhile, and the next run of this command rebuilds it.
            self.stderr.write(f"Elasticsearch svarer ikke, og indeksen der er ikke sjekket: {exc}")
            return False
        return True

    def rebuild_database(self, total, show):
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
            IndexAnalysis.objects.update_or_create(pk=1, defaults={"fingerprint": fingerprint.database()})
        refresh_statistics()
        database.vacuum_after_rebuild()
        if show:
            self.progress(done, total)
            self.stdout.write("")
        self.stdout.write(f"Databaseindeksen: {done} sider indeksert.")

    def progress(self, done, total):
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        self.stdout.write(f"\r[{bar}] {done}/{total}", ending="")
        if hasattr(self.stdout, "flush"):
            self.stdout.flush()
        elif hasattr(sys.stdout, "flush"):
            sys.stdout.flush()


def database_stale():
    """Whether the database index was built with another analysis than the running code's (or
    before its analysis was recorded)."""
    built = IndexAnalysis.objects.filter(pk=1).values_list("fingerprint", flat=True).first()
    return built != fingerprint.database()
