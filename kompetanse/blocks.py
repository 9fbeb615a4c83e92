"""StreamField blocks for the portal's page bodies, procedure steps and structured lists."""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
INLINE_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]
# A film's or podcast episode's transcript: under its own h2, with a subheading per part.
TRANSCRIPT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Tekst", max_length=200)
    level = blocks.ChoiceBlock(
        label="Nivå", choices=[("h2", "Overskrift 2"), ("h3", "Overskrift 3")], default="h2"
    )

    class Meta:
        icon = "title"
        label = "Overskrift"
        template = "blocks/heading_block.html"


class NoticeBlock(blocks.StructBlock):
    """A highlighted box: a warning in a procedure must stand out from the text around it."""

    kind = blocks.ChoiceBlock(
        label="Type",
        choices=[("info", "Til informasjon"), ("warning", "Viktig"), ("danger", "Advarsel")],
        default="info",
    )
    text = blocks.RichTextBlock(label="Tekst", features=INLINE_FEATURES)

    class Meta:
        icon = "warning"
        label = "Merknad"
        template = "blocks/notice_block.html"


class CaptionedImageBlock(ImageBlock):
    class Meta:
        label = "Bilde"
        # Responsive AVIF/WebP renditions instead of the original file.
        template = "blocks/image_block.html"


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label="Avsnitt", features=RICH_TEXT_FEATURES, icon="pilcrow")
    notice = NoticeBlock()
    image = CaptionedImageBlock()
    table = TableBlock(label="Tabell", table_options={"renderer": "text"})

    class Meta:
        label = "Innhold"


class StepBlock(blocks.StructBlock):
    """One numbered step of a procedure; the order of the stream is the order of the steps."""

    title = blocks.CharBlock(label="Steg", max_length=255)
    text = blocks.RichTextBlock(label="Beskrivelse", features=INLINE_FEATURES, required=False)
    warning = blocks.TextBlock(label="Advarsel", required=False, rows=2)

    class Meta:
        icon = "list-ol"
        label = "Steg"
        template = "blocks/step_block.html"


class ReferenceBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Tittel", max_length=300)
    url = blocks.URLBlock(label="Lenke", required=False)
    note = blocks.CharBlock(label="Merknad", required=False, max_length=300)

    class Meta:
        icon = "link"
        label = "Referanse"
        template = "blocks/reference_block.html"


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Dokument")
    title = blocks.CharBlock(
        label="Visningstittel", required=False, max_length=255, help_text="Tom: dokumentets tittel."
    )

    class Meta:
        icon = "doc-full"
        label = "Vedlegg"
        template = "blocks/attachment_block.html"


# Stored as English codes; editors and readers see the Norwegian labels.
PARTY_CHOICES = [
    ("municipality", "Kommune"),
    ("hospital", "Sykehus"),
    ("gp", "Fastlege"),
    ("out_of_hours", "Legevakt"),
    ("patient", "Pasient og pårørende"),
    ("other", "Annen"),
]


class ResponsibilityValue(blocks.StructValue):
    def party_name(self):
        return dict(PARTY_CHOICES).get(self.get("party"), self.get("party"))


class ResponsibilityBlock(blocks.StructBlock):
    """One row of a cooperation recommendation's responsibility table: who does what."""

    party = blocks.ChoiceBlock(label="Part", choices=PARTY_CHOICES)
    party_label = blocks.CharBlock(
        label="Presisering",
        required=False,
        max_length=150,
        help_text="For eksempel «hjemmesykepleien» eller «medisinsk avdeling».",
    )
    tasks = blocks.RichTextBlock(label="Ansvar og oppgaver", features=INLINE_FEATURES)

    class Meta:
        icon = "group"
        label = "Ansvar"
        value_class = ResponsibilityValue


class FigureBlock(blocks.StructBlock):
    """A result in figures, e.g. «38 %» – «færre reinnleggelser etter 30 dager»."""

    value = blocks.CharBlock(label="Tall", max_length=40)
    label = blocks.CharBlock(label="Hva tallet viser", max_length=200)

    class Meta:
        icon = "order"
        label = "Resultat i tall"


class ContactBlock(blocks.StructBlock):
    """Someone a reader can ask about a topic: a topic page's contacts."""

    name = blocks.CharBlock(label="Navn", max_length=200)
    role = blocks.CharBlock(label="Rolle", max_length=200, required=False)
    organisation = blocks.CharBlock(label="Organisasjon", max_length=200, required=False)
    phone = blocks.CharBlock(label="Telefon", max_length=40, required=False)
    email = blocks.EmailBlock(label="E-post", required=False)

    class Meta:
        icon = "user"
        label = "Kontaktperson"
