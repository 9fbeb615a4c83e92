"""Two pages compared field by field, as a reader sees them.

One comparison for every place that shows differences: the public change log («Hva er endret»,
two published versions of one page, word by word) and the reuse app's side-by-side view (two
communities' versions of the same content). The fields are the ones an editor fills in, in the
order of the edit form, each as plain text.
"""

import dataclasses
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

# Fields that say nothing about the content a reader sees.
SKIPPED_FIELDS = {"slug", "seo_title", "search_description", "import_uid", "show_in_menus"}


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


def editor_fields(page):
    """(panel, field name) for each model field on the page's edit form, in the form's order."""
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


def field_label(page, panel, name):
    if name == "title":
        return "Tittel"
    label = str(getattr(panel, "heading", "") or "")
    if not label:
        label = str(type(page)._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def field_text(page, name):
    """The field's value as a reader would read it, in plain text; None if it is no field."""
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


def page_text(page):
    """[(name, label, text)] for the fields an editor fills in, in the order of the edit form."""
    sections = []
    for panel, name in editor_fields(page):
        text = field_text(page, name)
        if text is None:
            continue
        sections.append((name, field_label(page, panel, name), text))
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


@dataclasses.dataclass(frozen=True)
class FieldComparison:
    """One field of two pages: its text on the left (older) page and on the right (newer) one."""

    name: str
    label: str
    left: str
    right: str

    @property
    def changed(self):
        return self.left != self.right

    @property
    def html(self):
        """The change from left to right, word by word (<del>, <ins>)."""
        return word_diff(self.left, self.right)


def compare(left, right):
    """[FieldComparison] for every field of either page, in the right page's edit-form order."""
    left_fields = {name: (label, text) for name, label, text in page_text(left)}
    rows = []
    for name, label, text in page_text(right):
        rows.append(FieldComparison(name, label, left_fields.pop(name, (label, ""))[1], text))
    for name, (label, text) in left_fields.items():
        rows.append(FieldComparison(name, label, text, ""))
    return rows
