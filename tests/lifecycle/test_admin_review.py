"""Admin: the "Til revisjon" dashboard panel and the review-status report with CSV/XLSX export."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from kompetanse.communities import ensure_community, listing_for
from kompetanse.factories import ContentOwnerFactory, GoodExamplePageFactory, ProcedurePageFactory
from lifecycle.review import today
from tests.lifecycle.helpers import make_user, oslo_publishing_team, publish, team_group
from tests.worlds import built_once, fresh

pytestmark = pytest.mark.django_db


def csv_text(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


def csv_titles(response):
    return {line.split(",")[0] for line in csv_text(response).splitlines()[1:]}


def days(n):
    return today() + datetime.timedelta(days=n)


def due_pages(owner):
    """Oslo's pages due for review 5 days ago, in 45 days and in 200 days; Ahus' page, 30 days overdue."""
    ahus = ensure_community("ahus", "Helsefellesskap Ahus")
    other_owner = ContentOwnerFactory(name="Per Eier")
    return {
        "overdue": publish(
            ProcedurePageFactory(title="Oslo forfalt", content_owner=owner, next_review=days(-5))
        )[0],
        "soon": publish(GoodExamplePageFactory(title="Oslo snart", next_review=days(45)))[0],
        "later": publish(
            ProcedurePageFactory(title="Oslo senere", content_owner=owner, next_review=days(200))
        )[0],
        "ahus": publish(
            ProcedurePageFactory(
                parent=listing_for(ahus, "procedure"),
                title="Ahus forfalt",
                content_owner=other_owner,
                next_review=days(-30),
            )
        )[0],
    }


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """Oslo's publishing team and the pages due for review, built once for the module."""
    with built_once(django_db_blocker):
        world = oslo_publishing_team()
        world["pages"] = due_pages(world["owner"])
        yield world


@pytest.fixture
def world(_world, db):
    return fresh(_world)


@pytest.fixture
def pages(world):
    return world["pages"]


def test_dashboard_panel_lists_the_users_pages_due_within_60_days(client, pages, publisher):
    client.force_login(publisher)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Til revisjon" in html
    assert "Oslo forfalt" in html and "Oslo snart" in html
    assert "Oslo senere" not in html
    assert "Ahus forfalt" not in html  # another community's page


def test_dashboard_panel_for_another_community(client, pages):
    ahus_team = team_group("Ahus publiserere", ensure_community("ahus"))
    client.force_login(make_user("ahus-redaktor", groups=[ahus_team]))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Ahus forfalt" in html and "Oslo forfalt" not in html


def test_report_lists_all_pages_by_review_status(client, pages):
    client.force_login(make_user("sentral", superuser=True))
    response = client.get(reverse("lifecycle_review_report"))
    html = response.content.decode()
    assert response.status_code == 200
    for title in ("Oslo forfalt", "Oslo snart", "Oslo senere", "Ahus forfalt"):
        assert title in html
    assert html.index("Ahus forfalt") < html.index("Oslo forfalt") < html.index("Oslo senere")
    assert "Forfalt" in html and "Helsefellesskap Ahus" in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"status": "forfalt"}, {"Oslo forfalt", "Ahus forfalt"}),
        ({"status": "snart"}, {"Oslo snart"}),
        ({"status": "ok"}, {"Oslo senere"}),
        ({"community": "ahus"}, {"Ahus forfalt"}),
        ({"kind": "good_example"}, {"Oslo snart"}),
    ],
)
def test_report_filters(client, pages, query, expected):
    client.force_login(make_user("sentral", superuser=True))
    response = client.get(reverse("lifecycle_review_report"), {**query, "export": "csv"})
    assert csv_titles(response) == expected


def test_report_filter_by_owner(client, pages, owner):
    client.force_login(make_user("sentral", superuser=True))
    response = client.get(reverse("lifecycle_review_report"), {"content_owner": owner.pk, "export": "csv"})
    assert csv_titles(response) == {"Oslo forfalt", "Oslo senere"}


def test_report_exports_csv_and_xlsx(client, pages):
    client.force_login(make_user("sentral", superuser=True))
    csv = client.get(reverse("lifecycle_review_report"), {"export": "csv"})
    assert csv["Content-Disposition"].startswith('attachment; filename="revisjonsstatus-')
    header = csv_text(csv).splitlines()[0]
    assert header.startswith("Tittel,Type,Helsefellesskap,Innholdsansvarlig")
    xlsx = client.get(reverse("lifecycle_review_report"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Tittel"
    assert {row[0] for row in rows[1:]} == {"Oslo forfalt", "Oslo snart", "Oslo senere", "Ahus forfalt"}


def test_report_shows_an_editor_only_their_pages(client, pages, publisher):
    client.force_login(publisher)
    html = client.get(reverse("lifecycle_review_report")).content.decode()
    assert "Oslo forfalt" in html and "Ahus forfalt" not in html


def test_reviewed_button_in_page_listing(client, pages, publisher):
    client.force_login(publisher)
    page = pages["overdue"]
    html = client.get(reverse("wagtailadmin_explore", args=[page.get_parent().pk])).content.decode()
    assert reverse("lifecycle_mark_reviewed", args=[page.pk]) in html
    assert "Revidert uten endringer" in html


def test_report_filters_pages_with_open_error_reports(client, pages):
    from lifecycle.models import ErrorReport

    ErrorReport.objects.create(page=pages["later"], message="Feil telefonnummer.")
    ErrorReport.objects.create(page=pages["soon"], message="Løst sak.", status=ErrorReport.Status.RESOLVED)
    client.force_login(make_user("sentral", superuser=True))
    response = client.get(reverse("lifecycle_review_report"), {"status": "tilbakemelding", "export": "csv"})
    assert csv_titles(response) == {"Oslo senere"}
