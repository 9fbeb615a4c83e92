"""What every page shows around the content is cached, and shows a change as soon as it is published."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import pagecache
from tests.kompetanse.sample_data import create_full_page

pytestmark = pytest.mark.django_db


def front_page(client):
    """The front page's "Gode eksempler" section."""
    html = client.get("/").content.decode()
    if 'id="eksempler-tittel"' not in html:
        return ""
    section = html.split('id="eksempler-tittel"', 1)[1]
    return section.split("</section>", 1)[0]


def test_a_new_good_example_reaches_the_front_page_at_once(client):
    create_full_page("good_example", title="Frisklivssentral")
    assert "Frisklivssentral" in front_page(client)
    front_page(client)  # now from the cache
    create_full_page("good_example", title="Hverdagsrehabilitering")
    assert "Hverdagsrehabilitering" in front_page(client)


def test_an_unpublished_good_example_leaves_the_front_page_at_once(client):
    page = create_full_page("good_example", title="Trygghetsalarm")
    assert "Trygghetsalarm" in front_page(client)
    page.unpublish()
    assert "Trygghetsalarm" not in front_page(client)


def test_a_new_page_on_the_same_topic_is_related_at_once(client):
    first = create_full_page("procedure", title="Ernæringsscreening")
    client.get(first.url)  # related pages cached, with nothing related yet
    create_full_page("recommendation", community="ahus", title="Ernæringsoppfølging")
    assert "Ernæringsoppfølging" in client.get(first.url).content.decode()


def test_a_reader_page_asks_for_the_content_version_once(client):
    page = create_full_page("procedure", title="Ernæringsscreening")
    client.get(page.url)
    pagecache.clear()  # rendered again, its fragments cached: not the whole page from the page cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.url)
    assert response.status_code == 200 and response["X-Cache"] == "miss"
    assert sum("search_indexversion" in q["sql"] for q in captured.captured_queries) == 1
    assert sum("core_contentversion" in q["sql"] for q in captured.captured_queries) == 1
