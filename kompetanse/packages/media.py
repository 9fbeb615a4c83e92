"""The images and documents of a content package: the files of a zip package (or of a folder),
checked before anything is read; the references items use for them; and storing them in the
community's collections when a package is imported.

Items refer to images and documents by the package's own references (``img-7``, ``doc-3``), never
by ids of the portal they come from: in StreamField values, in attachment and gallery lists, and
in rich text document links (``<a linktype="document" id="doc-3">``).
"""

import hashlib
import io
import posixpath
import re
import warnings
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from core.uploads import STORAGE_ERRNOS, PillowCheckedImageField
from kompetanse.communities import media_collection
from kompetanse.packages.mapping import MEDIA_FIELD_KINDS
from kompetanse.packages.schema import PackageError

DOCUMENT_LINK = re.compile(r'(<a\b[^>]*\blinktype="document"[^>]*\bid=")([^"]*)(")')


def walk_strings(value, change):
    """Apply `change` to every string inside nested lists and dicts."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [walk_strings(entry, change) for entry in value]
    if isinstance(value, dict):
        return {key: walk_strings(entry, change) for key, entry in value.items()}
    return value


def document_refs(item):
    refs = []

    def collect(text):
        refs.extend(match.group(2) for match in DOCUMENT_LINK.finditer(text))
        return text

    walk_strings(item, collect)
    return refs


def rewrite_document_links(value, mapping):
    """Replace document ids in rich text links (``<a linktype="document" id="…">``) anywhere
    inside `value`, by mapping old id → new id; links to unknown ids are kept as they are."""

    def change(text):
        if "linktype" not in text:
            return text
        return DOCUMENT_LINK.sub(
            lambda m: m.group(1) + str(mapping.get(m.group(2), m.group(2))) + m.group(3), text
        )

    return walk_strings(value, change)


# --- Files in a package -----------------------------------------------------------------------


def package_limits():
    """Size limits for packages; settings may lower or raise them."""
    return {
        "file": getattr(settings, "KOMPETANSE_PACKAGE_MAX_FILE_SIZE", 50 * 1024 * 1024),
        "total": getattr(settings, "KOMPETANSE_PACKAGE_MAX_TOTAL_SIZE", 500 * 1024 * 1024),
        "entries": getattr(settings, "KOMPETANSE_PACKAGE_MAX_ENTRIES", 5000),
        "ratio": getattr(settings, "KOMPETANSE_PACKAGE_MAX_RATIO", 200),
    }


def safe_entry_name(name):
    """Refuse names that could escape the package: absolute paths, «..», backslashes, drives."""
    if (
        not isinstance(name, str)
        or not name
        or "\x00" in name
        or "\\" in name
        or name.startswith("/")
        or re.match(r"^[A-Za-z]:", name)
        or any(part in ("..", "") for part in name.rstrip("/").split("/"))
        or posixpath.normpath(name) != name.rstrip("/")
    ):
        raise PackageError(f"Ulovlig filsti i pakken: «{name}».")
    return name


class PackageFiles:
    """The files of a zip package, checked for unsafe names and sizes before anything is read."""

    def __init__(self, fileobj):
        self.limits = package_limits()
        try:
            self.zip = zipfile.ZipFile(fileobj)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise PackageError("Filen er ikke en gyldig zip-fil.") from exc
        if len(infos) > self.limits["entries"]:
            raise PackageError(
                f"Zip-filen har for mange filer ({len(infos)}; høyst {self.limits['entries']})."
            )
        self.infos = {}
        total = 0
        for info in infos:
            safe_entry_name(info.filename)
            if info.is_dir():
                continue
            if info.file_size > self.limits["file"]:
                raise PackageError(
                    f"Filen «{info.filename}» er for stor ({size_text(info.file_size)}; høyst {size_text(self.limits['file'])})."
                )
            total += info.file_size
            if total > self.limits["total"]:
                raise PackageError(
                    f"Innholdet i zip-filen er for stort (høyst {size_text(self.limits['total'])} utpakket)."
                )
            if info.compress_size and info.file_size > 1024 * 1024:
                if info.file_size / info.compress_size > self.limits["ratio"]:
                    raise PackageError(
                        f"Filen «{info.filename}» er mistenkelig sterkt komprimert (zip-bombe?)."
                    )
            self.infos[info.filename] = info

    def __contains__(self, name):
        return name in self.infos

    def read(self, name):
        """The bytes of one file; never more than the size limit, whatever the zip claims."""
        if name not in self.infos:
            raise PackageError(f"Filen «{name}» mangler i pakken.")
        limit = self.limits["file"]
        try:
            with self.zip.open(self.infos[name]) as handle:
                content = handle.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as exc:
            raise PackageError(f"Filen «{name}» i zip-filen er skadet ({exc}).") from exc
        if len(content) > limit:
            raise PackageError(f"Filen «{name}» er for stor (høyst {size_text(limit)}).")
        return content


class PackageFolder:
    """The files of a package kept as a folder (``content.json`` beside ``images/`` and
    ``documents/``, as the demo ships its content): the same interface and checks as a zip's."""

    def __init__(self, path):
        self.root = Path(path).resolve()
        self.limits = package_limits()

    def _path(self, name):
        safe_entry_name(name)
        path = (self.root / name).resolve()
        return path if path.is_file() and path.is_relative_to(self.root) else None

    def __contains__(self, name):
        return self._path(name) is not None

    def read(self, name):
        path = self._path(name)
        if path is None:
            raise PackageError(f"Filen «{name}» mangler i pakken.")
        limit = self.limits["file"]
        with path.open("rb") as handle:
            content = handle.read(limit + 1)
        if len(content) > limit:
            raise PackageError(f"Filen «{name}» er for stor (høyst {size_text(limit)}).")
        return content


