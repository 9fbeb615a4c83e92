"""Daily: compose each community's next newsletter issue from what is new and changed.

Run it once a day from cron (docs/newsletter.md). Running it again changes nothing that is not
new: each community has one issue under review, and a run only adds pages published since.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from newsletter import compose
from newsletter.mail import CONFIRM_MAX_AGE
from newsletter.models import Subscriber


class Command(BaseCommand):
    help = "Lager eller oppdaterer utkastet til neste nyhetsbrev for hvert helsefellesskap."

    def handle(self, *args, **options):
        now = timezone.now()
        for community in compose.communities_with_newsletters():
            issue = compose.compose(community, now)
            if issue is None:
                self.stdout.write(f"{community.title}: ingenting nytt.")
            else:
                count = issue.items.count()
                self.stdout.write(f"{community.title}: {issue} til gjennomgang, {count} sider.")
        # Addresses nobody confirmed before the link expired are not kept.
        expired = now - timezone.timedelta(seconds=CONFIRM_MAX_AGE)
        deleted, _ = Subscriber.objects.filter(confirmed_at__isnull=True, created_at__lt=expired).delete()
        if deleted:
            self.stdout.write(f"Slettet {deleted} abonnementer som aldri ble bekreftet.")
