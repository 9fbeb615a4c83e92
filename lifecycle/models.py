"""State the lifecycle keeps beside the content model (the review fields live on KnowledgePage)."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import BaseLogEntry
from wagtail.models.audit_log import ModelLogEntryManager

from lifecycle.permissions import visible_rows


class ChangeNote(models.Model):
    """The editor's "Hva er endret?" for one revision, written on the edit form."""

    revision = models.OneToOneField(
        "wagtailcore.Revision", on_delete=models.CASCADE, related_name="lifecycle_change_note"
    )
    text = models.TextField("hva er endret", blank=True)
    reviewed_without_changes = models.BooleanField("revidert uten endringer", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "endringsnotat"
        verbose_name_plural = "endringsnotater"

    def __str__(self):
        return self.text


class PublishedVersion(models.Model):
    """One revision that went live. The public change history is made of these and nothing else."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="lifecycle_versions")
    revision = models.OneToOneField(
        "wagtailcore.Revision", on_delete=models.CASCADE, related_name="lifecycle_published_version"
    )
    published_at = models.DateTimeField("publisert")
    change_note = models.TextField("hva er endret", blank=True)
    reviewed_without_changes = models.BooleanField("revidert uten endringer", default=False)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "publisert versjon"
        verbose_name_plural = "publiserte versjoner"

    def __str__(self):
        return f"{self.page_id} {self.published_at:%Y-%m-%d}"

    def previous(self):
        return (
            PublishedVersion.objects.filter(page_id=self.page_id)
            .filter(
                models.Q(published_at__lt=self.published_at)
                | models.Q(published_at=self.published_at, pk__lt=self.pk)
            )
            .order_by("-published_at", "-pk")
            .first()
        )


class ReviewReminder(models.Model):
    """A reminder sent: one row per page, due date and recipient, so none is sent twice."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField("revisjonsdato")
    recipient = models.EmailField("mottaker")
    sent_at = models.DateTimeField("sendt", default=timezone.now)

    class Meta:
        verbose_name = "revisjonspåminnelse"
        verbose_name_plural = "revisjonspåminnelser"
        constraints = [
            models.UniqueConstraint(
                fields=["page", "due_date", "recipient"], name="lifecycle_reminder_once_per_due_date"
            )
        ]

    def __str__(self):
        return f"{self.recipient} {self.due_date:%Y-%m-%d}"


class ErrorReport(models.Model):
    """A reader's "Meld fra om feil eller mangler"."""

    class Status(models.TextChoices):
        NEW = "new", "Ny"
        IN_PROGRESS = "in_progress", "Under behandling"
        RESOLVED = "resolved", "Løst"

    OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS)
    # The row belongs to the community of its page (lifecycle/permissions.py).
    community_page_fields = ("page",)

    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="lifecycle_error_reports",
        verbose_name="side",
    )
    message = models.TextField("hva er feil eller mangler")
    email = models.EmailField("e-post til den som meldte fra", blank=True)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.NEW)
    internal_note = models.TextField("intern merknad", blank=True)
    created_at = models.DateTimeField("mottatt", default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "tilbakemelding"
        verbose_name_plural = "tilbakemeldinger"

    def __str__(self):
        text = " ".join(self.message.split())
        return text if len(text) <= 60 else text[:59] + "…"

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES


class Subscription(models.Model):
    """A reader following one page or one community's changes, by email."""

    community_page_fields = ("page", "community")

    email = models.EmailField("e-post")
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="side",
    )
    community = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="helsefellesskap",
    )
    created_at = models.DateTimeField("opprettet", default=timezone.now)
    confirmed_at = models.DateTimeField("bekreftet", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "abonnement"
        verbose_name_plural = "abonnementer"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(page__isnull=False, community__isnull=True))
                | (models.Q(page__isnull=True, community__isnull=False)),
                name="lifecycle_subscription_one_target",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.target}"

    @property
    def target(self):
        return self.page if self.page_id else self.community

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class CommunityRowLogEntryManager(ModelLogEntryManager):
    def viewable_by_user(self, user):
        """The site history shows a team the entries of its own rows only (Wagtail's default: every
        entry of a model the user has any permission for, with the row's text as its label)."""
        if user.is_active and user.is_superuser:
            return self.all()
        visible = models.Q(pk__in=[])
        for content_type_id in self.get_queryset().get_content_type_ids():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if model is None:
                continue
            row_ids = visible_rows(model, user).values_list(Cast("pk", models.CharField()))
            visible |= models.Q(content_type_id=content_type_id, object_id__in=row_ids)
        return self.filter(visible)


class CommunityRowLogEntry(BaseLogEntry):
    """Audit log of error reports and subscriptions, kept apart from Wagtail's model log so that the
    site history can show each team only its own community's rows (registered in wagtail_hooks)."""

    object_id = models.CharField(max_length=255, blank=False, db_index=True)

    objects = CommunityRowLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = "loggføring for tilbakemelding eller abonnement"
        verbose_name_plural = "loggføringer for tilbakemeldinger og abonnementer"
