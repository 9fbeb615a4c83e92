"""Export and import from the admin: editors move content without a shell, and an import writes
only what its user may write, through the community's approval where the user may not publish."""

import io
import json
import os
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, WorkflowState

from editorial.communities import EDITOR, PUBLISHER, add_editor, setup_community
from kompetanse.models import CommunityHomePage, KnowledgePage, ProcedurePage, Topic
from tests.kompetanse.sample_data import create_full_page
from tests.worlds import built_once, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("sjef", "sjef@example.no", "passord")


def test_export_from_the_admin_downloads_a_package(client, superuser, oslo):
    create_full_page("procedure")
    client.force_login(superuser)
    response = client.post("/admin/gjenbruk/eksport/", {"community": "oslo", "kind": ""})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="kompetanse-oslo')
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        content = json.loads(archive.read("content.json"))
        assert [item["title"] for item in content["items"]] == ["Prosedyre-ABC"]
        assert content["items"][0]["license"] == "CC-BY-4.0"
        attachment = content["items"][0]["attachments"][0]["document"]
        assert content["documents"][attachment]["file"] in archive.namelist()


def test_import_upload_imports_into_the_chosen_community(client, superuser, oslo, sentral):
    package = {
        "format": "kompetanse-package",
        "version": 2,
        "items": [
            {"uid": "x-1", "type": "procedure", "community": "oslo", "title": "Opplastet", "summary": "S."}
        ],
    }
    client.force_login(superuser)
    upload = SimpleUploadedFile("pakke.json", json.dumps(package).encode(), "application/json")
    response = client.post(
        "/admin/gjenbruk/import/", {"package": upload, "community": "sentral"}, follow=True
    )
    assert "Importert: 1 nye og 0 oppdaterte sider." in response.content.decode()
    assert KnowledgePage.objects.get(import_uid="x-1").community.slug == "sentral"


def test_a_bad_upload_names_the_problem_and_imports_nothing(client, superuser, oslo):
    client.force_login(superuser)
    upload = SimpleUploadedFile("pakke.zip", b"PK\x03\x04 ikke en zip", "application/zip")
    response = client.post("/admin/gjenbruk/import/", {"package": upload, "community": ""})
    assert response.status_code == 200
    assert "Ingenting ble importert. Filen er ikke en gyldig zip-fil." in response.content.decode()
    assert KnowledgePage.objects.count() == 0


# --- Who imports what, where (docs/content-package.md, «Hvem importen skriver som») -------------

TEAMS = {
    "sentral": "Felles innhold",
    "oslo": "Helsefellesskap Oslo",
    "ahus": "Helsefellesskapet Ahus-området",
}
USERS = {
    "ansvarlig-sentral": ("sentral", PUBLISHER),
    "redaktor-ahus": ("ahus", EDITOR),
    "ansvarlig-ahus": ("ahus", PUBLISHER),
}


@pytest.fixture(scope="module")
def _teams(django_db_setup, django_db_blocker):
    """Built once for the module: the three communities with their teams and the demo's users."""
    with built_once(django_db_blocker):
        result = {slug: setup_community(slug, name) for slug, name in TEAMS.items()}
        for username, (slug, role) in USERS.items():
            add_editor(username, slug, role, email=f"{username}@example.no")
        yield result


@pytest.fixture
def teams(_teams, db):
    """The three communities with their editorial teams and the demo's users."""
    return fresh(_teams)


@pytest.fixture
def oslo(teams):
    """Oslo as set up for the module (tests/conftest.py's ``oslo`` would find this one too)."""
    return teams["oslo"].community


@pytest.fixture
def sentral(teams):
    return teams["sentral"].community


def as_user(client, django_user_model, username):
    client.force_login(django_user_model.objects.get(username=username))
    return client


def item(uid, community, kind="procedure", **fields):
    return {
        "uid": uid,
        "type": kind,
        "community": community,
        "title": f"Importert {uid}",
        "summary": "Kort.",
        **fields,
    }


def package(*items, **extra):
    return {"format": "kompetanse-package", "version": 2, "items": list(items), **extra}


def post_import(client, content, name="pakke.json", community=""):
    raw = content if isinstance(content, bytes) else json.dumps(content).encode()
    upload = SimpleUploadedFile(name, raw, "application/octet-stream")
    return client.post("/admin/gjenbruk/import/", {"package": upload, "community": community})


def written():
    """Everything an import could write; equal before and after a refused import."""
    return (
        Page.objects.count(),
        Revision.objects.count(),
        WorkflowState.objects.count(),
        get_image_model().objects.count(),
        get_document_model().objects.count(),
        Topic.objects.count(),
    )


