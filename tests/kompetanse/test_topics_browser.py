"""Topic pages in a real browser (issue #18): axe at 390 and 1280 px, and «Mitt helsefellesskap»
carried into topic chips and topic pages. Its own module: the browser test commits, which the
data tests/kompetanse/test_topics.py builds once per module cannot share."""

import pytest

from kompetanse.models import TopicIndexPage
from tests.kompetanse.test_topics import build_portal


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_topic_pages_pass_axe_and_fit_a_phone(browser, live_server):
    """axe-core (WCAG 2.1 A and AA) finds nothing on a topic page (for a community, with its
    introduction, key pages, sections and contacts) and on «Tema» for a target group, at 390 and
    1280 px; nothing scrolls sideways. A reader who has chosen «Mitt helsefellesskap» gets topic
    chips and topic pages for that community."""
    from tests.kompetanse.test_reader_browser import ARTIFACTS, axe_and_phone_fit_problems, new_page

    portal = build_portal()
    index = TopicIndexPage.objects.get()
    urls = {
        "topic_page": portal["topic_page"].url + "?helsefellesskap=oslo",
        "topic_index_for_group": index.url + "?malgruppe=skropelige-eldre",
    }
    ARTIFACTS.mkdir(exist_ok=True)
    assert (
        axe_and_phone_fit_problems(browser, {name: live_server.url + url for name, url in urls.items()}) == []
    )

    context, page = new_page(browser, "desktop")
    page.goto(live_server.url + "/")
    page.select_option("#mitt-fellesskap", "oslo")
    page.goto(live_server.url + portal["pages"]["oslo_procedure"].url)
    chip = page.locator(".page-meta a[data-area-topic]")
    assert chip.get_attribute("href") == portal["topic_page"].url + "?helsefellesskap=oslo"
    # Opened without a community in its address, the page opens again for the reader's.
    page.goto(live_server.url + portal["topic_page"].url)
    page.wait_for_url("**?helsefellesskap=oslo")
    assert (
        page.locator('[data-local-introduction="oslo"] h2').inner_text()
        == "Slik gjør vi det i Helsefellesskap Oslo"
    )
    # A choice in the page's own form is kept.
    page.select_option("#tema-fellesskap", "ahus")
    page.click(".topic-community button")
    page.wait_for_url("**?helsefellesskap=ahus")
    assert page.locator('[data-local-introduction="ahus"]').count() == 1
    context.close()
