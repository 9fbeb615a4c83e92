from django.core.management.base import BaseCommand, CommandError

from editorial.communities import EDITOR, PUBLISHER, setup_community, workflow_name


class Command(BaseCommand):
    help = (
        "Oppretter eller oppdaterer et helsefellesskap med forside, listesider, samlinger, "
        "redaksjonsgrupper og godkjenningsflyt. Kan kjøres flere ganger."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="kortnavn, for eksempel «oslo» (brukes i adressen)")
        parser.add_argument("--name", help="navnet, for eksempel «Helsefellesskap Oslo»")
        parser.add_argument(
            "--hostname", help="eget vertsnavn (Wagtail-nettsted), for eksempel oslo.example.no"
        )
        parser.add_argument(
            "--publiser",
            action="store_true",
            dest="publish",
            help="publiser et nytt helsefellesskap med en gang (ellers er forsiden et utkast til "
            "redaksjonen publiserer den)",
        )

    def handle(self, *args, slug, name=None, hostname=None, publish=False, **options):
        try:
            team = setup_community(slug, name, hostname=hostname, publish=publish)
        except ValueError as error:
            raise CommandError(str(error)) from error
        community = team.community
        self.stdout.write(f"Helsefellesskap klart: {community.title} (/{community.slug}/)")
        self.stdout.write(
            f"  Grupper: «{team.group_for_role(EDITOR).name}», «{team.group_for_role(PUBLISHER).name}»"
        )
        self.stdout.write(
            f"  Samling: «{team.collection.name}»; arbeidsflyt: «{workflow_name(community.title)}»"
        )
        if hostname:
            self.stdout.write(f"  Nettsted: {hostname}")
        if not community.live:
            self.stdout.write(
                "  Forsiden er et utkast: helsefellesskapet er ikke offentlig før den publiseres."
            )
