from django.core.management.base import BaseCommand, CommandError

from editorial.communities import ROLE_LABELS, ROLES, add_editor
from kompetanse.models import CommunityHomePage


class Command(BaseCommand):
    help = "Oppretter brukeren om den mangler og legger den i redaksjonen til et helsefellesskap."

    def add_arguments(self, parser):
        parser.add_argument("username", help="brukernavn")
        parser.add_argument("--community", required=True, help="helsefellesskapets kortnavn (slug)")
        parser.add_argument(
            "--role",
            required=True,
            choices=sorted(ROLES),
            help="editor (redaktør) eller publisher (ansvarlig redaktør)",
        )
        parser.add_argument("--email", help="e-postadresse (for varsler og nytt passord)")
        parser.add_argument("--password", help="passord (ellers må brukeren be om nytt passord)")

    def handle(self, *args, username, community, role, email=None, password=None, **options):
        try:
            user, created = add_editor(username, community, role, email=email, password=password)
        except (ValueError, CommunityHomePage.DoesNotExist) as error:
            raise CommandError(str(error)) from error
        verb = "opprettet og lagt" if created else "lagt"
        self.stdout.write(
            f"Bruker «{user.username}» {verb} i redaksjonen som {ROLE_LABELS[role]} i «{community}»."
        )
