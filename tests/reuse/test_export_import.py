"""Export and import between portals: a community's content moves whole, or not at all."""

import io
import json
import os
import shutil
import zipfile

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from kompetanse.communities import ensure_community
from kompetanse.models import CommunityHomePage, KnowledgePage, Topic
from kompetanse.packages.mapping import clean_rich_text, page_data
from kompetanse.packages.media import rewrite_document_links
from reuse.models import Provenance
from tests.kompetanse.sample_data import create_full_page, make_document, make_image
from tests.reuse.conftest import copy_world_media
from tests.worlds import built_once, fresh

pytestmark = pytest.mark.django_db


def media_files(root):
    found = set()
    for folder, _, names in os.walk(root):
        found.update(os.path.relpath(os.path.join(folder, name), root) for name in names)
    return found


def comparable(page):
    """A page's content with images and documents replaced by what a reader sees of them."""
    data = page_data(page)
    data.pop("slug")
    for attachment in data.get("attachments", []):
        document = attachment.pop("document")
        with document.file.open("rb") as handle:
            attachment["file"] = (document.title, handle.read())
    for item in data.get("images", []):
        image = item.pop("image")
        with image.file.open("rb") as handle:
            item["file"] = (image.title, image.description, handle.read())
    body = []
    for block_type, value in data["body"]:
        if block_type == "image":
            image = get_image_model().objects.get(pk=value["image"])
            with image.file.open("rb") as handle:
                value = {**value, "image": (image.title, handle.read())}
        body.append([block_type, value])
    data["body"] = body
    titles = {str(d.pk): f"dokument:{d.title}" for d in get_document_model().objects.all()}
    return rewrite_document_links(data, titles)


def export(tmp_path, *args):
    out = tmp_path / "eksport.zip"
    call_command("export_content", *args, "--out", str(out), stdout=io.StringIO())
    return out


