"""iCalendar (RFC 5545) for events: one event's .ics and the calendar feeds of a listing.

Built with the ``icalendar`` library rather than by hand: it folds long lines, escapes commas and
semicolons, and writes the VTIMEZONE that calendar programs need for a TZID.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.http import HttpResponse
from icalendar import Calendar, Event

PRODID = "-//Kompetanseportalen//Kurs og arrangementer//NB"
# The right-hand side of every UID: a stable name of the portal, not a host that may change.
UID_DOMAIN = "kompetanseportalen"


def local_zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def event_uid(page):
    """Stable across edits, moves and renames: Wagtail's translation key never changes."""
    return f"arrangement-{page.translation_key}@{UID_DOMAIN}"


def vevent(page, request):
    zone = local_zone()
    event = Event()
    event.add("uid", event_uid(page))
    # Without METHOD, DTSTAMP is when the event was last changed (RFC 5545, 3.8.7.2).
    changed = page.last_published_at or page.latest_revision_created_at or datetime.datetime.now(datetime.UTC)
    event.add("dtstamp", changed.astimezone(datetime.UTC))
    event.add("last-modified", changed.astimezone(datetime.UTC))
    event.add("dtstart", page.start.astimezone(zone))
    event.add("dtend", page.end.astimezone(zone))
    event.add("summary", page.title)
    url = page.get_full_url(request)
    event.add("url", url)
    lines = [page.summary]
    if page.organiser:
        lines.append(f"Arrangør: {page.organiser}")
    if page.online_url:
        lines.append(f"Digital deltakelse: {page.online_url}")
    if page.registration_url:
        lines.append(f"Påmelding: {page.registration_url}")
    if page.registration_deadline:
        lines.append(f"Påmeldingsfrist: {page.registration_deadline:%d.%m.%Y}")
    lines.append(url)
    event.add("description", "\n".join(line for line in lines if line))
    event.add("location", page.location or page.online_url or "")
    topics = [topic.name for topic in page.topics.all()]
    if topics:
        event.add("categories", topics)
    return event


def calendar(pages, name, request):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", name)  # RFC 7986
    cal.add("x-wr-calname", name)  # what Outlook and Google Calendar read
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for page in pages:
        cal.add_component(vevent(page, request))
    cal.add_missing_timezones()
    return cal


def calendar_response(pages, name, filename, request):
    """The calendar as text/calendar, named ``filename`` when saved or opened."""
    response = HttpResponse(
        calendar(pages, name, request).to_ical(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