def assert_refused(client, content, message, **kwargs):
    """The whole package is refused with this message on the form (status 200), nothing written."""
    before = written()
    response = post_import(client, content, **kwargs)
    assert response.status_code == 200
    assert f"Ingenting ble importert. {message}" in response.content.decode()
    assert written() == before


def media_files(root):
    return [name for _, _, names in os.walk(root) for name in names]


def test_the_import_is_open_to_those_who_may_add_pages(client, django_user_model, teams):
    outsider = django_user_model.objects.create_user("utenfor", "utenfor@example.no", "passord")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    refused = client.get("/admin/gjenbruk/import/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    response = as_user(client, django_user_model, "redaktor-ahus").get("/admin/gjenbruk/import/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="ahus">Helsefellesskapet Ahus-området</option>' in html
    assert '<option value="oslo">' not in html and '<option value="sentral">' not in html


def test_a_central_publisher_cannot_import_into_another_community(client, django_user_model, teams):
    """The finding: an edited export of Ahus, imported by Felles innhold's publisher."""
    assert_refused(
        as_user(client, django_user_model, "ansvarlig-sentral"),
        package(item("felles-1", "sentral"), item("ahus-1", "ahus")),
        "Element 2 (uid «ahus-1»): du har ikke tillatelse til å legge til sider i Helsefellesskapet "
        "Ahus-området («Prosedyrer»).",
    )
    assert not KnowledgePage.objects.filter(import_uid__in=["felles-1", "ahus-1"]).exists()


def test_an_editors_import_is_submitted_to_the_communitys_approval_not_published(
    client, django_user_model, teams
):
    client = as_user(client, django_user_model, "redaktor-ahus")
    response = post_import(client, package(item("ahus-1", "ahus")), community="ahus")
    assert response.status_code == 302
    message = client.get(response["Location"]).content.decode()
    assert "Importert: 1 nye og 0 oppdaterte sider. Sendt til godkjenning, ikke publisert ennå: 1." in message
    page = ProcedurePage.objects.get(import_uid="ahus-1")
    assert not page.live
    assert page.community.slug == "ahus"
    assert page.owner.username == "redaktor-ahus"
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Godkjenning – Helsefellesskapet Ahus-området"
    assert state.requested_by.username == "redaktor-ahus"
    assert any("ansvarlig-ahus@example.no" in email.to for email in mail.outbox)
    client.logout()
    assert client.get("/ahus/prosedyrer/importert-ahus-1/").status_code == 404


def test_an_editors_update_of_a_published_page_stays_unpublished_until_approved(
    client, django_user_model, teams
):
    as_user(client, django_user_model, "ansvarlig-ahus")
    post_import(client, package(item("ahus-1", "ahus")))
    client = as_user(client, django_user_model, "redaktor-ahus")
    response = post_import(client, package(item("ahus-1", "ahus", title="Ny tittel fra pakken")))
    assert response.status_code == 302
    page = ProcedurePage.objects.get(import_uid="ahus-1")
    assert page.live and page.title == "Importert ahus-1"
    assert page.has_unpublished_changes
    assert page.get_latest_revision_as_object().title == "Ny tittel fra pakken"
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_a_publishers_import_is_published(client, django_user_model, teams):
    client = as_user(client, django_user_model, "ansvarlig-ahus")
    response = post_import(client, package(item("ahus-1", "ahus")))
    assert response.status_code == 302
    message = client.get(response["Location"]).content.decode()
    assert "Importert: 1 nye og 0 oppdaterte sider. Publisert: 1." in message
    page = ProcedurePage.objects.get(import_uid="ahus-1")
    assert page.live and page.community.slug == "ahus"
    assert page.current_workflow_state is None
    client.logout()
    assert client.get("/ahus/prosedyrer/importert-ahus-1/").status_code == 200


@pytest.mark.parametrize("username, community", [("ansvarlig-ahus", ""), ("sjef", "ahus")])
def test_a_uid_used_in_another_community_is_refused_and_the_page_stays(
    client, django_user_model, teams, tmp_path, username, community
):
    path = tmp_path / "oslo.json"
    path.write_text(json.dumps(package(item("delt-1", "oslo", title="Oslos side"))))
    call_command("import_content", str(path), stdout=io.StringIO())
    django_user_model.objects.create_superuser("sjef", "sjef@example.no", "passord")
    assert_refused(
        as_user(client, django_user_model, username),
        package(item("delt-1", "ahus", title="Tatt over")),
        "Element 1 (uid «delt-1»): en side med denne uid-en finnes allerede i Helsefellesskap Oslo. "
        "En import flytter ikke sider mellom helsefellesskap.",
        community=community,
    )
    page = ProcedurePage.objects.get(import_uid="delt-1")
    assert (page.community.slug, page.title) == ("oslo", "Oslos side")


def test_an_unknown_community_is_refused_and_not_created(client, superuser, teams):
    client.force_login(superuser)
    assert_refused(
        client,
        package(item("ahus-1", "ahus"), item("bergen-1", "bergen")),
        "Element 2 (uid «bergen-1»): helsefellesskapet «bergen» finnes ikke. Importen oppretter ikke "
        "helsefellesskap; en administrator kan opprette det først.",
    )
    assert not CommunityHomePage.objects.filter(slug="bergen").exists()


def nested(depth):
    value = []
    for _ in range(depth):
        value = [value]
    return value


MALFORMED = {
    "dypt nestet": (b"[" * 100_000, "lister og objekter er nestet for dypt (høyst 32 nivåer)."),
    "nestet dypere enn en pakke, grunt nok for Python": (
        json.dumps(package(item("x-1", "ahus", steps=nested(40)))).encode(),
        "lister og objekter er nestet for dypt (høyst 32 nivåer).",
    ),
    "tall med 100 000 sifre": (
        b'{"format": "kompetanse-package", "version": ' + b"9" * 100_000 + b', "items": []}',
        "et tall har for mange sifre (høyst 4300).",
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_malformed_json_is_a_clear_error_and_writes_nothing(client, superuser, teams, case):
    raw, reason = MALFORMED[case]
    client.force_login(superuser)
    assert_refused(client, raw, f"Filen kan ikke importeres: {reason}")


def png(width, height):
    """A PNG of this many pixels that takes a few kilobytes on disk."""
    buffer = io.BytesIO()
    PILImage.new("1", (width, height)).save(buffer, format="PNG")
    return buffer.getvalue()


def zip_package(content, files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.json", json.dumps(content))
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_image_over_the_upload_pixel_limit_is_refused_as_the_upload_refuses_it(
    client, django_user_model, teams, settings
):
    large = png(8000, 6000)  # 48 megapixels; the limit is 40
    upload_message = "Denne fila har for mange piksler (48000000). Maks antall piksler er 40000000."
    client = as_user(client, django_user_model, "ansvarlig-ahus")
    upload = client.post(
        "/admin/images/add/",
        {
            "title": "Stort",
            "description": "Stort bilde",
            "file": SimpleUploadedFile("stort.png", large, "image/png"),
        },
    )
    assert upload_message in upload.content.decode()
    content = package(
        item("ahus-1", "ahus", kind="good_example", images=[{"image": "img-1", "caption": ""}]),
        images={"img-1": {"file": "images/stort.png", "title": "Stort", "description": "Stort bilde"}},
    )
    assert_refused(
        client,
        zip_package(content, {"images/stort.png": large}),
        f"Bildet «images/stort.png» tas ikke imot: {upload_message}",
        name="pakke.zip",
    )
    assert media_files(settings.MEDIA_ROOT) == []


def test_imported_media_land_in_the_communitys_collections_for_its_team(client, django_user_model, teams):
    content = package(
        item("ahus-1", "ahus", kind="good_example", images=[{"image": "img-1", "caption": ""}]),
        item("ahus-2", "ahus", attachments=[{"document": "doc-1", "title": "Skjema"}]),
        images={"img-1": {"file": "images/kart.png", "title": "Kart", "description": "Kart over området"}},
        documents={"doc-1": {"file": "documents/skjema.pdf", "title": "Skjema"}},
    )
    client = as_user(client, django_user_model, "ansvarlig-ahus")
    response = post_import(
        client,
        zip_package(content, {"images/kart.png": png(40, 30), "documents/skjema.pdf": b"%PDF-1.4 skjema"}),
        name="pakke.zip",
    )
    assert response.status_code == 302
    image = get_image_model().objects.get(title="Kart")
    document = get_document_model().objects.get(title="Skjema")
    assert image.collection == teams["ahus"].image_collection
    assert document.collection == teams["ahus"].document_collection
    assert image.uploaded_by_user.username == "ansvarlig-ahus"
    # The community's editors manage them like their own uploads.
    client = as_user(client, django_user_model, "redaktor-ahus")
    assert client.get(f"/admin/images/{image.pk}/").status_code == 200
    assert client.get(f"/admin/documents/edit/{document.pk}/").status_code == 200
