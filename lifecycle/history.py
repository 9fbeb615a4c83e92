"""The public change history: published versions, their text, and word-by-word differences.

Only revisions recorded in PublishedVersion (written when a revision actually went live) are
ever read here, so drafts, scheduled and unpublished revisions never reach a reader.
"""

import difflib
import re

from bs4 import BeautifulSoup
from django.db import models
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.blocks import StreamValue
from wagtail.fields import RichTextField
from wagtail.rich_text import expand_db_html

from lifecycle.models import ChangeNote, PublishedVersion
from lifecycle.review import FIRST_VERSION_NOTE

# Fields that say nothing about the content a reader sees.
SKIPPED_FIELDS = {"slug", "seo_title", "search_description", "import_uid", "show_in_menus"}


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


# --- text of a page ------------------------------------------------------------------------


def html_to_text(html):
    soup = BeautifulSoup(str(html), "html.parser")
    text = soup.get_text("\n")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _field_panels(panel):
    for child in getattr(panel, "children", []) or []:
        if isinstance(child, FieldPanel | InlinePanel):
            yield child
        else:
            yield from _field_panels(child)


def _value_text(page, name):
    model = type(page)
    try:
        field = model._meta.get_field(name)
    except Exception:
        return None
    if isinstance(field, models.ManyToManyField) or getattr(field, "many_to_many", False):
        return ", ".join(str(item) for item in getattr(page, name).all())
    if getattr(field, "one_to_many", False):  # child objects (InlinePanel)
        rows = []
        for child in getattr(page, name).all():
            values = []
            for child_field in child._meta.concrete_fields:
                if child_field.primary_key or child_field.name in ("page", "sort_order"):
                    continue
                value = getattr(child, child_field.name)
                if value not in (None, ""):
                    values.append(str(value))
            rows.append(" – ".join(values))
        return "\n".join(rows)
    value = getattr(page, name)
    if value in (None, ""):
        return ""
    if isinstance(value, StreamValue):
        return html_to_text(value.render_as_block())
    if isinstance(field, RichTextField):
        return html_to_text(expand_db_html(value))
    if getattr(field, "choices", None):
        return str(getattr(page, f"get_{name}_display")())
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _value_html(page, name):
    """The field as HTML for a reader: stream fields and rich text rendered, other values escaped."""
    value = getattr(page, name, None)
    if isinstance(value, StreamValue):
        return value.render_as_block()
    field = type(page)._meta.get_field(name)
    if isinstance(field, RichTextField) and value:
        return mark_safe(expand_db_html(value))
    text = _value_text(page, name) or ""
    return mark_safe("<br>".join(escape(line) for line in text.splitlines()))


def _editor_fields(page):
    seen = set()
    for panel in _field_panels(type(page).get_edit_handler()):
        name = getattr(panel, "field_name", None) or getattr(panel, "relation_name", None)
        if not name or name in seen or name in SKIPPED_FIELDS:
            continue
        try:
            type(page)._meta.get_field(name)
        except Exception:  # form-only fields such as the change note
            continue
        seen.add(name)
        yield panel, name


def page_sections(page):
    """[(label, html)] of a version's filled-in fields, for reading an earlier version."""
    sections = []
    for panel, name in _editor_fields(page):
        if name == "title":
            continue
        if not (_value_text(page, name) or "").strip():
            continue
        sections.append((_label(page, panel, name), _value_html(page, name)))
    return sections


def _label(page, panel, name):
    if name == "title":
        return "Tittel"
    label = str(getattr(panel, "heading", "") or "")
    if not label:
        label = str(type(page)._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def page_text(page):
    """[(name, label, text)] for the fields an editor fills in, in the order of the edit form."""
    sections = []
    for panel, name in _editor_fields(page):
        text = _value_text(page, name)
        if text is None:
            continue
        sections.append((name, _label(page, panel, name), text))
    return sections


# --- differences ---------------------------------------------------------------------------

TOKEN = re.compile(r"\n|[^\s]+")


def _render(tokens):
    out = []
    for token in tokens:
        out.append("<br>" if token == "\n" else escape(token))
    return " ".join(out).replace(" <br> ", "<br>")


def word_diff(old, new):
    """HTML marking removed words with <del> and added words with <ins>."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(_render(a[i1:i2]))
        if op in ("delete", "replace"):
            parts.append(f"<del>{_render(a[i1:i2])}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{_render(b[j1:j2])}</ins>")
    return mark_safe(" ".join(part for part in parts if part))


def compare(old_page, new_page):
    """[{label, html, changed}] for every field of the two versions, in edit-form order."""
    old = {name: (label, text) for name, label, text in page_text(old_page)}
    rows = []
    for name, label, new_text in page_text(new_page):
        old_text = old.get(name, (label, ""))[1]
        rows.append(
            {
                "name": name,
                "label": label,
                "changed": old_text != new_text,
                "html": word_diff(old_text, new_text),
            }
        )
    return rows
