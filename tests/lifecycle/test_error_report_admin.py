"""The error reports' listing in the admin, exported as CSV and XLSX: a team gets its own reports,
with the columns it needs to follow them up, under Norwegian headings."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from editorial.communities import EDITOR, add_editor
from kompetanse.factories import ProcedurePageFactory
from lifecycle.models import ErrorReport
from tests.lifecycle.helpers import content_owner, publish
from tests.worlds import built_once, fresh

pytestmark = pytest.mark.django_db

LIST_URL = "wagtailsnippets_lifecycle_errorreport:list"
HEADINGS = (
    "Mottatt",
    "Side",
    "Adresse",
    "Hva er feil eller mangler",
    "E-post til den som meldte fra",
    "Status",
    "Intern merknad",
)


def reports_in_oslo_and_ahus(owner):
    """A report on a page in Oslo and one on a page in Ahus; returns the page in Oslo."""
    oslo_page, _ = publish(
        ProcedurePageFactory(community="oslo", content_owner=owner, title="Morfin i hjemmet")
    )
    ahus_page, _ = publish(ProcedurePageFactory(community="ahus", content_owner=owner, title="Sondeernæring"))
    received = datetime.datetime(2026, 3, 5, 9, 30, tzinfo=datetime.UTC)
    ErrorReport.objects.create(
        page=oslo_page,
        message="Dosen i steg 2 stemmer ikke med felleskatalogen.",
        email="leser@example.no",
        status=ErrorReport.Status.IN_PROGRESS,
        internal_note="Fagansvarlig sjekker.",
        created_at=received,
    )
    ErrorReport.objects.create(
        page=ahus_page, message="Lenken til skjemaet virker ikke.", created_at=received
    )
    return oslo_page


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """The reports, and an editor in Oslo's editorial team, built once for the module."""
    with built_once(django_db_blocker):
        owner = content_owner()
        oslo_page = reports_in_oslo_and_ahus(owner)
        editor, _ = add_editor("kari", "oslo", EDITOR, email="kari@example.no")
        yield {"owner": owner, "oslo_page": oslo_page, "oslo_editor": editor}


@pytest.fixture
def world(_world, db):
    return fresh(_world)


@pytest.fixture
def reports(world):
    """The page in Oslo that has a report."""
    return world["oslo_page"]


@pytest.fixture
def oslo_editor(client, world):
    client.force_login(world["oslo_editor"])
    return client


def test_the_listing_offers_csv_and_xlsx_export(oslo_editor):
    response = oslo_editor.get(reverse(LIST_URL))
    assert response.status_code == 200
    html = response.content.decode()
    assert "?export=csv" in html and "?export=xlsx" in html


def test_csv_export_has_the_teams_own_reports(oslo_editor, reports):
    response = oslo_editor.get(reverse(LIST_URL) + "?export=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tilbakemeldinger.csv"'
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines == [
        ",".join(HEADINGS),
        f"05.03.2026 10:30,Morfin i hjemmet,{reports.full_url},Dosen i steg 2 stemmer ikke med felleskatalogen.,"
        "leser@example.no,Under behandling,Fagansvarlig sjekker.",
    ]


def test_xlsx_export_has_the_teams_own_reports(oslo_editor, reports):
    response = oslo_editor.get(reverse(LIST_URL) + "?export=xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows == [
        HEADINGS,
        (
            datetime.datetime(2026, 3, 5, 10, 30),
            "Morfin i hjemmet",
            reports.full_url,
            "Dosen i steg 2 stemmer ikke med felleskatalogen.",
            "leser@example.no",
            "Under behandling",
            "Fagansvarlig sjekker.",
        ),
    ]
