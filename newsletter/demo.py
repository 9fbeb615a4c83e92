"""Demo newsletters (called by load_demo): each demo community's first issue, composed from its
demo pages and waiting for review, and a few made-up subscribers, so that «Nyhetsbrev» in the
admin has something to show. Safe to run again: a community that has an issue is left alone."""

from django.utils import timezone

from kompetanse.models import CommunityHomePage
from newsletter import compose
from newsletter.models import Issue, Subscriber

# Made-up addresses on a domain reserved for examples: no real reader's.
DEMO_SUBSCRIBERS = [("leser1@example.no", True), ("leser2@example.no", True), ("leser3@example.no", False)]


def add_demo_newsletters(slugs, log=None):
    composed = 0
    for community in CommunityHomePage.objects.filter(slug__in=slugs).live():
        if Issue.objects.filter(community=community).exists():
            continue
        if compose.compose(community) is not None:
            composed += 1
        for email, confirmed in DEMO_SUBSCRIBERS:
            Subscriber.objects.get_or_create(
                community=community,
                email=email,
                defaults={"confirmed_at": timezone.now() if confirmed else None},
            )
    if log and composed:
        log(f"Nyhetsbrev: {composed} utgaver venter på gjennomgang.")