def size_text(number):
    """A size in bytes as readers read it."""
    return f"{number / (1024 * 1024):.1f} MB" if number >= 1024 * 1024 else f"{number} byte"


IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def check_media(data, files):
    """Check every image and document the package declares, before anything is written.

    Returns {ref: (kind, metadata, bytes)}. Raises PackageError naming the file. The entries'
    shape is the schema's, checked before.
    """
    checked = {}
    declared = [("image", data.get("images") or {}), ("document", data.get("documents") or {})]
    for kind, entries in declared:
        for ref, meta in entries.items():
            label = "Bildet" if kind == "image" else "Dokumentet"
            name = safe_entry_name(meta["file"])
            if files is None:
                raise PackageError(
                    f"{label} «{ref}» viser til filen «{name}», men en JSON-fil har ingen filer; "
                    "importer zip-filen."
                )
            if name not in files:
                raise PackageError(f"{label} «{ref}» viser til filen «{name}», som mangler i pakken.")
            content = files.read(name)
            extension = PurePosixPath(name).suffix.lower().lstrip(".")
            if kind == "image":
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
                        with PILImage.open(io.BytesIO(content)) as image:
                            image_format = image.format
                            meta = {**meta, "_size": image.size}
                            image.verify()
                except Exception as exc:
                    raise PackageError(f"Bildet «{name}» kan ikke leses som et bilde.") from exc
                if image_format not in IMAGE_FORMATS or extension not in settings.WAGTAILIMAGES_EXTENSIONS:
                    raise PackageError(f"Bildet «{name}» har et format portalen ikke tar imot.")
                _check_as_upload(name, content)
            elif extension not in settings.WAGTAILDOCS_EXTENSIONS:
                raise PackageError(f"Dokumentet «{name}» har en filtype portalen ikke tar imot.")
            checked[ref] = (kind, meta, content)
    return checked


