"""Writing pages as a content package (``kompetanse-package`` version 2, see
docs/content-package.md): a zip file with ``content.json`` and the images and documents it uses.

Where a page comes from (imported, or taken into use from another community) is the reuse app's
knowledge; it tells the exporter through ``kompetanse.registry.register_export_origin``.
"""

import json
import re
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from kompetanse import registry
from kompetanse.models import (
    CENTRAL_SLUG,
    CONTENT_MODELS,
    CommunityHomePage,
    KnowledgePage,
    TopicIntroduction,
)
from kompetanse.packages.mapping import MEDIA_FIELDS, PARENT_ITEM_KEYS, page_data
from kompetanse.packages.media import DOCUMENT_LINK, rewrite_document_links, walk_strings
from kompetanse.packages.schema import OWN_UID_PREFIX, PACKAGE_FORMAT

PAGE_LINK = re.compile(r'<a\b([^>]*)\blinktype="page"([^>]*)\bid="(\d+)"([^>]*)>')


class ExportError(Exception):
    pass


def select_pages(*, community=None, kind=None, page_id=None, descendants=False):
    """The live pages an export holds, in tree order."""
    pages = KnowledgePage.objects.live()
    if community:
        home = CommunityHomePage.objects.filter(slug=community).first()
        if home is None:
            raise ExportError(f"Fant ikke helsefellesskapet «{community}».")
        pages = pages.descendant_of(home)
    if kind:
        if kind not in CONTENT_MODELS:
            raise ExportError(f"Ukjent type «{kind}». Gyldige typer er: {', '.join(CONTENT_MODELS)}.")
        pages = pages.type(CONTENT_MODELS[kind])
    if page_id is not None:
        root = Page.objects.filter(pk=page_id).first()
        if root is None:
            raise ExportError(f"Fant ingen side med id {page_id}.")
        pages = pages.descendant_of(root, inclusive=True) if descendants else pages.filter(pk=root.pk)
    return pages.order_by("path").specific()


def page_uid(page):
    """A page's identity across portals: the uid it was imported with, else its stable key."""
    return page.import_uid or f"{OWN_UID_PREFIX}{page.translation_key}"


def build_package(pages):
    """Returns (content dict, {file name in zip: storage file})."""
    image_model, document_model = get_image_model(), get_document_model()
    images, documents, files = {}, {}, {}
    communities, topic_names, items = {}, {}, []

    def image_ref(image):
        ref = f"img-{image.pk}"
        if ref not in images:
            name = f"images/{image.pk}-{PurePosixPath(image.file.name).name}"
            images[ref] = {
                "file": name,
                "title": image.title,
                "description": image.description,
                "focal_point": (
                    [
                        image.focal_point_x,
                        image.focal_point_y,
                        image.focal_point_width,
                        image.focal_point_height,
                    ]
                    if image.has_focal_point()
                    else None
                ),
            }
            files[name] = image.file
        return ref

    def document_ref(document):
        ref = f"doc-{document.pk}"
        if ref not in documents:
            name = f"documents/{document.pk}-{PurePosixPath(document.file.name).name}"
            documents[ref] = {"file": name, "title": document.title}
            files[name] = document.file
        return ref

    for page in pages:
        data = page_data(page)
        community = page.community
        data.pop("slug")
        if "attachments" in data:
            data["attachments"] = [
                {"document": document_ref(a["document"]), "title": a["title"]} for a in data["attachments"]
            ]
        if "images" in data:
            data["images"] = [
                {"image": image_ref(i["image"]), "caption": i["caption"]} for i in data["images"]
            ]
        for field, media in MEDIA_FIELDS.get(page.content_kind, {}).items():
            ref = image_ref if media == "image" else document_ref
            data[field] = ref(data[field]) if data[field] else None
        if page.content_kind in PARENT_ITEM_KEYS:  # an episode names its series
            data[PARENT_ITEM_KEYS[page.content_kind]] = page_uid(page.get_parent().specific)
        if "key_pages" in data:
            data["key_pages"] = [page_uid(key_page) for key_page in data["key_pages"]]
        body = []
        for block_type, value in data["body"]:
            if block_type == "image" and isinstance(value, dict):
                image = image_model.objects.filter(pk=value.get("image")).first()
                if image is None:
                    continue
                value = {**value, "image": image_ref(image)}
            body.append([block_type, value])
        data["body"] = body
        # Document links in rich text point at package references; page links become addresses.
        linked = _linked_document_ids(data)
        for document in document_model.objects.filter(pk__in=linked):
            document_ref(document)
        data = rewrite_document_links(data, {str(pk): f"doc-{pk}" for pk in linked})
        data = _page_links_to_urls(data)
        for topic in page.topics.all():
            topic_names[topic.slug] = {"name": topic.name, "description": topic.description}
        if community is not None and community.slug not in communities:
            communities[community.slug] = {
                "title": community.title,
                "short_name": community.short_name,
                "license": community.license,
            }
        items.append(
            {
                "uid": page_uid(page),
                "type": page.content_kind,
                "community": community.slug if community else "",
                "slug": page.slug,
                **data,
                **_origin(page, community),
            }
        )
    introductions = _introductions(communities, document_ref)
    content = {
        "format": PACKAGE_FORMAT,
        "version": 2,
        "portal": settings.WAGTAIL_SITE_NAME,
        "exported_at": timezone.now().isoformat(),
        "communities": communities,
        "topic_names": topic_names,
        "images": images,
        "documents": documents,
        "items": items,
        "topic_introductions": introductions,
    }
    return content, files