def run_import(path, *args):
    out = io.StringIO()
    call_command("import_content", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _oslo(django_db_setup, django_db_blocker, world_media, tmp_path_factory):
    """Built once for the module: Oslo's content, and the members of its exported package."""
    with built_once(django_db_blocker):
        with override_settings(MEDIA_ROOT=str(world_media)):
            pages = _build_oslo_content()
            package = export(tmp_path_factory.mktemp("oslo-package"), "--community", "oslo")
        with zipfile.ZipFile(package) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        yield pages, members


@pytest.fixture
def oslo_content(_oslo, db, world_media, _media_root):
    """Oslo's three published pages, with their images and documents in this test's media folder."""
    copy_world_media(world_media, _media_root)
    pages, _ = _oslo
    return fresh(pages)


def _build_oslo_content():
    ensure_community("oslo", "Helsefellesskap Oslo", license="CC-BY-SA-4.0", short_name="Oslo")
    pages = [create_full_page(kind) for kind in ("procedure", "recommendation", "good_example")]
    # An image inside the body and a document linked from rich text travel too.
    procedure = pages[0]
    image = make_image("Kroppsbilde-ABC", "Alt-kropp-ABC")
    linked = make_document("Lenket-dokument-ABC")
    procedure.body = [
        *[{"type": b["type"], "value": b["value"]} for b in procedure.body.raw_data],
        {"type": "image", "value": {"image": image.pk, "alt_text": "Bilde i teksten", "decorative": False}},
        {
            "type": "paragraph",
            "value": clean_rich_text(f'<p>Se <a linktype="document" id="{linked.pk}">skjemaet</a>.</p>'),
        },
    ]
    procedure.save_revision().publish()
    return [KnowledgePage.objects.get(pk=page.pk).specific for page in pages]


def empty_the_portal():
    for community in CommunityHomePage.objects.all():
        community.delete()
    get_image_model().objects.all().delete()
    get_document_model().objects.all().delete()
    Topic.objects.filter(slug="legemidler").delete()
    shutil.rmtree(django_settings.MEDIA_ROOT, ignore_errors=True)


def test_round_trip_into_an_empty_portal_gives_equal_pages(oslo_content, tmp_path):
    before = {page.content_kind: comparable(page) for page in oslo_content}
    titles = {page.content_kind: page.title for page in oslo_content}
    package = export(tmp_path, "--community", "oslo")
    empty_the_portal()
    assert KnowledgePage.objects.count() == 0

    output = run_import(package)

    assert "3 nye og 0 oppdaterte" in output
    oslo = CommunityHomePage.objects.get(slug="oslo")
    assert (oslo.title, oslo.short_name, oslo.license) == ("Helsefellesskap Oslo", "Oslo", "CC-BY-SA-4.0")
    assert Topic.objects.get(slug="legemidler").name == "Legemidler"
    for kind, expected in before.items():
        page = KnowledgePage.objects.get(title=titles[kind]).specific
        assert page.live
        assert page.community.slug == "oslo"
        assert comparable(page) == expected
        assert page.provenance.license == "CC-BY-SA-4.0"
        assert page.provenance.source_community == "Helsefellesskap Oslo"


def test_rich_text_document_links_point_at_the_recreated_document(oslo_content, tmp_path, client):
    package = export(tmp_path, "--community", "oslo", "--type", "procedure")
    empty_the_portal()
    run_import(package)
    document = get_document_model().objects.get(title="Lenket-dokument-ABC")
    page = KnowledgePage.objects.get().specific
    html = client.get(page.url).content.decode()
    assert f'href="{document.url}"' in html


def test_reimporting_a_package_updates_and_adds_no_duplicate_media(oslo_content, tmp_path, settings):
    package = export(tmp_path, "--community", "oslo")
    empty_the_portal()
    run_import(package)
    files_after_first = media_files(settings.MEDIA_ROOT)
    images, documents = get_image_model().objects.count(), get_document_model().objects.count()

    output = run_import(package)

    assert "0 nye og 3 oppdaterte" in output
    assert KnowledgePage.objects.count() == 3
    assert get_image_model().objects.count() == images
    assert get_document_model().objects.count() == documents
    assert media_files(settings.MEDIA_ROOT) == files_after_first


def test_a_page_exported_and_imported_again_is_the_same_page_updated(oslo_content, tmp_path):
    """The export names a page by its own key (kp-<translation key>); importing the package back
    finds the page by it: no copy, a new revision, and no «Hentet fra» for the portal's own page."""
    procedure = oslo_content[0]
    package = export(tmp_path, "--community", "oslo", "--type", "procedure")
    with zipfile.ZipFile(package) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    content = json.loads(members["content.json"])
    (item,) = content["items"]
    assert item["uid"] == f"kp-{procedure.translation_key}"
    item["title"] = "Ny tittel etter rundtur"
    members["content.json"] = json.dumps(content).encode()
    changed = tmp_path / "endret.zip"
    with zipfile.ZipFile(changed, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    revisions = procedure.revisions.count()

    output = run_import(changed)

    assert "0 nye og 1 oppdaterte" in output
    assert KnowledgePage.objects.count() == len(oslo_content)
    page = KnowledgePage.objects.get(pk=procedure.pk)
    assert (page.title, page.live, page.import_uid) == ("Ny tittel etter rundtur", True, None)
    assert page.revisions.count() == revisions + 1
    assert not Provenance.objects.filter(page=page).exists()


def test_import_into_a_chosen_community(oslo_content, tmp_path):
    package = export(tmp_path, "--community", "oslo", "--type", "good_example")
    empty_the_portal()
    run_import(package, "--community", "bergen")
    page = KnowledgePage.objects.get()
    assert page.community.slug == "bergen"
    assert page.provenance.source_community == "Helsefellesskap Oslo"


def test_export_selects_by_type_and_by_page_with_descendants(oslo_content, tmp_path):
    ensure_community("ahus")
    create_full_page("procedure", community="ahus", title="Ahus-prosedyre")

    def uids(path):
        with zipfile.ZipFile(path) as archive:
            return [item["type"] for item in json.loads(archive.read("content.json"))["items"]]

    assert sorted(uids(export(tmp_path, "--type", "procedure"))) == ["procedure", "procedure"]
    listing = oslo_content[1].get_parent()
    assert uids(export(tmp_path, "--page", str(listing.pk), "--descendants")) == ["recommendation"]
    assert uids(export(tmp_path, "--page", str(oslo_content[2].pk))) == ["good_example"]


def test_version_1_packages_still_import_into_a_chosen_community(tmp_path):
    path = tmp_path / "v1.json"
    item = {
        "uid": "v1-1",
        "type": "procedure",
        "community": "oslo",
        "title": "Gammel pakke",
        "summary": "Kort.",
    }
    path.write_text(json.dumps({"format": "kompetanse-package", "version": 1, "items": [item]}))
    run_import(path, "--community", "innlandet")
    assert KnowledgePage.objects.get(import_uid="v1-1").community.slug == "innlandet"
    assert not Provenance.objects.exists()


# --- A bad package imports nothing ------------------------------------------------------------


@pytest.fixture
def good_zip(_oslo, db, tmp_path):
    """A valid package's members (exported once for the module from Oslo's content), an empty
    portal, and a helper that writes a changed copy of the package."""
    _, members = _oslo
    empty_the_portal()

    def write(change=None, name="pakke.zip", extra=None, drop=()):
        content = json.loads(members["content.json"])
        if change:
            change(content)
        path = tmp_path / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("content.json", json.dumps(content))
            for member, data in members.items():
                if member != "content.json" and member not in drop:
                    archive.writestr(member, data)
            for member, data in (extra or {}).items():
                archive.writestr(member, data)
        return path

    write.members = members
    return write


def first_image_file(content):
    return next(iter(content["images"].values()))["file"]


def set_item(index, **values):
    def change(content):
        content["items"][index].update(values)

    return change


def corrupt_image(content):
    content["_corrupt"] = first_image_file(content)


BAD_PACKAGES = {
    "ugyldig felt (avtaletype)": (dict(change=set_item(1, agreement_type="ukjent")), "agreement_type"),
    "ugyldig dato": (dict(change=set_item(0, valid_from="i fjor")), "må være en dato"),
    "steg uten tittel": (dict(change=set_item(0, steps=[{"title": ""}])), "Element 1"),
    "ukjent blokktype": (dict(change=set_item(0, body=[["video", {}]])), "ukjent type «video»"),
    "manglende referanse": (
        dict(change=set_item(2, images=[{"image": "img-999", "caption": ""}])),
        "bildet «img-999» finnes ikke",
    ),
}


@pytest.mark.parametrize("case", list(BAD_PACKAGES), ids=list(BAD_PACKAGES))
def test_a_package_with_an_invalid_item_imports_nothing(good_zip, settings, case):
    kwargs, message = BAD_PACKAGES[case]
    path = good_zip(**kwargs)
    with pytest.raises(CommandError) as error:
        run_import(path)
    assert "Ingenting ble importert" in str(error.value)
    assert message in str(error.value)
    assert KnowledgePage.objects.count() == 0
    assert get_image_model().objects.count() == 0
    assert get_document_model().objects.count() == 0
    assert media_files(settings.MEDIA_ROOT) == set()


def test_a_missing_file_imports_nothing_and_is_named(good_zip, settings):
    content = json.loads(good_zip.members["content.json"])
    missing = first_image_file(content)
    with pytest.raises(CommandError, match=f"viser til filen «{missing}», som mangler"):
        run_import(good_zip(drop=[missing]))
    assert KnowledgePage.objects.count() == 0
    assert media_files(settings.MEDIA_ROOT) == set()


def test_an_image_pillow_cannot_read_imports_nothing(good_zip, settings):
    content = json.loads(good_zip.members["content.json"])
    broken = first_image_file(content)
    path = good_zip(drop=[broken], extra={broken: b"\x89PNG\r\n\x1a\n dette er ikke et bilde"})
    with pytest.raises(CommandError, match=f"Bildet «{broken}» kan ikke leses"):
        run_import(path)
    assert KnowledgePage.objects.count() == 0
    assert media_files(settings.MEDIA_ROOT) == set()


@pytest.mark.parametrize(
    "width, height", [(8000, 6000), (10000, 8500)], ids=["48-megapiksler", "85-megapiksler"]
)
def test_an_image_over_the_upload_pixel_limit_imports_nothing(good_zip, settings, width, height):
    """Small on disk, too many pixels: refused by the rule and with the message of an upload."""
    content = json.loads(good_zip.members["content.json"])
    name = first_image_file(content)
    buffer = io.BytesIO()
    PILImage.new("1", (width, height)).save(buffer, format="PNG")
    with pytest.raises(CommandError) as error:
        run_import(good_zip(drop=[name], extra={name: buffer.getvalue()}))
    assert str(error.value) == (
        f"Ingenting ble importert. Bildet «{name}» tas ikke imot: Denne fila har for mange piksler "
        f"({width * height}). Maks antall piksler er 40000000."
    )
    assert KnowledgePage.objects.count() == 0
    assert get_image_model().objects.count() == 0
    assert media_files(settings.MEDIA_ROOT) == set()


def test_media_imported_into_a_community_with_a_team_go_to_its_collections(good_zip):
    from editorial.communities import setup_community

    team = setup_community("oslo", "Helsefellesskap Oslo")
    run_import(good_zip())
    assert get_image_model().objects.count() > 0 and get_document_model().objects.count() > 0
    assert {image.collection for image in get_image_model().objects.all()} == {team.image_collection}
    assert {document.collection for document in get_document_model().objects.all()} == {
        team.document_collection
    }


def test_a_media_disk_that_fills_up_during_an_import_leaves_nothing_behind(good_zip, settings):
    from tests.faults import FillsUpAfterOneFileStorage, media_on

    path = good_zip()
    FillsUpAfterOneFileStorage.files_taken = 0
    with media_on(FillsUpAfterOneFileStorage), pytest.raises(CommandError) as error:
        run_import(path)
    assert FillsUpAfterOneFileStorage.files_taken == 1  # one file was written before it filled up
    assert "Ingenting ble importert" in str(error.value)
    assert "fullt eller skrivebeskyttet" in str(error.value)
    assert KnowledgePage.objects.count() == 0
    assert get_image_model().objects.count() == 0
    assert get_document_model().objects.count() == 0
    assert media_files(settings.MEDIA_ROOT) == set()
    # With space again, the same package imports completely.
    run_import(path)
    assert KnowledgePage.objects.count() > 0


@pytest.mark.parametrize("entry", ["../utenfor.txt", "/etc/passwd", "images/../../x.png", "C:/x.png"])
def test_path_traversal_in_a_zip_entry_imports_nothing(good_zip, settings, entry):
    with pytest.raises(CommandError, match="Ulovlig filsti"):
        run_import(good_zip(extra={entry: b"x"}))
    assert KnowledgePage.objects.count() == 0
    assert media_files(settings.MEDIA_ROOT) == set()


def test_path_traversal_in_a_file_reference_imports_nothing(good_zip):
    def change(content):
        next(iter(content["documents"].values()))["file"] = "../../settings.py"

    with pytest.raises(CommandError, match="Ulovlig filsti"):
        run_import(good_zip(change=change))
    assert KnowledgePage.objects.count() == 0


def test_an_oversized_file_imports_nothing(good_zip, settings):
    settings.KOMPETANSE_PACKAGE_MAX_FILE_SIZE = 200_000
    with pytest.raises(CommandError, match="«documents/stor.pdf» er for stor"):
        run_import(good_zip(extra={"documents/stor.pdf": b"0" * 300_000}))
    assert KnowledgePage.objects.count() == 0
    assert media_files(settings.MEDIA_ROOT) == set()


def test_a_zip_bomb_imports_nothing(good_zip, settings):
    settings.KOMPETANSE_PACKAGE_MAX_TOTAL_SIZE = 5 * 1024 * 1024
    with pytest.raises(CommandError, match="zip-bombe|for stor"):
        run_import(good_zip(extra={"bombe.txt": b"\0" * (20 * 1024 * 1024)}))
    assert KnowledgePage.objects.count() == 0


def test_a_broken_zip_imports_nothing(tmp_path):
    path = tmp_path / "skadet.zip"
    path.write_bytes(b"PK\x03\x04 dette er ikke en hel zip-fil")
    with pytest.raises(CommandError, match="ikke en gyldig zip-fil"):
        run_import(path)


def test_a_failure_while_writing_removes_the_media_files_already_written(good_zip, settings):
    """The last item fails only when saved (a URL the model refuses): files written before go."""
    path = good_zip(change=set_item(1, agreement_url="ikke en adresse"))
    with pytest.raises(CommandError, match="Element 2"):
        run_import(path)
    assert KnowledgePage.objects.count() == 0
    assert get_image_model().objects.count() == 0
    assert media_files(settings.MEDIA_ROOT) == set()
