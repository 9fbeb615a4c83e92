from django.core.management.base import BaseCommand

from lifecycle.reminders import send_review_reminders


class Command(BaseCommand):
    help = (
        "Sender e-post til innholdsansvarlige og publiserere om sider som skal revideres innen 30 dager "
        "eller har passert revisjonsdatoen. Samme side og dato varsles aldri to ganger."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Vis hvem som ville fått e-post, uten å sende."
        )

    def handle(self, *args, dry_run=False, **options):
        result = send_review_reminders(dry_run=dry_run)
        for recipient, count in sorted(result.items()):
            self.stdout.write(f"{recipient}: {count} side(r)")
        verb = "ville blitt sendt" if dry_run else "sendt"
        self.stdout.write(f"{len(result)} e-post(er) {verb}.")