def _check_as_upload(name, content):
    """An imported image passes what an upload in the admin must pass (core.uploads: Wagtail's
    size, pixel and format checks and a full decode), and is refused with the upload's message."""
    try:
        PillowCheckedImageField().clean(SimpleUploadedFile(PurePosixPath(name).name, content))
    except ValidationError as exc:
        raise PackageError(f"Bildet «{name}» tas ikke imot: {' '.join(exc.messages)}") from exc


class MediaStore:
    """Creates the package's images and documents as items need them, in the collection of the
    community they are imported into (one copy per community), or finds an equal one there."""

    def __init__(self, checked, user, created_files):
        self.checked = checked
        self.user = user
        self.created_files = created_files
        self.stored = {}

    def get(self, ref, community):
        key = (ref, community.pk)
        if key not in self.stored:
            self.stored[key] = self._store(*self.checked[ref], community)
        return self.stored[key]

    def _store(self, kind, meta, content, community):
        model = get_image_model() if kind == "image" else get_document_model()
        collection = media_collection(community, kind) or Collection.get_first_root_node()
        digest = hashlib.sha1(content).hexdigest()
        title = (meta.get("title") or PurePosixPath(meta["file"]).stem)[:255]
        existing = model.objects.filter(file_hash=digest, title=title, collection=collection).first()
        if existing is not None:
            return existing
        obj = model(title=title, collection=collection, uploaded_by_user=self.user)
        if kind == "image":
            obj.description = (meta.get("description") or "")[:255]
            focal = meta.get("focal_point")
            if _fits(focal, *meta["_size"]):
                obj.focal_point_x, obj.focal_point_y, obj.focal_point_width, obj.focal_point_height = focal
        basename = PurePosixPath(meta["file"]).name
        try:
            obj.file.save(basename, ContentFile(content), save=False)
        except OSError as exc:
            if exc.errno not in STORAGE_ERRNOS:
                raise
            raise PackageError(
                f"Filen «{meta['file']}» kunne ikke lagres: lagringsområdet for filer er fullt"
                " eller skrivebeskyttet. Si fra til driftsansvarlig."
            ) from exc
        self.created_files.append((obj.file.storage, obj.file.name))
        if kind == "image":
            obj.width, obj.height = meta["_size"]
        obj.file_size = len(content)
        obj.file_hash = digest
        obj.save()
        return obj


def _fits(focal, width, height):
    """A focal point [x, y, width, height] inside the image; anything else is left out."""
    if not (isinstance(focal, list) and len(focal) == 4 and all(type(v) is int for v in focal)):
        return False
    x, y, focal_width, focal_height = focal
    return 0 <= x <= width and 0 <= y <= height and 0 <= focal_width <= width and 0 <= focal_height <= height


def media_refs(item):
    """The package's image and document references an item uses."""
    refs = [entry["document"] for entry in item.get("attachments", [])]
    refs += [entry["image"] for entry in item.get("images", [])]
    refs += [item[field] for field in MEDIA_FIELD_KINDS if item.get(field)]
    if isinstance(item.get("body"), list):
        refs += [value["image"] for block_type, value in item["body"] if block_type == "image"]
    return dict.fromkeys(refs + document_refs(item))


def resolve_refs(item, media):
    """Turn the package's image and document references into this portal's objects and ids."""
    item = dict(item)
    doc_ids = {ref: obj.pk for ref, obj in media.items() if not hasattr(obj, "width")}
    for key in ("attachments", "images"):
        if key in item:
            item[key] = [dict(entry) for entry in item[key]]
    for entry in item.get("attachments", []):
        entry["document"] = media[entry["document"]]
    for entry in item.get("images", []):
        entry["image"] = media[entry["image"]]
    for field in MEDIA_FIELD_KINDS:
        if field in item:
            item[field] = media[item[field]] if item[field] else None
    if isinstance(item.get("body"), list):
        body = []
        for block_type, value in item["body"]:
            if block_type == "image" and isinstance(value, dict):
                value = {**value, "image": media[value["image"]].pk}
            body.append([block_type, value])
        item["body"] = body
    return rewrite_document_links(item, doc_ids)
