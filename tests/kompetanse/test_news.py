"""News (nyheter): the page with its lead image and alt text, the listing and the community's
front page newest first, the community's Atom feed, search's type facet and content packages."""

import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model

from kompetanse.communities import CENTRAL_SLUG, ensure_community, listing_for
from kompetanse.factories import EventPageFactory, NewsPageFactory, ProcedurePageFactory
from kompetanse.models import KIND_LABELS, KnowledgePage, NewsPage
from tests.kompetanse.sample_data import make_image

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def listing():
    return listing_for(ensure_community("oslo"), "news")


def test_every_community_gets_a_news_listing_and_news_go_only_there(listing):
    assert listing.title == "Nyheter"
    assert NewsPage.can_create_at(listing)
    assert not NewsPage.can_create_at(listing_for(ensure_community("oslo"), "event"))
    assert KIND_LABELS["news"] == "Nyhet"


def test_a_lead_image_without_alt_text_is_refused(listing):
    image = make_image(alt="")
    news = NewsPage(title="Ny rutine", summary="Kort.", lead_image=image)
    with pytest.raises(ValidationError) as raised:
        news.clean()
    assert raised.value.message_dict["lead_image_alt"] == [
        "Skriv en alternativ tekst: hovedbildet har ingen, og den kreves."
    ]
    news.lead_image_alt = "Sykepleier og fastlege går gjennom legemiddellisten"
    news.clean()


def test_the_news_page_shows_date_lead_and_the_image_with_its_alt_text(client, listing):
    image = make_image(alt="Bildets egen tekst")
    news = NewsPageFactory(
        title="Nytt kurs i samstemming",
        summary="Kurset åpner for påmelding.",
        date=datetime.date(2026, 11, 20),
        lead_image=image,
        lead_image_alt="To sykepleiere ved en dosett",
    )
    html = client.get(news.url).content.decode()
    assert '<time datetime="2026-11-20">20. november 2026</time>' in html
    assert '<p class="summary">Kurset åpner for påmelding.</p>' in html
    assert 'alt="To sykepleiere ved en dosett"' in html
    news.lead_image_alt = ""
    news.save_revision().publish()
    assert 'alt="Bildets egen tekst"' in client.get(news.url).content.decode()


@pytest.mark.parametrize("factory", [NewsPageFactory, EventPageFactory], ids=["news", "event"])
def test_news_items_and_events_can_be_saved_as_favourites_like_other_content(client, factory):
    # The same include as on procedures (static/js/favourites.js shows it), right after the summary.
    page = factory(title="Fagdag om ernæring", summary="Program og påmelding.")
    html = BeautifulSoup(client.get(page.url).content, "html.parser")
    favourite = html.select_one(".summary + [data-favourite]")
    assert favourite is not None and favourite.has_attr("hidden")
    assert favourite["data-page-id"] == str(page.pk) and favourite["data-url"] == page.url
    assert favourite["data-title"] == "Fagdag om ernæring"
    assert favourite["data-community"] == "Helsefellesskap Oslo"
    button = favourite.find("button")
    assert button.get_text(strip=True) == "Lagre som favoritt" and button["aria-pressed"] == "false"


def test_news_are_listed_newest_first_with_the_shared_ones_on_the_front_page(client, listing):
    NewsPageFactory(title="Eldste nyhet", date=days_ago(20))
    NewsPageFactory(title="Felles nyhet", date=days_ago(1), community=CENTRAL_SLUG)
    NewsPageFactory(title="Nyeste nyhet", date=days_ago(0))
    NewsPageFactory(title="Bergens nyhet", date=days_ago(0), community="bergen")

    html = client.get(listing.url).content.decode()
    assert html.index("Nyeste nyhet") < html.index("Felles nyhet") < html.index("Eldste nyhet")
    assert "Bergens nyhet" not in html

    front = client.get(listing.get_parent().url).content.decode()
    section = front[front.index('<h2 id="nyheter-tittel">Nyheter</h2>') :]
    section = section[: section.index("</section>")]
    assert section.index("Nyeste nyhet") < section.index("Felles nyhet") < section.index("Eldste nyhet")
    assert f'href="{listing.url}">Alle nyheter</a>' in section