def _introductions(communities, document_ref):
    """The introductions to topic pages of the communities the package holds pages of: they are
    the community's, and travel with its content (the central section has none)."""
    found = []
    chosen = TopicIntroduction.objects.filter(community__slug__in=communities).exclude(
        community__slug=CENTRAL_SLUG
    )
    for introduction in chosen.select_related("community", "topic_page__topic").order_by(
        "community__path", "pk"
    ):
        text = introduction.text
        linked = _linked_document_ids(text)
        for document in get_document_model().objects.filter(pk__in=linked):
            document_ref(document)
        text = _page_links_to_urls(rewrite_document_links(text, {str(pk): f"doc-{pk}" for pk in linked}))
        found.append(
            {
                "community": introduction.community.slug,
                "topic": introduction.topic_page.topic.slug,
                "text": text,
            }
        )
    return found


def _origin(page, community):
    """The item's license and provenance: the portal's own content, unless a satellite knows
    where the page comes from (kompetanse.registry.export_origin)."""
    own = {
        "license": community.license if community else "",
        "provenance": {
            "portal": settings.WAGTAIL_SITE_NAME,
            "url": page.full_url or "",
            "community": community.slug if community else "",
            "community_name": community.title if community else "",
            "published_at": page.last_published_at.isoformat() if page.last_published_at else None,
            "adapted_from": {},
        },
    }
    return registry.export_origin(page, own)


def _linked_document_ids(data):
    found = set()

    def walk(value):
        if isinstance(value, str):
            found.update(int(m.group(2)) for m in DOCUMENT_LINK.finditer(value) if m.group(2).isdigit())
        elif isinstance(value, list):
            for entry in value:
                walk(entry)
        elif isinstance(value, dict):
            for entry in value.values():
                walk(entry)

    walk(data)
    return found


def _page_links_to_urls(data):
    def change(text):
        if 'linktype="page"' not in text:
            return text

        def replace(match):
            target = Page.objects.filter(pk=match.group(3)).first()
            url = target.specific.full_url if target is not None else ""
            return f'<a href="{url}">' if url else "<a>"

        return PAGE_LINK.sub(replace, text)

    return walk_strings(data, change)


def write_zip(pages, fileobj):
    """Write the package for `pages` as a zip file; returns the number of pages."""
    content, files = build_package(pages)
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.json", json.dumps(content, ensure_ascii=False, indent=2, default=str))
        for name, stored in files.items():
            with stored.open("rb") as handle:
                archive.writestr(name, handle.read())
    return len(content["items"])


def export_filename(community=None, kind=None):
    parts = ["kompetanse", community or "alle", kind or "", timezone.localdate().isoformat()]
    return slugify("-".join(part for part in parts if part)) + ".zip"
