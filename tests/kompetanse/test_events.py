"""Events (kurs og arrangementer): the page, upcoming and past by the clock alone, the iCalendar
file of an event and the calendar feeds of a community and a topic (parsed with ``icalendar``),
the API, search's type facet and content packages."""

import datetime
import io
import time
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from core import pagecache
from kompetanse.calendar import PRODID
from kompetanse.communities import CENTRAL_SLUG, ensure_community, listing_for
from kompetanse.factories import EventPageFactory, NewsPageFactory, ProcedurePageFactory, TopicFactory
from kompetanse.models import KIND_LABELS, EventIndexPage, EventPage, KnowledgePage
from kompetanse.packages.mapping import parse_datetime
from tests.kompetanse.sample_data import make_image

pytestmark = pytest.mark.django_db

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def at(days, hour, minute=0):
    """Norwegian local time ``days`` from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=OSLO)


def events_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return calendar, {str(event["summary"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def listing():
    return listing_for(ensure_community("oslo"), "event")


def test_every_community_gets_an_event_listing_and_events_go_only_there(listing):
    assert listing.title == "Kurs og arrangementer"
    assert EventPage.can_create_at(listing)
    assert not EventPage.can_create_at(listing_for(ensure_community("oslo"), "procedure"))
    assert KIND_LABELS["event"] == "Arrangement"


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"end": at(3, 8)}, "end", "Arrangementet kan ikke slutte før det starter."),
        (
            {"location": "", "online_url": ""},
            "location",
            "Oppgi et sted eller en lenke til digital deltakelse.",
        ),
        (
            {"registration_deadline": timezone.localdate() + datetime.timedelta(days=4)},
            "registration_deadline",
            "Påmeldingsfristen kan ikke være etter at arrangementet starter.",
        ),
    ],
)
def test_an_event_that_cannot_be_is_refused_with_the_fields_message(listing, fields, field, message):
    event = EventPage(
        title="Nettverksmøte", summary="Om samarbeid.", start=at(3, 9), end=at(3, 12), location="Sal 1"
    )
    for name, value in fields.items():
        setattr(event, name, value)
    with pytest.raises(ValidationError) as raised:
        event.clean()
    assert raised.value.message_dict[field] == [message]


def test_the_event_page_shows_time_place_and_registration(client, listing):
    event = EventPageFactory(
        title="Webinar om legemiddelsamstemming",
        start=at(10, 9),
        end=at(10, 11, 30),
        location="",
        online_url="https://møte.example.no/legemidler",
        registration_url="https://skjema.example.no/legemidler",
        registration_deadline=timezone.localdate() + datetime.timedelta(days=8),
        organiser="Helsefellesskap Oslo, fagnettverk legemidler",
    )
    html = client.get(event.url).content.decode()
    start = at(10, 9)
    assert f'<time datetime="{start.isoformat()}">' in html
    assert f'kl. 09.00</time>–<time datetime="{at(10, 11, 30).isoformat()}">11.30</time>' in html
    assert "Bli med digitalt" in html and 'href="https://møte.example.no/legemidler"' in html
    assert "Meld deg på" in html
    assert "Helsefellesskap Oslo, fagnettverk legemidler" in html
    assert f'href="{event.url}kalender/"' in html
    assert "Dette arrangementet er over." not in html


def test_past_events_leave_the_upcoming_list_by_the_clock_alone(client, listing, monkeypatch):
    soon = EventPageFactory(title="Fagdag demens", start=at(1, 9), end=at(1, 15))
    EventPageFactory(title="Kurs i ernæring", start=at(5, 9), end=at(5, 15))
    EventPageFactory(title="Møtet i fjor", start=at(-30, 9), end=at(-30, 15))

    upcoming = client.get(listing.url).content.decode()
    assert upcoming.index("Fagdag demens") < upcoming.index("Kurs i ernæring")
    assert "Møtet i fjor" not in upcoming
    assert "2 kommende arrangementer" in upcoming

    # Two days later, with nothing run in between: the first event has ended.
    later = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    # The page cache's entries expire by the real clock, which monkeypatch does not move (the
    # next test shows a cached listing let go of as its event ends).
    pagecache.clear()
    upcoming = client.get(listing.url).content.decode()
    assert "Fagdag demens" not in upcoming
    past = client.get(listing.url + "?visning=tidligere").content.decode()
    assert past.index("Fagdag demens") < past.index("Møtet i fjor")
    assert "Dette arrangementet er over." in client.get(soon.url).content.decode()


def test_a_cached_listing_and_event_page_are_let_go_of_when_the_event_ends(client, listing):
    EventPageFactory(title="Kurs i ernæring", start=at(5, 9), end=at(5, 15))
    now = timezone.now()
    ending = EventPageFactory(
        title="Fagdag demens",
        start=now - datetime.timedelta(hours=6),
        end=now + datetime.timedelta(seconds=4),
    )
    first = client.get(listing.url)
    assert first["X-Cache"] == "miss" and "Fagdag demens" in first.content.decode()
    assert client.get(listing.url)["X-Cache"] == "hit"
    # Browsers and CDNs are told the same: no longer than until the event ends (at most 4 s).
    max_age = int(first["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 4
    assert client.get(ending.url)["X-Cache"] == "miss"
    assert client.get(ending.url)["X-Cache"] == "hit"

    time.sleep(max(0.0, (ending.end - timezone.now()).total_seconds()) + 0.3)
    later = client.get(listing.url)
    assert later["X-Cache"] == "miss"
    assert "Fagdag demens" not in later.content.decode() and "Kurs i ernæring" in later.content.decode()
    assert "Dette arrangementet er over." in client.get(ending.url).content.decode()


def test_the_event_ics_file_has_the_fields_a_calendar_program_needs(client, listing):
    topic = TopicFactory(name="Legemidler", slug="legemidler")
    event = EventPageFactory(
        title="Nettverksmøte; legemidler, del 2",
        summary="Erfaringer med samstemming.",
        start=at(14, 13),
        end=at(14, 15, 30),
        location="Oslo rådhus, møterom 2",
        organiser="Fagnettverk legemidler",
        topics=[topic],
    )
    event.save_revision().publish()
    event.refresh_from_db()

    response = client.get(event.url + "kalender/")

    calendar, events = events_of(response)
    assert response["Content-Disposition"] == f'inline; filename="{event.slug}.ics"'
    assert calendar["prodid"] == PRODID and calendar["version"] == "2.0"
    vevent = events["Nettverksmøte; legemidler, del 2"]
    assert str(vevent["uid"]) == f"arrangement-{event.translation_key}@kompetanseportalen"
    assert vevent.decoded("dtstart") == at(14, 13)
    assert vevent["dtstart"].params["TZID"] == "Europe/Oslo"
    assert vevent.decoded("dtend") == at(14, 15, 30)
    assert vevent.decoded("dtstamp") == event.last_published_at.replace(microsecond=0)
    assert str(vevent["url"]) == f"http://localhost{event.url}"
    assert str(vevent["location"]) == "Oslo rådhus, møterom 2"
    assert "Arrangør: Fagnettverk legemidler" in str(vevent["description"])
    assert [str(c) for c in vevent["categories"].cats] == ["Legemidler"]
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
    # Readable again by the library, byte for byte.
    assert Calendar.from_ical(calendar.to_ical()).to_ical() == calendar.to_ical()


def test_the_uid_stays_when_the_event_is_edited_moved_in_time_and_renamed(client, listing):
    event = EventPageFactory(title="Fagdag")
    _, before = events_of(client.get(event.url + "kalender/"))
    event.title, event.start, event.end = "Fagdag om demens", at(20, 9), at(20, 16)
    event.save_revision().publish()
    _, after = events_of(client.get(event.url + "kalender/"))
    assert after["Fagdag om demens"]["uid"] == before["Fagdag"]["uid"]
    assert after["Fagdag om demens"].decoded("dtstart") == at(20, 9)


def test_the_community_calendar_holds_its_own_and_the_shared_events_only(client, listing):
    EventPageFactory(title="Oslos kurs")
    EventPageFactory(title="Felles webinar", community=CENTRAL_SLUG)
    EventPageFactory(title="Bergens kurs", community="bergen")
    EventPageFactory(title="Utkast", live=False)
    EventPageFactory(title="Lenge siden", start=at(-400, 9), end=at(-400, 12))
    restricted = EventPageFactory(title="Bare for innloggede")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)

    calendar, events = events_of(client.get(listing.url + "kalender/"))

    assert sorted(events) == ["Felles webinar", "Oslos kurs"]
    assert str(calendar["x-wr-calname"]) == "Kurs og arrangementer – Helsefellesskap Oslo"


def test_the_topic_calendar_holds_the_events_of_that_topic(client, listing):
    dementia = TopicFactory(name="Demens", slug="demens")
    EventPageFactory(title="Demenskurs", topics=[dementia])
    EventPageFactory(title="Ernæringskurs")

    _, events = events_of(client.get(listing.url + "kalender/demens/"))
    assert list(events) == ["Demenskurs"]
    listing_html = client.get(listing.url).content.decode()
    assert f'href="http://testserver{listing.url}kalender/demens/">Demens</a>' in listing_html
    assert client.get(listing.url + "kalender/finnes-ikke/").status_code == 404


def test_a_restricted_or_unpublished_event_gives_no_calendar_file(client, listing):
    restricted = EventPageFactory(title="Internt møte")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    draft = EventPageFactory(title="Utkast", live=False)
    assert client.get(restricted.url + "kalender/").status_code == 302  # to the login
    assert client.get(f"/oslo/arrangementer/{draft.slug}/kalender/").status_code == 404


def test_the_api_filters_by_type_event(client, listing):
    EventPageFactory(title="Kurs i API-et", start=at(9, 10), end=at(9, 12))
    ProcedurePageFactory(title="En prosedyre")
    body = client.get("/api/v2/innhold/?type=event&fields=start,end,location,content_kind").json()
    assert [item["title"] for item in body["items"]] == ["Kurs i API-et"]
    item = body["items"][0]
    assert item["content_kind"] == "event"
    assert datetime.datetime.fromisoformat(item["start"]) == at(9, 10)
    assert item["location"] == "Rådhuset, møterom 2"


def test_relative_times_in_a_package_are_counted_from_the_import_day():
    moment = parse_datetime({"days_from_import": -3, "time": "18:30"}, "start")
    assert moment == at(-3, 18, 30)
    with pytest.raises(ValueError, match="«start.days_from_import» må være et helt antall dager"):
        parse_datetime({"days_from_import": "tre"}, "start")
    assert parse_datetime("2026-03-14T09:00", "start") == datetime.datetime(2026, 3, 14, 9, tzinfo=OSLO)


def test_an_event_goes_through_a_package_and_back_unchanged(tmp_path):
    topic = TopicFactory(name="Rus", slug="rus")
    event = EventPageFactory(
        title="Rusnettverket møtes",
        start=at(12, 12),
        end=at(13, 15),
        online_url="https://møte.example.no/rus",
        registration_url="https://skjema.example.no/rus",
        registration_deadline=timezone.localdate() + datetime.timedelta(days=10),
        organiser="Rusnettverket",
        topics=[topic],
        target_groups=["psykisk-helse-og-rus"],
    )
    out = tmp_path / "pakke.zip"
    call_command(
        "export_content", "--community", "oslo", "--type", "event", "--out", str(out), stdout=io.StringIO()
    )
    fields = ["title", "summary", "start", "end", "location", "online_url", "registration_url"]
    fields += ["registration_deadline", "organiser"]
    before = {name: getattr(event, name) for name in fields}
    KnowledgePage.objects.filter(pk=event.pk).delete()

    call_command("import_content", str(out), stdout=io.StringIO())

    again = EventPage.objects.get(title="Rusnettverket møtes")
    assert {name: getattr(again, name) for name in fields} == before
    assert [t.slug for t in again.topics.all()] == ["rus"]
    assert [g.slug for g in again.target_groups.all()] == ["psykisk-helse-og-rus"]
    assert again.live and isinstance(again.get_parent().specific, EventIndexPage)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_news_and_event_pages_pass_axe_and_fit_a_phone(browser, live_server):
    """axe-core (WCAG 2.1 A and AA) finds nothing on the news and event pages, their listings and
    the community front page that shows both, at 390 and 1280 px; nothing scrolls sideways."""
    # The reader pages' browser check, as it is (its module is only imported when this runs).
    from tests.kompetanse.test_reader_browser import ARTIFACTS, axe_and_phone_fit_problems

    topic = TopicFactory(name="Legemidler", slug="legemidler")
    news = NewsPageFactory(
        title="Den delte stillingen som ernæringsfysiolog blir fast, og ordningen utvides til flere bydeler",
        summary="Ordningen fortsetter etter prøveperioden.",
        lead_image=make_image(),
        topics=[topic],
        target_groups=["skropelige-eldre"],
    )
    event = EventPageFactory(
        title="Nettverksmøte om legemiddelsamstemming for hjemmesykepleie og fastleger",
        summary="Gjennomgang av avvik ved utskrivning.",
        location="Samhandlingsarenaen, Legemiddelsamstemmingsnettverksmøterommet i andre etasje",
        online_url="https://webinar.example.no/legemidler",
        registration_url="https://skjema.example.no/legemidler",
        registration_deadline=timezone.localdate() + datetime.timedelta(days=3),
        organiser="Fagnettverk for legemidler",
        topics=[topic],
    )
    past = EventPageFactory(title="Fagdag i fjor", start=at(-300, 9), end=at(-300, 15))
    listing = event.get_parent()
    urls = {
        "community_home_with_news_and_events": listing.get_parent().url,
        "news": news.url,
        "news_listing": news.get_parent().url,
        "event": event.url,
        "past_event": past.url,
        "event_listing": listing.url,
        "past_event_listing": listing.url + "?visning=tidligere",
    }
    ARTIFACTS.mkdir(exist_ok=True)  # screenshots of each page at both widths, for review
    assert (
        axe_and_phone_fit_problems(browser, {name: live_server.url + url for name, url in urls.items()}) == []
    )


def test_an_editor_creates_and_publishes_an_event_in_the_admin(admin_client, listing):
    url = reverse("wagtailadmin_pages:add", args=["kompetanse", "eventpage", listing.pk])
    form = {
        "title": "Kurs i samtaler om livets siste fase",
        "slug": "kurs-livets-siste-fase",
        "summary": "Et kurs for sykepleiere i kommunene.",
        "start": "2027-01-14 09:00",
        "end": "2027-01-14 08:00",
        "location": "",
        "online_url": "",
        "body-count": "0",
        "action-publish": "action-publish",
    }
    refused = admin_client.post(url, form)
    assert refused.status_code == 200
    errors = refused.context["form"].errors
    assert errors["end"] == ["Arrangementet kan ikke slutte før det starter."]
    assert errors["location"] == ["Oppgi et sted eller en lenke til digital deltakelse."]

    form.update(end="2027-01-14 15:00", location="Helsehuset, sal 1")
    assert admin_client.post(url, form).status_code == 302
    event = EventPage.objects.get(slug="kurs-livets-siste-fase")
    assert event.live and event.start == datetime.datetime(2027, 1, 14, 9, tzinfo=OSLO)
    assert event.next_review is None


def test_registration_is_open_through_the_deadline_day_and_never_after_the_start(monkeypatch):
    oslo_tz = zoneinfo.ZoneInfo("Europe/Oslo")
    start = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=oslo_tz)
    event = EventPage(title="Fagdag", start=start, end=start + datetime.timedelta(hours=6))

    def at_clock(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return event.registration_open

    event.registration_deadline = datetime.date(2026, 3, 5)
    assert at_clock(datetime.datetime(2026, 3, 5, 23, 59, tzinfo=oslo_tz))
    assert not at_clock(datetime.datetime(2026, 3, 6, 0, 0, tzinfo=oslo_tz))
    event.registration_deadline = None
    assert at_clock(start - datetime.timedelta(minutes=1))
    assert not at_clock(start)
