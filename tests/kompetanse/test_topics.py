"""Topic pages (temasider, issue #18): one page per topic, kept by the central team, with each
community's own introduction for its readers, key pages chosen or found, a section per other kind
of content, contacts; reached from every topic chip and target-group card; in search, the read
API, content packages and the page cache; local introductions edited by their own team only."""

import datetime
import io
import json
import zipfile

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from editorial.communities import EDITOR, PUBLISHER, add_editor, setup_community
from kompetanse.communities import CENTRAL_SLUG, ensure_community
from kompetanse.factories import (
    EventPageFactory,
    GoodExamplePageFactory,
    NewsPageFactory,
    ProcedurePageFactory,
    RecommendationPageFactory,
    TopicFactory,
    TopicPageFactory,
)
from kompetanse.models import (
    KIND_LABELS,
    TopicIndexPage,
    TopicIntroduction,
    TopicKeyPage,
    TopicPage,
)
from kompetanse.packages import PackageError, import_package
from tests.worlds import built_once, fresh

pytestmark = pytest.mark.django_db

ADMIN = "wagtailsnippets_kompetanse_topicintroduction"


def days(n, hour=9):
    day = timezone.localdate() + datetime.timedelta(days=n)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build_portal():
    for slug, name in (("oslo", "Helsefellesskap Oslo"), ("ahus", "Helsefellesskap Ahus")):
        setup_community(slug, name)
    setup_community(CENTRAL_SLUG)
    users = {
        "editor_oslo": add_editor("redaktor-oslo", "oslo", EDITOR)[0],
        "publisher_oslo": add_editor("ansvarlig-oslo", "oslo", PUBLISHER)[0],
        "editor_central": add_editor("redaktor-sentral", CENTRAL_SLUG, EDITOR)[0],
    }
    medicines = TopicFactory(name="Legemidler", slug="legemidler")
    dementia = TopicFactory(name="Demens", slug="demens")
    pages = {
        "oslo_procedure": ProcedurePageFactory(
            title="Samstemming i Oslo", topics=[medicines], target_groups=["skropelige-eldre"]
        ),
        "shared_recommendation": RecommendationPageFactory(
            title="Felles anbefaling om legemiddellister", community=CENTRAL_SLUG, topics=[medicines]
        ),
        "ahus_example": GoodExamplePageFactory(
            title="Farmasøyt i akuttmottaket", community="ahus", topics=[medicines]
        ),
        "dementia_procedure": ProcedurePageFactory(title="Demensutredning", topics=[dementia]),
        "oslo_news": NewsPageFactory(title="Oslo-nyhet om multidose", topics=[medicines]),
        "ahus_news": NewsPageFactory(
            title="Ahus-nyhet om legemiddellister", community="ahus", topics=[medicines]
        ),
        "oslo_event": EventPageFactory(
            title="Nettverksmøte om samstemming", topics=[medicines], start=days(5), end=days(5, 15)
        ),
        "past_event": EventPageFactory(
            title="Fjorårets fagdag", topics=[medicines], start=days(-40), end=days(-40, 15)
        ),
        "ahus_event": EventPageFactory(
            title="Kurs i legemiddelgjennomgang",
            community="ahus",
            topics=[medicines],
            start=days(9),
            end=days(9, 15),
        ),
    }
    topic_page = TopicPageFactory(
        topic=medicines,
        summary="Alt om trygg legemiddelbruk når pasienten flytter mellom tjenestene.",
        body=[("paragraph", "<p>Den sentrale innledningen om legemidler.</p>")],
        contacts=[
            (
                "contact",
                {
                    "name": "Kari Nordmann",
                    "role": "Fagrådgiver",
                    "organisation": "Felles fagnettverk for legemidler",
                    "phone": "23 00 00 10",
                    "email": "legemidler@example.no",
                },
            )
        ],
    )
    topic_page.save_revision().publish()
    introductions = {
        slug: TopicIntroduction.objects.create(
            topic_page=topic_page,
            community=ensure_community(slug),
            text=f"<p>{text}</p>",
        )
        for slug, text in (("oslo", "Oslos egen innledning."), ("ahus", "Ahus sin egen innledning."))
    }
    return {"users": users, "pages": pages, "topic_page": topic_page, "introductions": introductions}


