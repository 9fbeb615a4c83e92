"""The newsletter's reader pages in a real browser (Debian's chromium through Playwright): a reader
subscribes, confirms and unsubscribes, and axe-core (WCAG 2.1 A and AA) finds nothing on any page
of the way at 390 and 1280 px; nothing scrolls sideways."""

import time

import pytest
from django.core import mail

from newsletter.mail import unsubscribe_url
from newsletter.models import Subscriber
from tests.newsletter.helpers import communities, link_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def mail_to(email, caplog):
    """The last mail to ``email``. The live server sends it in its own thread while the browser
    shows the answer, so it is waited for a moment; if none comes, the log says why."""
    for _ in range(50):
        sent = [message for message in mail.outbox if email in message.to]
        if sent:
            return sent[-1]
        time.sleep(0.1)
    pytest.fail(f"no mail to {email}; log: {caplog.text or '(empty)'}")


def test_subscribing_confirming_and_unsubscribing_pass_axe_at_both_widths(
    browser, live_server, settings, caplog
):
    # The reader pages' browser check, as it is (its module is only imported when this runs).
    from tests.kompetanse.test_reader_browser import ARTIFACTS, axe_source, new_page, page_problems

    settings.PUBLIC_FORM_MIN_SECONDS = 0  # the browser fills the form faster than a person
    world = communities()
    axe = axe_source()
    ARTIFACTS.mkdir(exist_ok=True)
    problems = []

    def check(page, name, width):
        problems.extend(page_problems(page, axe, f"newsletter-{name}", width))

    for width in ("phone", "desktop"):
        email = f"leser-{width}@example.no"
        context, page = new_page(browser, width)
        page.goto(live_server.url + world["oslo"].url)
        page.get_by_role("link", name="Abonner på nyhetsbrevet").click()
        check(page, "subscribe", width)
        page.get_by_label("Din e-post").fill(email)
        page.get_by_label("Rus").check()
        page.get_by_role("button", name="Abonner").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Sjekk e-posten din"
        check(page, "sent", width)
        page.goto(live_server.url + link_in(mail_to(email, caplog), "confirm"))
        check(page, "confirm", width)
        page.get_by_role("button", name="Bekreft").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Takk, abonnementet er bekreftet"
        check(page, "confirmed", width)
        subscriber = Subscriber.objects.get(email=email)
        assert [topic.name for topic in subscriber.topics.all()] == ["Rus"]
        page.goto(unsubscribe_url(subscriber).replace(settings.WAGTAILADMIN_BASE_URL, live_server.url))
        check(page, "unsubscribe", width)
        page.get_by_role("button", name="Meld meg av").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Du er meldt av"
        check(page, "unsubscribed", width)
        assert not Subscriber.objects.filter(email=email).exists()
        page.goto(live_server.url + "/nyhetsbrev/bekreft/tull/")
        check(page, "bad-link", width)
        context.close()
    assert problems == []
