"""Two pages compared field by field, as a reader sees them.

One comparison for every place that shows differences: the public change log («Hva er endret»,
two published versions of one page, word by word) and the reuse app's side-by-side view (two
communities' versions of the same content). The fields are the ones an editor fills in, in the
order of the edit form, each as plain text: blocks read with their labels (steps numbered), images
and documents as «[Bilde: …]» and «[Dokument: …]». Two fields differ when their text differs or
when they show other images or documents (by id), even under the same title.
"""

import dataclasses
import difflib
import re

from bs4 import BeautifulSoup
from django.db import models
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.blocks import StreamValue
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.documents.models import AbstractDocument
from wagtail.fields import RichTextField
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtail.images.models import AbstractImage
from wagtail.rich_text import RichText, expand_db_html

from kompetanse.blocks import StepBlock

# Fields that say nothing about the content a reader sees.
SKIPPED_FIELDS = {"slug", "seo_title", "search_description", "import_uid", "show_in_menus"}
# Block fields that only set the look (a heading's level).
SKIPPED_BLOCK_FIELDS = {"level"}
# Blocks read as a numbered list, in the order of the stream.
NUMBERED_BLOCKS = (StepBlock,)


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


def image_text(image, media):
    media.append(("image", image.pk))
    return f"[Bilde: {image.title}]"


def document_text(document, media):
    media.append(("document", document.pk))
    return f"[Dokument: {document.title}]"


def rich_text(html, media):
    """Rich text (as stored) as plain text; linked documents and embedded images are noted in media."""
    soup = BeautifulSoup(str(html), "html.parser")
    for embed in soup.find_all("embed", attrs={"embedtype": "image"}):
        media.append(("image", int(embed.get("id") or 0)))
    for link in soup.find_all("a", attrs={"linktype": "document"}):
        media.append(("document", int(link.get("id") or 0)))
    return html_to_text(expand_db_html(str(html)))


def stream_text(stream_value, media):
    """A stream as text: one block after the other, steps numbered."""
    parts = []
    number = 0
    for child in stream_value:
        text = block_text(child.block, child.value, media)
        if isinstance(child.block, NUMBERED_BLOCKS):
            number += 1
            text = f"{number}. {text}"
        if text:
            parts.append(text)
    return "\n".join(parts)


def block_text(block, value, media):
    """One block's value as text: the first field of a group as it is, the others with their label."""
    if value is None or value == "":
        return ""
    if isinstance(block, ImageBlock | ImageChooserBlock):
        return image_text(value, media)
    if isinstance(block, DocumentChooserBlock):
        return document_text(value, media)
    if isinstance(block, blocks.StructBlock):
        lines = []
        for name, child in block.child_blocks.items():
            if name in SKIPPED_BLOCK_FIELDS:
                continue
            text = block_text(child, value.get(name), media)
            if text:
                lines.append(f"{child.label}: {text}" if lines else text)
        return "\n".join(lines)
    if isinstance(block, blocks.StreamBlock):
        return stream_text(value, media)
    if isinstance(block, blocks.ListBlock):
        return "\n".join(
            text for text in (block_text(block.child_block, item, media) for item in value) if text
        )
    if isinstance(block, blocks.RichTextBlock) or isinstance(value, RichText):
        return rich_text(getattr(value, "source", value), media)
    if isinstance(block, blocks.ChoiceBlock):
        return str(dict(block.field.choices).get(value, value))
    if isinstance(block, blocks.FieldBlock) and isinstance(value, str):
        return " ".join(value.split()) if "\n" not in value else value.strip()
    return html_to_text(block.render(value))


def _value_text(field, value, media):
    """A model field's value as text (a foreign key to an image or document by its title)."""
    if value in (None, ""):
        return ""
    related = getattr(field, "related_model", None)
    if isinstance(related, type) and issubclass(related, AbstractImage):
        return image_text(value, media)
    if isinstance(related, type) and issubclass(related, AbstractDocument):
        return document_text(value, media)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return str(value)


