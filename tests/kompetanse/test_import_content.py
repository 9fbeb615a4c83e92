"""import_content: a community brings its procedures in; a bad package brings in nothing."""

import json

import pytest
from django.core.management import CommandError, call_command

from kompetanse.models import CommunityHomePage, KnowledgePage, ProcedurePage, RecommendationPage, Topic

pytestmark = pytest.mark.django_db


def item(uid="doc-001", **overrides):
    return {
        "uid": uid,
        "type": "procedure",
        "community": "oslo",
        "title": f"Legemiddelsamstemming {uid}",
        "summary": "Slik samstemmes legemiddellisten ved innleggelse.",
        "body": "<h2>Fremgangsmåte</h2><p>Hent oppdatert liste fra kjernejournal.</p>",
        "target_groups": ["skropelige-eldre"],
        "topics": ["legemidler"],
        "next_review": "2026-05-01",
        **overrides,
    }


def package(*items, **overrides):
    return {"format": "kompetanse-package", "version": 1, "items": list(items), **overrides}


@pytest.fixture
def write(tmp_path):
    def write(data, name="pakke.json"):
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return str(path)

    return write


def run(path):
    from io import StringIO

    out = StringIO()
    call_command("import_content", path, stdout=out)
    return out.getvalue()


def test_import_on_an_empty_portal_creates_published_pages_and_communities(write, client):
    output = run(write(package(item(), item("doc-002", type="good_example", community="innlandet"))))

    assert "2 nye og 0 oppdaterte" in output
    page = ProcedurePage.objects.get(import_uid="doc-001")
    assert page.live
    assert page.community.slug == "oslo"
    assert page.next_review.isoformat() == "2026-05-01"
    assert [g.slug for g in page.target_groups.all()] == ["skropelige-eldre"]
    assert CommunityHomePage.objects.filter(slug="innlandet").exists()
    response = client.get(page.url)
    assert response.status_code == 200
    assert "Hent oppdatert liste fra kjernejournal." in response.content.decode()


def test_unknown_topics_are_created(write):
    run(write(package(item(topics=["legemidler", "helt-nytt-fagomrade"]))))
    assert Topic.objects.filter(slug="helt-nytt-fagomrade").exists()
    page = ProcedurePage.objects.get(import_uid="doc-001")
    assert sorted(t.slug for t in page.topics.all()) == ["helt-nytt-fagomrade", "legemidler"]


def test_reimporting_a_uid_updates_the_page_instead_of_adding_one(write):
    run(write(package(item())))
    output = run(write(package(item(title="Ny tittel", summary="Oppdatert sammendrag."))))

    assert "0 nye og 1 oppdaterte" in output
    assert ProcedurePage.objects.count() == 1
    page = ProcedurePage.objects.get(import_uid="doc-001")
    assert page.title == "Ny tittel"
    assert page.summary == "Oppdatert sammendrag."
    assert page.revisions.count() == 2
    assert page.live and not page.has_unpublished_changes


def test_reimport_into_another_community_is_refused_and_the_page_stays(write):
    run(write(package(item())))
    with pytest.raises(CommandError) as error:
        run(write(package(item(community="ahus", title="Flyttet"))))
    assert str(error.value) == (
        "Ingenting ble importert. Element 1 (uid «doc-001»): en side med denne uid-en finnes allerede i "
        "Helsefellesskap Oslo. En import flytter ikke sider mellom helsefellesskap."
    )
    page = ProcedurePage.objects.get(import_uid="doc-001")
    assert (page.community.slug, page.title) == ("oslo", "Legemiddelsamstemming doc-001")
    assert not CommunityHomePage.objects.filter(slug="ahus").exists()


def test_the_command_publishes_directly_creates_communities_and_says_so(write):
    from django.core.management import load_command_class

    output = run(write(package(item(), item("doc-002", community="innlandet"))))

    assert ProcedurePage.objects.get(import_uid="doc-002").live
    assert (
        "Opprettet helsefellesskapet «innlandet» (Helsefellesskap Innlandet) uten redaksjon. Kjør "
        "«manage.py create_community innlandet» for grupper, samlinger og godkjenningsflyt."
    ) in output
    assert (
        "Ferdig: 2 nye og 0 oppdaterte sider, publisert direkte uten godkjenning (administratorimport)."
        in output
    )
    help_text = load_command_class("kompetanse", "import_content").help
    assert "administratorens verktøy: sidene publiseres direkte, uten godkjenning" in help_text


