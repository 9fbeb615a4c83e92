"""Forget the searches without hits that were made rarely and long ago (``zero_hits.prune``)."""

import argparse

from django.core.management.base import BaseCommand

from search import zero_hits


def _at_least(minimum):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"«{text}» er ikke et heltall.") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} er mindre enn {minimum}.")
        return value

    return parse


class Command(BaseCommand):
    help = (
        "Glemmer søk uten treff som ble gjort sjelden og lenge siden, så rapporten «Søk uten treff» "
        "holder seg lesbar (månedlig fra cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=_at_least(1),
            default=zero_hits.PRUNE_AFTER_DAYS,
            help=f"Glem bare søk som ikke er gjort de siste så mange dagene (standard {zero_hits.PRUNE_AFTER_DAYS}).",
        )
        parser.add_argument(
            "--at-most",
            type=_at_least(1),
            default=zero_hits.PRUNE_AT_MOST,
            help=f"Glem bare søk som er gjort høyst så mange ganger (standard {zero_hits.PRUNE_AT_MOST}).",
        )

    def handle(self, *args, days, at_most, **options):
        forgotten = zero_hits.prune(days=days, at_most=at_most)
        self.stdout.write(
            f"Glemte {forgotten} søk uten treff, gjort høyst {at_most} gang(er) og ikke de siste {days} dagene."
        )