@pytest.fixture(scope="module")
def _portal(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield build_portal()


@pytest.fixture
def portal(_portal, db):
    return {
        "users": fresh(_portal["users"]),
        "pages": {
            name: page.specific_class.objects.get(pk=page.pk) for name, page in _portal["pages"].items()
        },
        "topic_page": TopicPage.objects.get(pk=_portal["topic_page"].pk),
        "introductions": fresh(_portal["introductions"]),
    }


def soup(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def titles(element):
    return [link.get_text(strip=True) for link in element.select("li a")] if element else []


def section(html, kind):
    return html.select_one(f'[data-section="{kind}"]')


# ------------------------------------------------------------------------------- the reader


def test_the_reader_sees_the_central_introduction_and_the_own_communitys_not_anothers(client, portal):
    url = portal["topic_page"].url
    plain = soup(client, url)
    assert plain.h1.get_text() == "Legemidler"
    assert plain.select_one(".topic-intro").get_text(strip=True) == "Den sentrale innledningen om legemidler."
    assert plain.select_one("[data-local-introduction]") is None

    oslo = soup(client, url, helsefellesskap="oslo")
    local = oslo.select_one('[data-local-introduction="oslo"]')
    assert local.h2.get_text() == "Slik gjør vi det i Helsefellesskap Oslo"
    assert "Oslos egen innledning." in local.get_text()
    assert "Ahus sin egen innledning." not in str(oslo)
    assert oslo.select_one(".topic-intro") is not None
    # The no-JavaScript choice of community shows which is chosen.
    assert oslo.select_one('select[name="helsefellesskap"] option[selected]')["value"] == "oslo"


def test_an_unknown_community_in_the_address_shows_the_page_for_everyone_with_a_note(client, portal):
    html = soup(client, portal["topic_page"].url, helsefellesskap="finnes-ikke<script>")
    note = html.select_one("[data-unknown-community]")
    assert note.get_text() == (
        "Fant ikke helsefellesskapet «finnes-ikke<script>». Du ser innhold fra alle helsefellesskap."
    )
    assert html.select_one("script:-soup-contains('finnes-ikke')") is None
    assert html.select_one("[data-local-introduction]") is None
    assert "Samstemming i Oslo" in titles(html.select_one("[data-key-pages]"))
    # The shared section is nobody's own: the page for everyone, without a note.
    shared = soup(client, portal["topic_page"].url, helsefellesskap=CENTRAL_SLUG)
    assert shared.select_one("[data-unknown-community]") is None


def test_without_chosen_key_pages_the_newest_of_the_topic_are_shown_the_communitys_first(client, portal):
    html = soup(client, portal["topic_page"].url)
    key = html.select_one("[data-key-pages]")
    assert key["data-key-pages"] == "automatisk"
    assert key.h2.get_text() == "Nyeste sider om legemidler"
    assert sorted(titles(key)) == [
        "Farmasøyt i akuttmottaket",
        "Felles anbefaling om legemiddellister",
        "Samstemming i Oslo",
    ]

    # For Oslo: Oslo's own first, then the shared one; Ahus' page is not Oslo's.
    oslo = soup(client, portal["topic_page"].url, helsefellesskap="oslo").select_one("[data-key-pages]")
    assert titles(oslo) == ["Samstemming i Oslo", "Felles anbefaling om legemiddellister"]


def test_chosen_key_pages_are_shown_in_the_central_editors_order(client, portal):
    topic_page, pages = portal["topic_page"], portal["pages"]
    topic_page.key_page_links = [
        TopicKeyPage(page=pages["ahus_example"], sort_order=0),
        TopicKeyPage(page=pages["shared_recommendation"], sort_order=1),
    ]
    topic_page.save_revision().publish()

    key = soup(client, topic_page.url, helsefellesskap="oslo").select_one("[data-key-pages]")
    assert key["data-key-pages"] == "valgt"
    assert key.h2.get_text() == "Nøkkelsider"
    assert titles(key) == ["Farmasøyt i akuttmottaket", "Felles anbefaling om legemiddellister"]


def test_each_other_kind_has_its_section_and_events_are_upcoming_only(client, portal):
    html = soup(client, portal["topic_page"].url)
    headings = [h2.get_text() for h2 in html.select("[data-section] h2")]
    assert headings == ["Nyheter", "Kommende kurs og arrangementer"]
    assert sorted(titles(section(html, "news"))) == [
        "Ahus-nyhet om legemiddellister",
        "Oslo-nyhet om multidose",
    ]
    assert titles(section(html, "event")) == ["Nettverksmøte om samstemming", "Kurs i legemiddelgjennomgang"]
    assert "Fjorårets fagdag" not in str(html)
    # Neither the topic page itself nor the key kinds come back as sections.
    assert section(html, "topic") is None and section(html, "procedure") is None

    oslo = soup(client, portal["topic_page"].url, helsefellesskap="oslo")
    assert titles(section(oslo, "news")) == ["Oslo-nyhet om multidose"]
    assert titles(section(oslo, "event")) == ["Nettverksmøte om samstemming"]


def test_contacts_are_shown_with_phone_and_email_links(client, portal):
    card = soup(client, portal["topic_page"].url).select_one(".topic-contacts .card")
    assert card.h3.get_text() == "Kari Nordmann"
    assert "Fagrådgiver, Felles fagnettverk for legemidler" in card.get_text()
    assert card.select_one('a[href="tel:+4723000010"]').get_text() == "23 00 00 10"
    assert card.select_one('a[href="mailto:legemidler@example.no"]') is not None


@pytest.mark.engine
def test_a_cached_topic_page_lives_no_longer_than_its_next_event(client, portal):
    now = timezone.now()
    EventPageFactory(
        title="Webinar som snart slutter",
        topics=[portal["topic_page"].topic],
        start=now - datetime.timedelta(hours=1),
        end=now + datetime.timedelta(seconds=30),
    )
    first = client.get(portal["topic_page"].url)
    assert first["X-Cache"] == "miss"
    assert "Webinar som snart slutter" in first.content.decode()
    max_age = int(first["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 30
    assert client.get(portal["topic_page"].url)["X-Cache"] == "hit"
    # Another community's address is another page.
    assert client.get(portal["topic_page"].url, {"helsefellesskap": "oslo"})["X-Cache"] == "miss"


# ----------------------------------------------------------------------- where readers come from


def test_topic_chips_on_pages_and_the_front_page_lead_to_the_topic_page(client, portal):
    topic_url = portal["topic_page"].url
    page = soup(client, portal["pages"]["oslo_procedure"].url)
    chip = page.select_one(".page-meta a[data-area-topic]")
    assert (chip.get_text(), chip["href"]) == ("Legemidler", topic_url)

    front = soup(client, "/")
    chips = {a.get_text(" ", strip=True).split(" (")[0]: a["href"] for a in front.select(".chip-list a")}
    assert chips["Legemidler"] == topic_url
    # A topic without a page yet leads to the search for it, not to nothing.
    assert chips["Demens"] == "/sok/?topic=demens"
    # «Tema» in the main navigation.
    assert front.select_one(f'.main-nav a[href="{topic_url.rsplit("/", 2)[0]}/"]').get_text() == "Tema"


def test_target_group_cards_open_the_topics_and_content_for_that_group(client, portal):
    index = TopicIndexPage.objects.get()
    front = soup(client, "/")
    card = front.select_one(f'.entry-grid a[href="{index.url}?malgruppe=skropelige-eldre"]')
    assert card is not None

    html = soup(client, index.url, malgruppe="skropelige-eldre")
    assert html.h1.get_text(" ", strip=True).endswith("Skrøpelige eldre")
    topic_cards = html.select(".topic-cards .card")
    assert [c.h3.get_text(strip=True) for c in topic_cards] == ["Legemidler"]
    assert topic_cards[0].select_one(".meta").get_text() == "1 side"
    assert titles(html.select_one('section[aria-labelledby="gruppe-tittel"]'))[:1] == ["Samstemming i Oslo"]

    unknown = soup(client, index.url, malgruppe="ukjent")
    assert "Fant ikke målgruppen «ukjent»." in unknown.select_one(".notice").get_text()
    assert [c.h3.get_text(strip=True) for c in unknown.select(".topic-cards .card")] == ["Legemidler"]


# -------------------------------------------------------------------------- search, API, packages


@pytest.mark.engine
def test_topic_pages_are_found_under_their_own_type_in_search_and_the_api(client, portal):
    assert KIND_LABELS["topic"] == "Tema"
    html = client.get("/sok/", {"q": "legemidler"}).content.decode()
    assert '<input type="checkbox" name="type" value="topic"> Tema <span class="count">(1)</span>' in html

    # A search for the topic leads on to its page.
    searched = soup(client, "/sok/", topic="legemidler")
    link = searched.select_one(".search-topic-page a")
    assert (link.get_text(), link["href"]) == ("Legemidler", portal["topic_page"].url)
    assert soup(client, "/sok/", topic="demens").select_one(".search-topic-page") is None

    body = client.get("/api/v2/innhold/?type=topic&fields=topic_slug,content_kind,contacts").json()
    assert [item["title"] for item in body["items"]] == ["Legemidler"]
    item = body["items"][0]
    assert item["content_kind"] == "topic" and item["topic_slug"] == "legemidler"
    assert item["contacts"][0]["value"]["name"] == "Kari Nordmann"


@pytest.mark.engine
def test_a_topic_page_and_a_communitys_introductions_go_through_packages_and_back(tmp_path, portal):
    topic_page, pages = portal["topic_page"], portal["pages"]
    topic_page.key_page_links = [
        TopicKeyPage(page=pages["shared_recommendation"], sort_order=0),
        TopicKeyPage(page=pages["oslo_procedure"], sort_order=1),
    ]
    topic_page.save_revision().publish()
    central, oslo = tmp_path / "sentral.zip", tmp_path / "oslo.zip"
    for community, out, kind in ((CENTRAL_SLUG, central, ["--type", "topic"]), ("oslo", oslo, [])):
        call_command(
            "export_content", "--community", community, *kind, "--out", str(out), stdout=io.StringIO()
        )
    content = json.loads(zipfile.ZipFile(oslo).read("content.json"))
    assert content["topic_introductions"] == [
        {"community": "oslo", "topic": "legemidler", "text": "<p>Oslos egen innledning.</p>"}
    ]
    TopicIntroduction.objects.filter(community__slug="oslo").delete()
    TopicPage.objects.filter(pk=topic_page.pk).delete()

    call_command("import_content", str(central), stdout=io.StringIO())
    call_command("import_content", str(oslo), stdout=io.StringIO())

    again = TopicPage.objects.get(topic__slug="legemidler")
    assert again.live and again.summary == topic_page.summary
    assert [p.title for p in again.chosen_key_pages()] == [
        "Felles anbefaling om legemiddellister",
        "Samstemming i Oslo",
    ]
    assert again.contacts.raw_data[0]["value"]["organisation"] == "Felles fagnettverk for legemidler"
    assert "Oslos egen innledning." in again.local_introductions.get(community__slug="oslo").text


@pytest.mark.engine
@pytest.mark.parametrize(
    "change, message",
    [
        ({"community": "oslo"}, "temasider hører til den sentrale redaksjonen"),
        ({"key_pages": ["finnes-ikke"]}, "fant ikke nøkkelsiden «finnes-ikke»"),
        ({"key_pages": ["kp-demens"], "topic": "legemidler"}, "fant ikke nøkkelsiden «kp-demens»"),
        ({"contacts": [{"role": "Fagrådgiver"}]}, "contacts"),
    ],
)
def test_a_bad_topic_item_is_refused_with_a_clear_message(portal, change, message):
    item = {"uid": "tema-test", "type": "topic", "community": CENTRAL_SLUG, "title": "Demens"}
    item.update({"summary": "Om demens.", "topic": "demens", **change})
    user = portal["users"]["editor_central"]
    with pytest.raises(PackageError) as raised:
        import_package({"format": "kompetanse-package", "version": 2, "items": [item]}, user=user)
    assert message in str(raised.value)


# ------------------------------------------------------------------------------------ the admin


def draftail(text):
    """Rich text as the admin's editor posts it."""
    block = {"key": "a1", "type": "unstyled", "depth": 0, "text": text, "inlineStyleRanges": []}
    return json.dumps({"blocks": [{**block, "entityRanges": [], "data": {}}], "entityMap": {}})


def test_a_local_editor_edits_the_own_communitys_introduction_and_no_other(client, portal):
    client.force_login(portal["users"]["editor_oslo"])
    own, other = portal["introductions"]["oslo"], portal["introductions"]["ahus"]
    edit = reverse(f"{ADMIN}:edit", args=[own.pk])
    form = client.get(edit)
    assert form.status_code == 200
    options = BeautifulSoup(form.content, "html.parser").select('select[name="community"] option')
    assert [o.get_text() for o in options] == ["Helsefellesskap Oslo"]
    data = {
        "topic_page": portal["topic_page"].pk,
        "community": own.community_id,
        "text": draftail("Ny tekst."),
    }
    assert client.post(edit, data).status_code == 302
    assert "Ny tekst." in TopicIntroduction.objects.get(pk=own.pk).text

    for view in ("edit", "delete", "copy", "usage", "history", "inspect"):
        try:
            url = reverse(f"{ADMIN}:{view}", args=[other.pk])
        except Exception:  # a view the viewset does not have
            continue
        assert client.get(url).status_code == 404, view
    assert client.post(reverse(f"{ADMIN}:edit", args=[other.pk]), data).status_code == 404
    listing = client.get(reverse(f"{ADMIN}:list")).content.decode()
    assert "Helsefellesskap Oslo" in listing and "Helsefellesskap Ahus" not in listing

    # Not for another community, and not a second one for the same topic.
    refused = client.post(reverse(f"{ADMIN}:add"), {**data, "community": other.community_id})
    assert refused.status_code == 200 and "community" in refused.context["form"].errors
    twice = client.post(reverse(f"{ADMIN}:add"), data)
    assert twice.status_code == 200
    assert twice.context["form"].non_field_errors() == [
        "Helsefellesskapet har allerede en lokal innledning til denne temasiden."
    ]
    assert TopicIntroduction.objects.count() == 2


def test_the_central_team_creates_a_topics_page_from_the_topic_and_a_local_editor_cannot(client, portal):
    dementia = TopicFactory(slug="demens")
    create = reverse("kompetanse_create_topic_page", args=[dementia.pk])

    client.force_login(portal["users"]["editor_oslo"])
    for refused in (client.get(create), client.post(create)):
        assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's «no permission»
    assert not TopicPage.objects.filter(topic=dementia).exists()
    topics_admin = client.get(reverse("wagtailsnippets_kompetanse_topic:list"))
    assert "Opprett temaside" not in topics_admin.content.decode()

    client.force_login(portal["users"]["editor_central"])
    listing = client.get(reverse("wagtailsnippets_kompetanse_topic:list")).content.decode()
    assert f'href="{create}"' in listing
    response = client.post(create)
    page = TopicPage.objects.get(topic=dementia)
    assert response.status_code == 302 and response["Location"] == reverse(
        "wagtailadmin_pages:edit", args=[page.pk]
    )
    assert not page.live and page.title == "Demens" and page.get_parent().specific_class is TopicIndexPage
    # Once only: the topic's row and the action now open the page.
    assert client.get(create)["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_a_topic_with_a_page_is_not_deleted_under_it_and_the_admin_says_why(admin_client, portal):
    topic = portal["topic_page"].topic
    response = admin_client.post(
        reverse("wagtailsnippets_kompetanse_topic:delete", args=[topic.pk]), follow=True
    )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "Fagområdet «Legemidler» har en temaside («Legemidler»). Slett temasiden først."
    ]
    bulk = reverse("wagtail_bulk_action", args=["kompetanse", "topic", "delete"]) + f"?id={topic.pk}"
    assert admin_client.post(bulk).status_code in (200, 302)
    assert TopicPage.objects.filter(pk=portal["topic_page"].pk, topic=topic).exists()
    # A topic without a page goes as before.
    dementia = TopicFactory(slug="demens")
    TopicPage.objects.filter(topic=dementia).delete()
    admin_client.post(reverse("wagtailsnippets_kompetanse_topic:delete", args=[dementia.pk]))
    assert not type(dementia).objects.filter(pk=dementia.pk).exists()


@pytest.mark.engine
@pytest.mark.parametrize(
    "introduction, message",
    [
        ({"community": "ahus", "topic": "legemidler", "text": "<p>Ny.</p>"}, "du har ikke tillatelse"),
        ({"community": "oslo", "topic": "demens", "text": "<p>Ny.</p>"}, "fagområdet har ingen temaside"),
        ({"community": "oslo", "topic": "legemidler"}, "text"),
    ],
)
def test_a_bad_local_introduction_in_a_package_is_refused_with_a_clear_message(portal, introduction, message):
    package = {
        "format": "kompetanse-package",
        "version": 2,
        "items": [],
        "topic_introductions": [introduction],
    }
    with pytest.raises(PackageError) as raised:
        import_package(package, user=portal["users"]["editor_oslo"])
    assert message in str(raised.value)
    assert TopicIntroduction.objects.get(community__slug="ahus").text == "<p>Ahus sin egen innledning.</p>"


@pytest.mark.engine
def test_a_local_editor_imports_the_own_communitys_introduction(portal):
    package = {
        "format": "kompetanse-package",
        "version": 2,
        "items": [],
        "topic_introductions": [{"community": "oslo", "topic": "legemidler", "text": "<p>Fra pakken.</p>"}],
    }
    result = import_package(package, user=portal["users"]["editor_oslo"])
    assert [i.community.slug for i in result.introductions] == ["oslo"]
    assert "Fra pakken." in TopicIntroduction.objects.get(community__slug="oslo").text


def test_the_central_editor_writes_a_topic_page_in_the_page_editor_once_per_topic(client, portal):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    client.force_login(portal["users"]["editor_central"])
    dementia = TopicFactory(slug="demens")
    index = TopicIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=["kompetanse", "topicpage", index.pk])
    assert client.get(url).status_code == 200

    def form(topic):
        return nested_form_data(
            {
                "title": "Demens",
                "slug": "demens",
                "topic": topic.pk,
                "summary": "Utredning og oppfølging av personer med demens.",
                "body": streamfield([("paragraph", rich_text("<p>Innledning om demens.</p>"))]),
                "key_page_links": inline_formset([{"page": portal["pages"]["dementia_procedure"].pk}]),
                "contacts": streamfield([("contact", {"name": "Liv Berg", "role": "Demenskoordinator"})]),
                "action-publish": "action-publish",
            }
        )

    duplicate = client.post(url, form(portal["topic_page"].topic))
    assert duplicate.status_code == 200
    assert duplicate.context["form"].errors["topic"] == ["Fagområdet har allerede en temaside."]

    assert client.post(url, form(dementia)).status_code == 302
    # The central team's workflow takes the editor's page to approval; the draft holds it all.
    page = TopicPage.objects.get(topic=dementia).get_latest_revision_as_object()
    assert [link.page_id for link in page.key_page_links.all()] == [portal["pages"]["dementia_procedure"].pk]
    assert page.contacts[0].value["name"] == "Liv Berg"
    assert [t.slug for t in page.topics.all()] == ["demens"]
