from django.core.management.base import BaseCommand

from kompetanse.demo.loader import DemoLoader


class Command(BaseCommand):
    help = (
        "Bygger demoportalen: helsefellesskap, sider, bilder, dokumenter og brukere. Kan kjøres flere ganger."
    )

    def handle(self, *args, **options):
        DemoLoader(stdout=self.stdout).run()