def field_content(page, name):
    """(text, media) of a field: its value as a reader would read it, in plain text, and the
    images and documents it shows as ("image"|"document", id) in order; None if it is no field."""
    model = type(page)
    try:
        field = model._meta.get_field(name)
    except Exception:
        return None
    media = []
    if isinstance(field, models.ManyToManyField) or getattr(field, "many_to_many", False):
        return ", ".join(str(item) for item in getattr(page, name).all()), ()
    if getattr(field, "one_to_many", False):  # child objects (InlinePanel)
        rows = []
        for child in getattr(page, name).all():
            values = []
            for child_field in child._meta.concrete_fields:
                if child_field.primary_key or child_field.name in ("page", "sort_order"):
                    continue
                text = _value_text(child_field, getattr(child, child_field.name), media)
                if text:
                    values.append(text)
            rows.append(" – ".join(values))
        return "\n".join(rows), tuple(media)
    value = getattr(page, name)
    if value in (None, ""):
        return "", ()
    if isinstance(value, StreamValue):
        text = stream_text(value, media)
    elif isinstance(field, RichTextField):
        text = rich_text(value, media)
    else:
        text = _value_text(field, value, media)
    return text, tuple(media)


def field_text(page, name):
    """The field's value as a reader would read it, in plain text; None if it is no field."""
    content = field_content(page, name)
    return None if content is None else content[0]


def page_fields(page):
    """[(name, label, text, media)] for the fields an editor fills in, in the order of the edit form."""
    sections = []
    for panel, name in editor_fields(page):
        content = field_content(page, name)
        if content is None:
            continue
        sections.append((name, field_label(page, panel, name), *content))
    return sections


def page_text(page):
    """[(name, label, text)] for the fields an editor fills in, in the order of the edit form."""
    return [(name, label, text) for name, label, text, _media in page_fields(page)]


# --- differences ---------------------------------------------------------------------------

TOKEN = re.compile(r"\n|[^\s]+")


def _render(tokens):
    out = []
    for token in tokens:
        out.append("<br>" if token == "\n" else escape(token))
    return " ".join(out).replace(" <br> ", "<br>")


def word_diff(old, new, side=None):
    """HTML marking removed words with <del> and added words with <ins>; with side "left" only
    the old text (removals marked), with side "right" only the new one (additions marked)."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(_render(a[i1:i2]) if side != "right" else _render(b[j1:j2]))
        if op in ("delete", "replace") and side != "right":
            parts.append(f"<del>{_render(a[i1:i2])}</del>")
        if op in ("insert", "replace") and side != "left":
            parts.append(f"<ins>{_render(b[j1:j2])}</ins>")
    return mark_safe(" ".join(part for part in parts if part))


@dataclasses.dataclass(frozen=True)
class FieldComparison:
    """One field of two pages: its text on the left (older) page and on the right (newer) one,
    and the images and documents each shows (("image"|"document", id), in order)."""

    name: str
    label: str
    left: str
    right: str
    left_media: tuple = ()
    right_media: tuple = ()

    @property
    def changed(self):
        return self.left != self.right or self.left_media != self.right_media

    @property
    def html(self):
        """The change from left to right, word by word (<del>, <ins>); the whole field when only
        the images or documents behind the same text changed."""
        if self.left == self.right and self.left_media != self.right_media:
            return mark_safe(
                f"<del>{_render(TOKEN.findall(self.left))}</del> <ins>{_render(TOKEN.findall(self.right))}</ins>"
            )
        return word_diff(self.left, self.right)

    @property
    def left_html(self):
        """The left text, the words not on the right marked <del> (for two columns)."""
        if self.left == self.right and self.left_media != self.right_media:
            return mark_safe(f"<del>{_render(TOKEN.findall(self.left))}</del>")
        return word_diff(self.left, self.right, side="left")

    @property
    def right_html(self):
        """The right text, the words not on the left marked <ins> (for two columns)."""
        if self.left == self.right and self.left_media != self.right_media:
            return mark_safe(f"<ins>{_render(TOKEN.findall(self.right))}</ins>")
        return word_diff(self.left, self.right, side="right")


def compare(left, right):
    """[FieldComparison] for every field of either page, in the right page's edit-form order."""
    left_fields = {name: (label, text, media) for name, label, text, media in page_fields(left)}
    rows = []
    for name, label, text, media in page_fields(right):
        _label, left_text, left_media = left_fields.pop(name, (label, "", ()))
        rows.append(FieldComparison(name, label, left_text, text, left_media, media))
    for name, (label, text, media) in left_fields.items():
        rows.append(FieldComparison(name, label, text, "", media, ()))
    return rows