def feed_titles(client, url):
    feed = ET.fromstring(client.get(url).content)
    return feed.find(f"{ATOM}title").text, [
        entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")
    ]


def test_news_are_in_the_communitys_atom_feed_and_have_one_of_their_own(client, listing):
    NewsPageFactory(title="Nyhet i feeden", summary="Om feeden.")
    ProcedurePageFactory(title="Prosedyre i feeden")
    assert sorted(feed_titles(client, "/nytt/oslo/")[1]) == ["Nyhet i feeden", "Prosedyre i feeden"]
    assert feed_titles(client, "/nytt/oslo/nyheter/") == (
        "Nytt og endret: Helsefellesskap Oslo – nyheter",
        ["Nyhet i feeden"],
    )


def test_search_finds_news_under_their_own_type(client, listing):
    NewsPageFactory(title="Nyhet om hjemmesykepleie", summary="Hjemmesykepleien får nytt verktøy.")
    ProcedurePageFactory(title="Prosedyre om hjemmesykepleie", summary="Hjemmesykepleie steg for steg.")
    everything = client.get("/sok/", {"q": "hjemmesykepleie"}).content.decode()
    assert (
        '<input type="checkbox" name="type" value="news"> Nyhet <span class="count">(1)</span>' in everything
    )
    html = client.get("/sok/", {"q": "hjemmesykepleie", "type": "news"}).content.decode()
    assert "Nyhet om hjemmesykepleie" in html
    assert '<span class="content-type">Nyhet</span>' in html
    assert "Prosedyre om hjemmesykepleie" not in html


def test_news_with_a_lead_image_go_through_a_package_and_back(tmp_path, listing):
    news = NewsPageFactory(
        title="Ny avtale om utskrivning",
        summary="Avtalen gjelder fra nyttår.",
        date=datetime.date(2026, 11, 2),
        lead_image=make_image("Avtalebilde", "Bildets tekst"),
        lead_image_alt="To ledere signerer avtalen",
    )
    out = tmp_path / "pakke.zip"
    call_command(
        "export_content", "--community", "oslo", "--type", "news", "--out", str(out), stdout=io.StringIO()
    )
    KnowledgePage.objects.filter(pk=news.pk).delete()
    get_image_model().objects.all().delete()

    call_command("import_content", str(out), stdout=io.StringIO())

    again = NewsPage.objects.get(title="Ny avtale om utskrivning")
    assert (again.summary, again.date, again.lead_image_alt) == (
        "Avtalen gjelder fra nyttår.",
        datetime.date(2026, 11, 2),
        "To ledere signerer avtalen",
    )
    assert (again.lead_image.title, again.lead_image.description) == ("Avtalebilde", "Bildets tekst")
    assert again.next_review is None


def test_the_api_gives_news_with_their_date_and_lead_image(client, listing):
    image = make_image(alt="Bildets egen tekst")
    NewsPageFactory(title="Nyhet i API-et", date=datetime.date(2026, 11, 30), lead_image=image)
    ProcedurePageFactory(title="En prosedyre")
    response = client.get(
        "/api/v2/innhold/?type=news&fields=date,lead_image,lead_image_alt_text,content_kind"
    )
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert (item["title"], item["content_kind"], item["date"]) == ("Nyhet i API-et", "news", "2026-11-30")
    assert item["lead_image"]["id"] == image.pk
    assert item["lead_image_alt_text"] == "Bildets egen tekst"


def test_an_editor_creates_a_news_item_in_the_admin(admin_client):
    listing = listing_for(ensure_community("oslo"), "news")
    url = reverse("wagtailadmin_pages:add", args=["kompetanse", "newspage", listing.pk])
    page = admin_client.get(url).content.decode()
    assert "Alternativ tekst for hovedbildet" in page and "Ingress" in page
    response = admin_client.post(
        url,
        {
            "title": "Ny nyhet",
            "slug": "ny-nyhet",
            "summary": "Kort ingress.",
            "date": "2026-12-01",
            "body-count": "0",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 302
    assert NewsPage.objects.get(slug="ny-nyhet").date == datetime.date(2026, 12, 1)
