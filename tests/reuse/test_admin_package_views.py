"""Export and import from the admin: a central publisher moves content without a shell."""

import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import GroupPagePermission

from kompetanse.models import KnowledgePage
from tests.kompetanse.sample_data import create_full_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("sjef", "sjef@example.no", "passord")


def editor(django_user_model, community, name, permissions=("add", "change")):
    user = django_user_model.objects.create_user(name, f"{name}@example.no", "passord")
    group = Group.objects.create(name=f"Gruppe {name}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for permission in permissions:
        GroupPagePermission.objects.create(
            group=group, page=community, permission=Permission.objects.get(codename=f"{permission}_page")
        )
    user.groups.add(group)
    return user


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


def test_only_superusers_and_central_publishers_may_import(client, django_user_model, oslo, sentral):
    local_editor = editor(django_user_model, oslo, "lokal", ("add", "change", "publish"))
    central_publisher = editor(django_user_model, sentral, "sentral", ("add", "change", "publish"))
    client.force_login(local_editor)
    refused = client.get("/admin/gjenbruk/import/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    client.force_login(central_publisher)
    assert client.get("/admin/gjenbruk/import/").status_code == 200
