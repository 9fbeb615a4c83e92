from django.core.management.base import BaseCommand

from core.database import refresh_statistics
from demo.loader import DemoLoader
from search import indexing


class Command(BaseCommand):
    help = (
        "Bygger demoportalen: helsefellesskap, sider, bilder, dokumenter og brukere. Kan kjøres flere ganger."
    )

    def handle(self, *args, **options):
        with indexing.batch():  # each demo page is indexed once, not once per signal
            DemoLoader(stdout=self.stdout).run()
        refresh_statistics()
