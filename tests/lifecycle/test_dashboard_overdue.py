"""Overdue pages stand out on the admin's front page: «Til revisjon» opens with a warning that
counts them and leads to the report filtered to them; with none overdue there is no warning."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from kompetanse.factories import ProcedurePageFactory
from lifecycle.review import today
from tests.lifecycle.helpers import publish

pytestmark = pytest.mark.django_db


def warning_in_panel(client):
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = BeautifulSoup(html, "html.parser").find(id="til-revisjon-section")
    assert panel is not None, "the dashboard has no «Til revisjon» panel"
    return panel.select_one(".help-critical")


def test_the_dashboard_warns_of_overdue_pages_and_links_to_them(client, publisher, owner):
    client.force_login(publisher)
    for title, days in (("Forfalt i fjor", -400), ("Forfalt i går", -1), ("Snart", 20)):
        publish(
            ProcedurePageFactory(
                title=title, content_owner=owner, next_review=today() + datetime.timedelta(days=days)
            )
        )

    warning = warning_in_panel(client)
    assert warning is not None
    assert warning.get_text(" ", strip=True) == (
        "2 sider har passert revisjonsdatoen. Leserne ser et varsel om at innholdet kan være "
        "utdatert. Se sidene som har forfalt"
    )
    link = warning.find("a")["href"]
    assert link == reverse("lifecycle_review_report") + "?status=forfalt"
    report = BeautifulSoup(client.get(link).content.decode(), "html.parser")
    listed = {a.get_text(strip=True) for a in report.select("table tbody td.title a")}
    assert listed == {"Forfalt i fjor", "Forfalt i går"}


def test_no_warning_when_nothing_is_overdue(client, publisher, owner):
    client.force_login(publisher)
    publish(
        ProcedurePageFactory(
            title="Snart", content_owner=owner, next_review=today() + datetime.timedelta(days=5)
        )
    )
    assert warning_in_panel(client) is None
