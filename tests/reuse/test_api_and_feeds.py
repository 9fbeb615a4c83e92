"""The read API and the «Nytt og endret» feeds: another community's developer reads our content."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import PageViewRestriction

from kompetanse.communities import ensure_community, listing_for
from kompetanse.factories import (
    GoodExamplePageFactory,
    ProcedurePageFactory,
    RecommendationPageFactory,
    TopicFactory,
)
from tests.kompetanse.sample_data import create_full_page
from tests.worlds import built_once, fresh

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def under(community, kind):
    """The factories' own community parameter does not reach them (a Params value); pass the parent."""
    return listing_for(ensure_community(community), kind)


@pytest.fixture(scope="module")
def _content(django_db_setup, django_db_blocker):
    """Built once for the module: every test that reads the API or the feeds starts from these."""
    with built_once(django_db_blocker):
        yield _build_content()


@pytest.fixture
def content(_content, db):
    return fresh(_content)


def _build_content():
    ensure_community("ahus", "Helsefellesskap Ahus", license="CC0-1.0")
    legemidler = TopicFactory(slug="legemidler", name="Legemidler")
    fall = TopicFactory(slug="fall", name="Fallforebygging")
    pages = {
        "oslo_procedure": ProcedurePageFactory(
            parent=under("oslo", "procedure"),
            title="Oslo-prosedyre",
            target_groups=["skropelige-eldre"],
            topics=[legemidler],
        ),
        "ahus_procedure": ProcedurePageFactory(
            parent=under("ahus", "procedure"),
            title="Ahus-prosedyre",
            target_groups=["barn-og-unge"],
            topics=[fall],
        ),
        "oslo_example": GoodExamplePageFactory(
            parent=under("oslo", "good_example"), title="Oslo-eksempel", topics=[fall]
        ),
        "draft": RecommendationPageFactory(
            parent=under("oslo", "recommendation"), title="Utkast", live=False
        ),
        "private": RecommendationPageFactory(parent=under("oslo", "recommendation"), title="Privat"),
    }
    PageViewRestriction.objects.create(page=pages["private"], restriction_type="login")
    for page in pages.values():
        if page.live:
            page.save_revision().publish()
    return pages


def titles(response):
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["items"])


def test_api_lists_live_public_content_only(client, content):
    assert titles(client.get("/api/v2/innhold/")) == ["Ahus-prosedyre", "Oslo-eksempel", "Oslo-prosedyre"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("type=procedure", ["Ahus-prosedyre", "Oslo-prosedyre"]),
        ("type=good_example", ["Oslo-eksempel"]),
        ("community=ahus", ["Ahus-prosedyre"]),
        ("community=finnes-ikke", []),
        ("target_group=skropelige-eldre", ["Oslo-prosedyre"]),
        ("topic=fall", ["Ahus-prosedyre", "Oslo-eksempel"]),
        ("topic=fall&community=oslo", ["Oslo-eksempel"]),
        ("type=procedure&topic=legemidler,fall", ["Ahus-prosedyre", "Oslo-prosedyre"]),
    ],
)
def test_api_filters(client, content, query, expected):
    assert titles(client.get(f"/api/v2/innhold/?{query}")) == expected


def test_api_updated_since(client, content):
    old = content["ahus_procedure"]
    type(old).objects.filter(pk=old.pk).update(last_published_at=timezone.now() - datetime.timedelta(days=30))
    since = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    assert titles(client.get(f"/api/v2/innhold/?updated_since={since}")) == [
        "Oslo-eksempel",
        "Oslo-prosedyre",
    ]
    assert client.get("/api/v2/innhold/?updated_since=i-går").status_code == 400


def test_api_gives_structured_fields_community_license_and_type(client, oslo):
    page = create_full_page("procedure")
    listing = client.get("/api/v2/innhold/?type=procedure&fields=purpose,steps,topics,target_groups").json()
    # The module's other pages may be in the listing too (built once, see ``content``).
    item = next(item for item in listing["items"] if item["id"] == page.pk)
    assert item["content_kind"] == "procedure"
    assert item["community"] == "oslo"
    assert item["license"] == "CC-BY-4.0"
    assert "Formål-ABC" in item["purpose"]
    assert [step["value"]["title"] for step in item["steps"]] == ["Steg-en-ABC", "Steg-to-ABC"]
    assert [t["slug"] for t in item["topics"]] == ["legemidler"]
    detail = client.get(f"/api/v2/innhold/{page.pk}/").json()
    assert detail["community_name"] == "Helsefellesskap Oslo"
    assert detail["attachments"][0]["value"]["title"] == "Vedleggstittel-ABC"
    assert [lv["slug"] for lv in detail["levels"]] == ["kommune", "fastlege"]


def test_api_refuses_drafts_and_private_pages_in_detail(client, content):
    assert client.get(f"/api/v2/innhold/{content['draft'].pk}/").status_code == 404
    assert client.get(f"/api/v2/innhold/{content['private'].pk}/").status_code == 404


def feed_titles(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return root.findtext(f"{ATOM}title"), [
        entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")
    ]


def test_feeds_per_community_and_per_type(client, content):
    title, entries = feed_titles(client.get("/nytt/oslo/"))
    assert title == "Nytt og endret: Helsefellesskap Oslo"
    assert sorted(entries) == ["Oslo-eksempel", "Oslo-prosedyre"]
    title, entries = feed_titles(client.get("/nytt/oslo/prosedyrer/"))
    assert title == "Nytt og endret: Helsefellesskap Oslo – prosedyrer"
    assert entries == ["Oslo-prosedyre"]
    _, entries = feed_titles(client.get("/nytt/alle/prosedyrer/"))
    assert sorted(entries) == ["Ahus-prosedyre", "Oslo-prosedyre"]
    assert client.get("/nytt/finnes-ikke/").status_code == 404
    assert client.get("/nytt/oslo/finnes-ikke/").status_code == 404


def test_feed_summaries_show_the_plain_text_as_written(client, oslo):
    summary = "Merk prøven med <pasient-id> & dato, også når svaret er < 5."
    ProcedurePageFactory(parent=under("oslo", "procedure"), summary=summary).save_revision().publish()
    root = ET.fromstring(client.get("/nytt/oslo/").content)
    element = next(root.iter(f"{ATOM}entry")).find(f"{ATOM}summary")
    assert element.get("type") == "html"
    # What a feed reader shows: the HTML in the element, as text.
    assert BeautifulSoup(element.text, "html.parser").get_text() == summary


def test_feed_puts_the_last_changed_page_first(client, content):
    content["oslo_procedure"].save_revision().publish()
    _, entries = feed_titles(client.get("/nytt/"))
    assert entries[0] == "Oslo-prosedyre"


def test_pages_show_their_community_license(client, content):
    html = client.get(content["ahus_procedure"].url).content.decode()
    assert "CC0 1.0 – Ingen rettigheter forbeholdt" in html
    html = client.get(content["oslo_procedure"].url).content.decode()
    assert 'rel="license" href="https://creativecommons.org/licenses/by/4.0/deed.no"' in html
