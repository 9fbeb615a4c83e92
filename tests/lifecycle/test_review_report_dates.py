"""The «Revisjonsstatus» report shows review dates as dates, with how far off they are in words:
a date in two weeks is «om 14 dager», not «0 minutter siden»; a passed review date is «forfalt»."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from kompetanse.factories import ProcedurePageFactory
from lifecycle.review import distance_in_words, today
from tests.lifecycle.helpers import publish

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 12, 2)


@pytest.mark.parametrize(
    "date, words",
    [
        (ON, "i dag"),
        (ON + datetime.timedelta(days=1), "i morgen"),
        (ON - datetime.timedelta(days=1), "i går"),
        (ON + datetime.timedelta(days=14), "om 14 dager"),
        (ON - datetime.timedelta(days=30), "for 30 dager siden"),
        (ON + datetime.timedelta(days=45), "om 1 måned"),
        (ON - datetime.timedelta(days=61), "for 2 måneder siden"),
        (ON + datetime.timedelta(days=200), "om 7 måneder"),
        (ON - datetime.timedelta(days=400), "for 1 år siden"),
        (ON + datetime.timedelta(days=731), "om 2 år"),
    ],
)
def test_distance_in_words(date, words):
    assert distance_in_words(date, on=ON) == words


def row_of(html, title):
    soup = BeautifulSoup(html, "html.parser")
    link = soup.find("a", string=lambda text: text and text.strip() == title)
    assert link is not None, f"{title} is not in the report"
    return link.find_parent("tr")


def test_the_report_shows_dates_and_how_far_off_they_are(admin_client):
    soon = today() + datetime.timedelta(days=14)
    passed = today() - datetime.timedelta(days=61)
    publish(ProcedurePageFactory(title="Revideres snart", next_review=soon))
    publish(ProcedurePageFactory(title="Revisjon forfalt", next_review=passed))

    html = admin_client.get(reverse("lifecycle_review_report")).content.decode()

    soon_cell = row_of(html, "Revideres snart").find("time", attrs={"datetime": soon.isoformat()}).parent
    assert soon_cell.get_text(" ", strip=True) == f"{soon:%d.%m.%Y} om 14 dager"
    passed_cell = row_of(html, "Revisjon forfalt").find("time", attrs={"datetime": passed.isoformat()}).parent
    assert passed_cell.get_text(" ", strip=True) == f"{passed:%d.%m.%Y} forfalt for 2 måneder siden"
    assert "minutter siden" not in html
