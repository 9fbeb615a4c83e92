"""Reuse between health communities: where a page came from, and what a community took over.

The kompetanse app's pages stay as they are; everything about reuse lives beside them here:

- ``Provenance``: a page imported from a package (another portal), with its origin and license.
- ``Adoption``: a page one community took into use ("Ta i bruk") from a page in this portal,
  in one of three modes (as is, with local additions, adapted).
- ``LocalAddition``: the slots a community fills in on a page it uses with local additions.
"""

from django.conf import settings
from django.db import models
from wagtail.fields import RichTextField, StreamField

from kompetanse.blocks import INLINE_FEATURES, AttachmentBlock

MODE_AS_IS = "as_is"
MODE_WITH_LOCAL = "with_local"
MODE_ADAPT = "adapt"
MODE_CHOICES = [
    (MODE_AS_IS, "Bruk som den er"),
    (MODE_WITH_LOCAL, "Bruk med lokale tillegg"),
    (MODE_ADAPT, "Tilpass"),
]
# Modes in which the copy follows its source and is not edited locally.
LIVE_COPY_MODES = (MODE_AS_IS, MODE_WITH_LOCAL)


class Provenance(models.Model):
    """Origin of a page brought in from a content package, kept as the package described it."""

    page = models.OneToOneField(
        "kompetanse.KnowledgePage", on_delete=models.CASCADE, related_name="provenance"
    )
    uid = models.CharField("uid i pakken", max_length=100)
    source_portal = models.CharField("kildeportal", max_length=255, blank=True)
    source_url = models.URLField("adresse i kildeportalen", max_length=500, blank=True)
    source_community = models.CharField("helsefellesskap i kilden", max_length=255, blank=True)
    license = models.CharField("lisens", max_length=30, blank=True)
    source_published_at = models.DateTimeField("publisert i kilden", null=True, blank=True)
    adapted_from = models.JSONField("tilpasset fra", default=dict, blank=True)
    imported_at = models.DateTimeField("importert", auto_now=True)

    class Meta:
        verbose_name = "opprinnelse"
        verbose_name_plural = "opprinnelser"

    def __str__(self):
        return f"{self.uid} fra {self.source_portal or 'ukjent portal'}"


class Adoption(models.Model):
    """A page a community took into use from a published page of another community."""

    page = models.OneToOneField("kompetanse.KnowledgePage", on_delete=models.CASCADE, related_name="adoption")
    source = models.ForeignKey(
        "kompetanse.KnowledgePage",
        on_delete=models.SET_NULL,
        null=True,
        related_name="adoptions",
        verbose_name="kilde",
    )
    mode = models.CharField("måte", max_length=20, choices=MODE_CHOICES)
    # The source revision the copy is based on (adapt) or was last synchronised with (live copies).
    source_revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dismissed_revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adopted_at = models.DateTimeField("tatt i bruk", auto_now_add=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "gjenbruk"
        verbose_name_plural = "gjenbruk"
        permissions = [("import_content_package", "Kan importere innholdspakker")]

    def __str__(self):
        return f"{self.page} ← {self.source} ({self.get_mode_display()})"

    @property
    def is_live_copy(self):
        return self.mode in LIVE_COPY_MODES

    def source_live_revision(self):
        source = self.source
        return source.live_revision if source is not None and source.live else None

    def source_has_changed(self):
        """True when an adapted page's source was published again since the copy or the last
        take-over, and the editors have not dismissed that version."""
        if self.mode != MODE_ADAPT:
            return False
        live = self.source_live_revision()
        if live is None:
            return False
        return live.pk not in {self.source_revision_id, self.dismissed_revision_id}


class LocalAddition(models.Model):
    """The slots that belong to the adopting community alone; a change in the source never
    touches them."""

    page = models.OneToOneField(
        "kompetanse.KnowledgePage", on_delete=models.CASCADE, related_name="local_addition"
    )
    contact = models.TextField(
        "lokal kontakt", blank=True, help_text="Navn, enhet, telefon eller e-post, én per linje."
    )
    routine = RichTextField("lokal rutine eller tillegg", features=INLINE_FEATURES, blank=True)
    attachments = StreamField([("attachment", AttachmentBlock())], verbose_name="lokale vedlegg", blank=True)
    updated_at = models.DateTimeField("endret", auto_now=True)

    class Meta:
        verbose_name = "lokalt tillegg"
        verbose_name_plural = "lokale tillegg"

    def __str__(self):
        return f"Lokale tillegg til {self.page}"

    def contact_lines(self):
        return [line.strip() for line in self.contact.splitlines() if line.strip()]

    def is_empty(self):
        return not (self.contact.strip() or self.routine.strip() or len(self.attachments))


def live_copy_ids():
    """Ids of pages that are live copies (used as is, or with local additions) of another page.

    Search should leave them out: their text is their source's, which is indexed already.
    """
    return Adoption.objects.filter(mode__in=LIVE_COPY_MODES).values_list("page_id", flat=True)


def exclude_live_copies(queryset):
    """A page queryset without live copies, so the same content is not listed twice."""
    return queryset.exclude(pk__in=live_copy_ids())


def is_live_copy(page):
    return Adoption.objects.filter(page_id=page.pk, mode__in=LIVE_COPY_MODES).exists()


def adopted_source_ids(listing):
    """Ids of the pages that the pages under `listing` were taken into use from."""
    return Adoption.objects.filter(page__path__startswith=listing.path, source__isnull=False).values_list(
        "source_id", flat=True
    )


class PackageImport(models.Model):
    """An import started in the admin («Importer innhold»), run as a background task.

    The package waits here until the task has read it. How far the import has come is kept in the
    cache while it runs (``reuse.importing``): the import writes in one transaction, which no
    other connection sees until it commits. The outcome is kept here.
    """

    STATUS_QUEUED = "queued"
    STATUS_RUNNING = "running"
    STATUS_DONE = "done"
    STATUS_FAILED = "failed"
    STATUS_CHOICES = [
        (STATUS_QUEUED, "Venter"),
        (STATUS_RUNNING, "Pågår"),
        (STATUS_DONE, "Ferdig"),
        (STATUS_FAILED, "Ingenting ble importert"),
    ]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=255)
    community = models.SlugField(max_length=255, blank=True)
    package = models.BinaryField(editable=False)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=STATUS_QUEUED)
    total = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = "import av innholdspakke"
        verbose_name_plural = "importer av innholdspakker"

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def finished(self):
        return self.status in (self.STATUS_DONE, self.STATUS_FAILED)
