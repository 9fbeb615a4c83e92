"""Merge the Elasticsearch index readers search into one segment: run each night from cron on a
portal that searches with Elasticsearch (docs/deployment.md). Publishes leave segments and deleted
copies behind, and every search steps through them (``elastic.merge_live_index``)."""

import time

from django.core.management.base import BaseCommand, CommandError
from elasticsearch import ApiError, NotFoundError, TransportError

from search import backends
from search.backends import elastic
from search.documents import alias


class Command(BaseCommand):
    help = "Slår sammen Elasticsearch-indeksen som leserne søker i, til ett segment (hver natt fra cron)."

    def handle(self, *args, **options):
        if not backends.elasticsearch_enabled():
            self.stdout.write(
                "Elasticsearch er ikke i bruk (ELASTICSEARCH_URL er tom): ingenting å slå sammen."
            )
            return
        started = time.monotonic()
        try:
            name, before, after, finished = elastic.merge_live_index()
        except NotFoundError:
            raise CommandError(
                f"Elasticsearch har ingen indeks under navnet {alias()}. Bygg den med rebuild_search_index."
            ) from None
        except (ApiError, TransportError) as exc:
            raise CommandError(
                f"Elasticsearch svarte ikke, og indeksen er ikke slått sammen: {exc}"
            ) from None
        if not finished:
            self.stdout.write(
                f"Sammenslåingen av {name} pågår fortsatt i Elasticsearch ({before} segmenter da den begynte);"
                " leserne søker i indeksen som før imens."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{name}: {before} segmenter slått sammen til {after} på {time.monotonic() - started:.1f} s."
            )
        )
