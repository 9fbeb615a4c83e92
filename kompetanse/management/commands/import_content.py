import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.database import refresh_statistics
from kompetanse.packages import PackageError, import_package, open_package, open_package_folder


class Command(BaseCommand):
    help = (
        "Importerer en innholdspakke (kompetanse-package versjon 1 eller 2: .json, .zip eller en mappe "
        "med content.json, slik demoen har sine). "
        "Alt eller ingenting. Dette er administratorens verktøy: sidene publiseres direkte, uten "
        "godkjenning, og helsefellesskap som ikke finnes, opprettes (uten redaksjon; sett den opp "
        "med create_community). Importen i admin («Gjenbruk → Importer innhold») følger derimot "
        "brukerens tillatelser og helsefellesskapets godkjenningsflyt."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Stien til pakken (.json, .zip eller en mappe med content.json).")
        parser.add_argument(
            "--community",
            help="Importer alt til dette helsefellesskapet (kortnavn), uansett hva pakken sier.",
        )

    def handle(self, *args, file, community=None, **options):
        path = Path(file)
        if not path.is_file() and not path.is_dir():
            raise CommandError(f"Fant ikke filen {path}.")
        step = None
        started = time.monotonic()

        def progress(done, total):
            nonlocal step
            step = step or max(1, total // 20)
            if done % step == 0 or done == total:
                elapsed = max(time.monotonic() - started, 0.001)
                rate = done / elapsed
                left = (total - done) / rate if done < total else 0
                bar = "#" * (20 * done // total)
                self.stdout.write(
                    f"[{bar:<20}] Importert {done} av {total} ({rate:.0f} sider/s, ca. {_duration(left)} igjen) …"
                )

        try:
            if path.is_dir():
                data, files = open_package_folder(path)
                result = import_package(data, progress=progress, community=community, files=files)
            else:
                with path.open("rb") as handle:
                    data, files = open_package(handle, path.name)
                    result = import_package(data, progress=progress, community=community, files=files)
        except PackageError as exc:
            raise CommandError(f"Ingenting ble importert. {exc}") from exc
        refresh_statistics()
        for home in result.created_communities:
            self.stdout.write(
                f"Opprettet helsefellesskapet «{home.slug}» ({home.title}) uten redaksjon. Kjør "
                f"«manage.py create_community {home.slug}» for grupper, samlinger og godkjenningsflyt."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Ferdig: {len(result.created)} nye og {len(result.updated)} oppdaterte sider, "
                "publisert direkte uten godkjenning (administratorimport). "
                f"Tid brukt: {_duration(time.monotonic() - started)}."
            )
        )


def _duration(seconds):
    """«12 s» or «3 min 5 s»."""
    seconds = round(seconds)
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"
