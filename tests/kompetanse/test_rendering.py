"""Every page type renders every field an editor filled in, and appears in its listing."""

import re

import pytest

from kompetanse.communities import ensure_community, listing_for
from kompetanse.factories import GoodExamplePageFactory, ProcedurePageFactory, TopicFactory
from tests.kompetanse.sample_data import create_full_page

pytestmark = pytest.mark.django_db

SHARED_TEXTS = [
    "Sammendrag-ABC",
    "Bakgrunnsoverskrift-ABC",
    "Brødtekst-ABC",
    "Merknad-ABC",
    "Skrøpelige eldre",
    "Personer med flere kroniske lidelser",
    "Legemidler",
    "Kommune",
    "Fastlege",
    "15. januar 2026",  # last reviewed
    "15. januar 2027",  # next review
]
REVIEW_TEXTS = [
    "Eier-ABC",
    "Enhet-ABC",
    "eier@example.no",
    "22 11 22 11",
    "Godkjenner-ABC",
    "3.2",
    "20. januar 2026",  # valid from
]
EXPECTED = {
    "procedure": SHARED_TEXTS
    + REVIEW_TEXTS
    + [
        "Prosedyre-ABC",
        "Formål-ABC",
        "Omfang-ABC",
        "Ansvar-ABC",
        "Steg-en-ABC",
        "Stegtekst-en-ABC",
        "Advarsel-ABC",
        "Steg-to-ABC",
        "Stegtekst-to-ABC",
        "Referanse-ABC",
        "https://example.no/ref",
        "Refmerknad-ABC",
        "Vedleggstittel-ABC",
    ],
    "recommendation": SHARED_TEXTS
    + REVIEW_TEXTS
    + [
        "Anbefaling-ABC",
        "Situasjon-ABC",
        "Part-ABC",
        "Rolle-ABC",
        "Kommune (hjemmesykepleien)",
        "Oppgave-kommune-ABC",
        "Oppgave-fastlege-ABC",
        "Tjenesteavtale",
        "Avtale-ABC",
        "https://example.no/avtale",
    ],
    "good_example": SHARED_TEXTS
    + [
        "Eksempel-ABC",
        "Utfordring-ABC",
        "Tiltak-ABC",
        "Resultat-ABC",
        "38 %",
        "Tall-ABC",
        "Partner-en-ABC",
        "Partner-to-ABC",
        "mars 2024",
        "juni 2025",
        "Kontakt-ABC",
        "Rolle-kontakt-ABC",
        "kontakt@example.no",
        "23 45 67 89",
        "Overføring-ABC",
        "Bildetekst-ABC",
        "Alternativ tekst-ABC",
    ],
}


def visible_text(html):
    return re.sub(r"\s+", " ", html)


@pytest.mark.parametrize("kind", ["procedure", "recommendation", "good_example"])
def test_page_shows_every_filled_in_field(client, kind):
    page = create_full_page(kind)
    response = client.get(page.url)
    assert response.status_code == 200
    html = visible_text(response.content.decode())
    missing = [text for text in EXPECTED[kind] if text not in html]
    assert missing == []


def test_procedure_steps_are_numbered_in_order(client):
    page = create_full_page("procedure")
    html = client.get(page.url).content.decode()
    steps = html[html.index("Fremgangsmåte") :]
    assert "<ol>" in steps
    assert steps.index("Steg-en-ABC") < steps.index("Steg-to-ABC")


def test_attachment_links_to_the_document(client):
    page = create_full_page("procedure")
    document = page.attachments[0].value["document"]
    html = client.get(page.url).content.decode()
    assert f'href="{document.url}"' in html
    assert client.get(document.url).status_code == 200


def test_good_example_images_are_responsive_renditions(client):
    page = create_full_page("good_example")
    html = client.get(page.url).content.decode()
    assert "<picture>" in html
    assert 'type="image/webp"' in html
    assert 'alt="Alternativ tekst-ABC"' in html


def test_page_without_optional_fields_renders_without_empty_sections(client):
    page = ProcedurePageFactory(title="Tynn prosedyre", purpose="", next_review=None, version="")
    html = client.get(page.url).content.decode()
    assert "Tynn prosedyre" in html
    assert "Formål" not in html
    assert "Fremgangsmåte" not in html


@pytest.mark.parametrize(
    "factory, kind", [(ProcedurePageFactory, "procedure"), (GoodExamplePageFactory, "good_example")]
)
def test_published_page_appears_in_its_listing_and_drafts_do_not(client, factory, kind):
    published = factory(title="Synlig side")
    draft = factory(title="Kladd som ikke skal vises", live=False)
    listing = listing_for(ensure_community("oslo"), kind)
    html = client.get(listing.url).content.decode()
    assert published.title in html
    assert draft.title not in html


def test_listing_filters_by_target_group_and_topic_without_javascript(client):
    topic = TopicFactory(name="Rehabilitering", slug="rehabilitering")
    elderly = ProcedurePageFactory(title="For eldre", target_groups=["skropelige-eldre"], topics=[topic])
    children = ProcedurePageFactory(title="For barn", target_groups=["barn-og-unge"])
    listing = listing_for(ensure_community("oslo"), "procedure")

    html = client.get(listing.url, {"malgruppe": "skropelige-eldre"}).content.decode()
    assert elderly.title in html and children.title not in html

    html = client.get(listing.url, {"fagomrade": "rehabilitering"}).content.decode()
    assert elderly.title in html and children.title not in html


def test_listing_ignores_unknown_filter_values_and_bad_page_numbers(client):
    page = ProcedurePageFactory(title="Alltid her")
    listing = listing_for(ensure_community("oslo"), "procedure")
    response = client.get(listing.url, {"sortering": "<script>", "side": "abc"})
    assert response.status_code == 200
    assert page.title in response.content.decode()
    response = client.get(listing.url, {"malgruppe": "finnes-ikke"})
    assert response.status_code == 200
    assert "Ingen sider passer med filtrene." in response.content.decode()


def test_listing_sorts_by_title(client):
    ProcedurePageFactory(title="Bbb prosedyre")
    ProcedurePageFactory(title="Aaa prosedyre")
    listing = listing_for(ensure_community("oslo"), "procedure")
    html = client.get(listing.url, {"sortering": "tittel"}).content.decode()
    assert html.index("Aaa prosedyre") < html.index("Bbb prosedyre")


def test_community_home_links_its_listings_and_recent_pages(client, oslo):
    page = ProcedurePageFactory(title="Nylig publisert")
    html = client.get(oslo.url).content.decode()
    for listing in oslo.listing_pages():
        assert f'href="{listing.url}"' in html
    assert page.title in html


def test_portal_home_lists_the_communities(client, oslo, sentral):
    html = client.get("/").content.decode()
    assert "Helsefellesskap Oslo" in html
    assert "Felles innhold" in html
