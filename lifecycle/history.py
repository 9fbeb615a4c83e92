"""The public change history: published versions, their text, and word-by-word differences.

Only revisions recorded in PublishedVersion (written when a revision actually went live) are
ever read here, so drafts, scheduled and unpublished revisions never reach a reader. The fields
and their differences come from kompetanse.comparison.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.blocks import StreamValue
from wagtail.fields import RichTextField
from wagtail.rich_text import expand_db_html

from kompetanse.comparison import editor_fields, field_label, field_text
from lifecycle.models import ChangeNote, PublishedVersion
from lifecycle.review import FIRST_VERSION_NOTE


def record_published_version(page, revision):
    """Remember that `revision` went live; returns (version, created)."""
    note = ChangeNote.objects.filter(revision=revision).first()
    has_earlier = PublishedVersion.objects.filter(page_id=page.pk).exists()
    text = note.text if note else ""
    if not text and not has_earlier:
        text = FIRST_VERSION_NOTE
    return PublishedVersion.objects.get_or_create(
        revision=revision,
        defaults={
            "page_id": page.pk,
            "published_at": page.last_published_at,
            "change_note": text,
            "reviewed_without_changes": bool(note and note.reviewed_without_changes),
        },
    )


def published_versions(page):
    return PublishedVersion.objects.filter(page_id=page.pk).select_related("revision")


def version_object(version):
    """The page as it was in a published version."""
    return version.revision.as_object()


# --- an earlier version, for reading ------------------------------------------------------


def _value_html(page, name):
    """The field as HTML for a reader: stream fields and rich text rendered, other values escaped."""
    value = getattr(page, name, None)
    if isinstance(value, StreamValue):
        return value.render_as_block()
    field = type(page)._meta.get_field(name)
    if isinstance(field, RichTextField) and value:
        return mark_safe(expand_db_html(value))
    text = field_text(page, name) or ""
    return mark_safe("<br>".join(escape(line) for line in text.splitlines()))


def page_sections(page):
    """[(label, html)] of a version's filled-in fields, for reading an earlier version."""
    sections = []
    for panel, name in editor_fields(page):
        if name == "title":
            continue
        if not (field_text(page, name) or "").strip():
            continue
        sections.append((field_label(page, panel, name), _value_html(page, name)))
    return sections
