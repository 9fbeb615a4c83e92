"""Importing content packages (the ``kompetanse-package`` format) into the page tree.

A package is checked in full before anything is written, and written in one transaction, so a
bad package imports nothing. Re-importing an item with the same uid updates its page.
"""

import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from kompetanse.communities import ensure_community, listing_for
from kompetanse.content import apply_data, content_model, parse_date
from kompetanse.models import CONTENT_MODELS, KnowledgePage, TargetGroup

PACKAGE_FORMAT = "kompetanse-package"
SUPPORTED_VERSIONS = {1}
MAX_UID_LENGTH = 100
V1_KEYS = {"uid", "type", "community", "title", "summary", "body", "target_groups", "topics", "next_review"}


class PackageError(Exception):
    """A package that cannot be imported; the message names the item and the reason."""

    def __init__(self, message, *, index=None, uid=None):
        self.index = index
        self.uid = uid
        if index is not None:
            where = f"Element {index + 1}" + (f" (uid «{uid}»)" if uid else "")
            message = f"{where}: {message}"
        super().__init__(message)


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.created) + len(self.updated)


def read_package(raw):
    """Parse package bytes or text into a dict, or raise PackageError."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PackageError("Filen er ikke UTF-8-kodet tekst.") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise PackageError(f"Filen er ikke gyldig JSON (linje {exc.lineno}, kolonne {exc.colno}).") from exc
    return data


def validate_package(data):
    """Check the whole package; return the list of cleaned items. Raises PackageError."""
    if not isinstance(data, dict):
        raise PackageError("Pakken må være et JSON-objekt med «format», «version» og «items».")
    if data.get("format") != PACKAGE_FORMAT:
        raise PackageError(f"Ukjent format «{data.get('format')}»; forventet «{PACKAGE_FORMAT}».")
    if data.get("version") not in SUPPORTED_VERSIONS:
        supported = ", ".join(str(v) for v in sorted(SUPPORTED_VERSIONS))
        raise PackageError(f"Versjon «{data.get('version')}» støttes ikke (støttet: {supported}).")
    items = data.get("items")
    if not isinstance(items, list):
        raise PackageError("«items» må være en liste.")
    known_groups = set(TargetGroup.objects.values_list("slug", flat=True))
    seen = {}
    cleaned = []
    for index, item in enumerate(items):
        cleaned.append(_validate_item(index, item, known_groups, seen))
    return cleaned


def _validate_item(index, item, known_groups, seen):
    if not isinstance(item, dict):
        raise PackageError("Elementet må være et JSON-objekt.", index=index)
    uid = item.get("uid")

    def fail(message):
        raise PackageError(message, index=index, uid=uid if isinstance(uid, str) else None)

    if not isinstance(uid, str) or not uid.strip():
        fail("mangler «uid».")
    uid = uid.strip()
    if len(uid) > MAX_UID_LENGTH:
        fail(f"«uid» kan være høyst {MAX_UID_LENGTH} tegn.")
    if uid in seen:
        fail(f"uid-en finnes allerede i element {seen[uid] + 1}.")
    seen[uid] = index
    kind = item.get("type")
    if kind not in CONTENT_MODELS:
        fail(f"ukjent type «{kind}»; gyldige typer er {', '.join(CONTENT_MODELS)}.")
    community = item.get("community")
    if not isinstance(community, str) or not slugify(community):
        fail("mangler «community» (helsefellesskapets kortnavn).")
    if slugify(community) != community:
        fail(f"«community» må være et kortnavn med små bokstaver og bindestrek, ikke «{community}».")
    title = item.get("title")
    if not isinstance(title, str) or not title.strip():
        fail("mangler tittel («title»).")
    if len(title.strip()) > 255:
        fail("tittelen kan være høyst 255 tegn.")
    for key in ("summary", "body"):
        if key in item and not isinstance(item[key], str):
            fail(f"«{key}» må være tekst.")
    for key in ("target_groups", "topics"):
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and slugify(v) for v in value):
            fail(f"«{key}» må være en liste med kortnavn.")
    unknown = [slug for slug in item.get("target_groups", []) if slug not in known_groups]
    if unknown:
        fail(f"ukjent målgruppe «{unknown[0]}»; gyldige er {', '.join(sorted(known_groups))}.")
    try:
        parse_date(item.get("next_review"), "next_review")
    except ValueError as exc:
        fail(str(exc))
    data = {key: item[key] for key in V1_KEYS if key in item}
    data["uid"] = uid
    data["title"] = title.strip()
    data["topics"] = [slugify(slug) for slug in item.get("topics", [])]
    return data


def import_package(data, *, progress=None):
    """Validate and import a parsed package. All or nothing; returns an ImportResult."""
    items = validate_package(data)
    existing = {
        page.import_uid: page
        for page in KnowledgePage.objects.filter(import_uid__in=[item["uid"] for item in items]).specific()
    }
    for index, item in enumerate(items):
        page = existing.get(item["uid"])
        if page is not None and page.content_kind != item["type"]:
            raise PackageError(
                f"siden med denne uid-en er av typen «{page.content_kind}», ikke «{item['type']}».",
                index=index,
                uid=item["uid"],
            )
    result = ImportResult()
    with transaction.atomic():
        for index, item in enumerate(items):
            try:
                _import_item(item, existing.get(item["uid"]), result)
            except ValueError as exc:
                raise PackageError(str(exc), index=index, uid=item["uid"]) from exc
            if progress is not None:
                progress(index + 1, len(items))
    return result


def _import_item(item, page, result):
    kind = item["type"]
    community = ensure_community(item["community"])
    listing = listing_for(community, kind)
    fields = {key: value for key, value in item.items() if key not in {"uid", "type", "community"}}
    if page is None:
        page = content_model(kind)(slug=_free_slug(listing, item["title"]), import_uid=item["uid"])
        apply_data(page, kind, fields, create_topics=True)
        listing.add_child(instance=page)
        result.created.append(page)
    else:
        if page.get_parent().pk != listing.pk:
            # The item now belongs to another community: move the page there, keeping its history.
            free = _free_slug(listing, page.slug)
            if free != page.slug:
                page.slug = free
                page.save(update_fields=["slug"])
            page.move(listing, pos="last-child")
            page = type(page).objects.get(pk=page.pk)
        apply_data(page, kind, fields, create_topics=True)
        result.updated.append(page)
    page.save_revision().publish()


def _free_slug(parent, text):
    base = slugify(text)[:200] or "side"
    siblings = parent.get_children()
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug
