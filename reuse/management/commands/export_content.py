from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kompetanse.packages import ExportError, select_pages, write_zip


class Command(BaseCommand):
    help = "Eksporterer publiserte sider som en innholdspakke (kompetanse-package versjon 2, zip)."

    def add_arguments(self, parser):
        parser.add_argument("--community", help="Bare dette helsefellesskapet (kortnavn).")
        parser.add_argument(
            "--type", dest="kind", help="Bare denne typen: procedure, recommendation, good_example."
        )
        parser.add_argument("--page", type=int, help="Bare siden med denne id-en …")
        parser.add_argument("--descendants", action="store_true", help="… og sidene under den.")
        parser.add_argument("--out", required=True, help="Zip-filen som skal skrives.")

    def handle(self, *args, community=None, kind=None, page=None, descendants=False, out, **options):
        if descendants and page is None:
            raise CommandError("--descendants krever --page.")
        target = Path(out)
        if target.suffix.lower() != ".zip":
            raise CommandError("--out må være en .zip-fil.")
        try:
            pages = select_pages(community=community, kind=kind, page_id=page, descendants=descendants)
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        with target.open("wb") as handle:
            count = write_zip(pages, handle)
        self.stdout.write(self.style.SUCCESS(f"Eksporterte {count} sider til {target}."))