def test_imported_html_is_cleaned_of_scripts_and_handlers(write, client):
    run(write(package(item(body='<p onclick="x()">Trygg tekst</p><script>alert("x")</script>'))))
    page = ProcedurePage.objects.get(import_uid="doc-001")
    html = client.get(page.url).content.decode()
    assert "Trygg tekst" in html
    assert "<script>alert" not in html
    assert "onclick" not in html


def test_progress_is_printed_for_large_files(write):
    items = [item(f"doc-{n:03d}") for n in range(40)]
    output = run(write(package(*items)))
    assert "Importert 2 av 40" in output
    assert "Importert 40 av 40" in output
    assert ProcedurePage.objects.count() == 40


@pytest.mark.parametrize(
    "content, message",
    [
        ("dette er ikke json", "ikke gyldig JSON"),
        (package(item(), format="annet-format"), "Ukjent format «annet-format»"),
        (package(item(), version=99), "Versjon «99» støttes ikke"),
        (package(item(), item("doc-002", type="nyhet")), "Element 2 (uid «doc-002»): ukjent type «nyhet»"),
        (package(item(), item("doc-002", title="")), "Element 2 (uid «doc-002»): mangler tittel"),
        (
            package(item(), {k: v for k, v in item("doc-002").items() if k != "title"}),
            "Element 2 (uid «doc-002»): mangler tittel",
        ),
        (package(item(), item("doc-002", target_groups=["ukjent"])), "ukjent målgruppe «ukjent»"),
        (package(item(), item("doc-002", next_review="1. mai")), "må være en dato"),
        (package(item(), item("doc-001")), "uid-en finnes allerede i element 1"),
        (package(item(), item("doc-002", community="Oslo By")), "kortnavn"),
        (package(item(), {"type": "procedure", "title": "Uten uid", "community": "oslo"}), "mangler «uid»"),
        (
            {"format": "kompetanse-package", "version": 1, "items": "ikke en liste"},
            "«items» må være en liste",
        ),
        pytest.param(
            "[" * 100_000,
            "Ingenting ble importert. Filen kan ikke importeres: lister og objekter er nestet for dypt "
            "(høyst 32 nivåer).",
            id="100000-nestede-lister",
        ),
        pytest.param(
            '{"format": "kompetanse-package", "version": 1, "items": [' + "9" * 100_000 + "]}",
            "Ingenting ble importert. Filen kan ikke importeres: et tall har for mange sifre (høyst 4300).",
            id="tall-med-100000-sifre",
        ),
    ],
)
def test_a_bad_package_imports_nothing_and_says_which_item_and_why(write, content, message):
    pages_before = KnowledgePage.objects.count()
    communities_before = CommunityHomePage.objects.count()
    with pytest.raises(CommandError) as error:
        run(write(content))
    assert "Ingenting ble importert" in str(error.value)
    assert message in str(error.value)
    assert KnowledgePage.objects.count() == pages_before
    assert CommunityHomePage.objects.count() == communities_before


def test_a_failure_late_in_the_write_rolls_back_the_items_before_it(write):
    """An item can pass the checks and still fail while written (here: unreadable HTML)."""
    from unittest import mock

    from kompetanse.packages import reading

    real = reading.apply_data
    calls = {"n": 0}

    def failing_on_third(page, kind, data, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise ValueError("Teksten inneholder HTML som ikke kan leses.")
        return real(page, kind, data, **kwargs)

    with mock.patch.object(reading, "apply_data", failing_on_third):
        with pytest.raises(CommandError, match="Element 3"):
            run(write(package(item("a"), item("b"), item("c"), item("d", community="ny-region"))))
    assert KnowledgePage.objects.count() == 0
    assert not CommunityHomePage.objects.filter(slug="ny-region").exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Fant ikke filen"):
        run(str(tmp_path / "finnes-ikke.json"))


def test_reimport_with_another_type_is_refused(write):
    run(write(package(item())))
    with pytest.raises(CommandError, match="er av typen «procedure», ikke «good_example»"):
        run(write(package(item(type="good_example"))))
    assert ProcedurePage.objects.get(import_uid="doc-001").live


def test_an_import_leaves_the_query_planner_with_current_statistics(write):
    """Without them SQLite walks the whole page tree for every page view once content grows."""
    from django.db import connection
    from wagtail.models import Page

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum keeps its own statistics")

    run(write(package(*[item(f"stat-{n}") for n in range(6)])))
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'wagtailcore_page' AND idx IS NULL")
        row = cursor.fetchone()
        if row is None:  # SQLite keeps the row count on an index's line when the table has one
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'wagtailcore_page' LIMIT 1")
            row = cursor.fetchone()
    assert int(row[0].split()[0]) == Page.objects.count()


def test_a_package_folder_imports_like_a_zip(tmp_path):
    """The demo ships its content as folders: content.json beside the files it names."""
    folder = tmp_path / "pakke"
    (folder / "documents").mkdir(parents=True)
    (folder / "documents" / "skjema.txt").write_text("Skjema for samstemming", encoding="utf-8")
    content = package(
        item(attachments=[{"document": "doc-1", "title": "Skjema"}]),
        version=2,
        documents={"doc-1": {"file": "documents/skjema.txt", "title": "Skjema"}},
    )
    (folder / "content.json").write_text(json.dumps(content), encoding="utf-8")

    assert "1 nye og 0 oppdaterte" in run(str(folder))
    page = ProcedurePage.objects.get(import_uid="doc-001")
    (attachment,) = page.attachments
    assert attachment.value["document"].title == "Skjema"


def test_a_package_folder_keeps_its_files_inside_it(tmp_path):
    folder = tmp_path / "pakke"
    folder.mkdir()
    (tmp_path / "hemmelig.txt").write_text("utenfor pakken", encoding="utf-8")
    content = package(
        item(attachments=[{"document": "doc-1", "title": "Skjema"}]),
        version=2,
        documents={"doc-1": {"file": "../hemmelig.txt", "title": "Skjema"}},
    )
    (folder / "content.json").write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(CommandError, match="Ulovlig filsti i pakken: «../hemmelig.txt»"):
        run(str(folder))
    assert KnowledgePage.objects.count() == 0


def test_a_package_with_the_old_norwegian_codes_imports_them_as_the_english_ones(write, client):
    old = item(
        "anb-001",
        type="recommendation",
        agreement_type="tjenesteavtale",
        responsibilities=[
            {"party": party, "party_label": "", "tasks": f"<p>Oppgave for {party}.</p>"}
            for party in ["kommune", "sykehus", "fastlege", "legevakt", "pasient", "annen"]
        ],
    )
    new = item(
        "anb-002",
        type="recommendation",
        agreement_type="cooperation_agreement",
        responsibilities=[{"party": "gp", "party_label": "", "tasks": "<p>Oppgave.</p>"}],
    )
    run(write(package(old, new, version=2)))

    page = RecommendationPage.objects.get(import_uid="anb-001")
    assert page.agreement_type == "service_agreement"
    assert [row["value"]["party"] for row in page.responsibilities.raw_data] == [
        "municipality",
        "hospital",
        "gp",
        "out_of_hours",
        "patient",
        "other",
    ]
    newer = RecommendationPage.objects.get(import_uid="anb-002")
    assert newer.agreement_type == "cooperation_agreement"
    assert [row["value"]["party"] for row in newer.responsibilities.raw_data] == ["gp"]
    text = client.get(page.url).content.decode()
    for label in ["Tjenesteavtale", "Kommune", "Sykehus", "Fastlege", "Legevakt", "Pasient og pårørende"]:
        assert label in text


def test_a_party_that_is_neither_an_old_nor_a_new_code_is_refused(write):
    bad = item(
        "anb-003",
        type="recommendation",
        responsibilities=[{"party": "bydel", "party_label": "", "tasks": "<p>Oppgave.</p>"}],
    )
    with pytest.raises(CommandError) as error:
        run(write(package(bad, version=2)))
    assert "«responsibilities» nr. 1: «party» har en ugyldig verdi «bydel»" in str(error.value)
    assert not RecommendationPage.objects.exists()
