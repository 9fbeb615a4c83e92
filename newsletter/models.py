"""A community's newsletter: its subscribers, its issues (utgaver) and who has been sent which."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Subscriber(models.Model):
    """A reader who asked for one community's newsletter, on chosen topics (none: everything).

    Personal data: the admin shows how many there are, never who (newsletter/admin_views.py).
    """

    community = models.ForeignKey(
        "kompetanse.CommunityHomePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="helsefellesskap",
    )
    # Stored in lower case, so that one address is one subscriber whatever its spelling.
    email = models.EmailField("e-post")
    topics = models.ManyToManyField(
        "kompetanse.Topic", blank=True, related_name="+", verbose_name="fagområder"
    )
    created_at = models.DateTimeField("opprettet", default=timezone.now)
    confirmed_at = models.DateTimeField("bekreftet", null=True, blank=True)

    class Meta:
        verbose_name = "abonnent på nyhetsbrev"
        verbose_name_plural = "abonnenter på nyhetsbrev"
        constraints = [
            models.UniqueConstraint(
                fields=["community", "email"], name="newsletter_one_subscriber_per_address"
            )
        ]

    def __str__(self):
        return f"Abonnent {self.pk}"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class Issue(models.Model):
    """One issue (utgave) of a community's newsletter: composed from what is new and changed,
    reviewed by the community's team, then sent once."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Til gjennomgang"
        SENDING = "sending", "Sendes"
        SENT = "sent", "Sendt"

    community = models.ForeignKey(
        "kompetanse.CommunityHomePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="helsefellesskap",
    )
    number = models.PositiveIntegerField("nummer")
    intro = models.TextField(
        "innledning",
        blank=True,
        max_length=2000,
        help_text="Vises øverst i nyhetsbrevet, før innholdet.",
    )
    covers_from = models.DateTimeField("nytt og endret etter")
    covers_until = models.DateTimeField("nytt og endret til og med")
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField("laget", default=timezone.now)
    send_requested_at = models.DateTimeField("sending startet", null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="sendt av",
    )
    sent_at = models.DateTimeField("sendt", null=True, blank=True)
    recipient_count = models.PositiveIntegerField("mottakere", default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "utgave av nyhetsbrev"
        verbose_name_plural = "utgaver av nyhetsbrev"
        permissions = [("send_issue", "Kan sende nyhetsbrev")]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="newsletter_issue_number_once"),
            # The daily composition adds to the one issue under review; it never starts a second.
            models.UniqueConstraint(
                fields=["community"],
                condition=models.Q(status="draft"),
                name="newsletter_one_draft_per_community",
            ),
        ]

    def __str__(self):
        return f"Nyhetsbrev nr. {self.number}"

    @property
    def subject(self):
        return f"Nyhetsbrev fra {self.community.title}, nr. {self.number}"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class IssueItem(models.Model):
    """A page in an issue. The text is the live page's when the issue is shown or sent; a page
    unpublished meanwhile drops out."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="items", verbose_name="utgave")
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name="side"
    )
    kind = models.CharField("innholdstype", max_length=30)
    is_new = models.BooleanField("ny side", default=True)
    # Removed by the team: kept (not deleted), so that the next composition does not add it again.
    included = models.BooleanField("med i utgaven", default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "innhold i nyhetsbrev"
        verbose_name_plural = "innhold i nyhetsbrev"
        constraints = [
            models.UniqueConstraint(fields=["issue", "page"], name="newsletter_page_once_per_issue")
        ]

    def __str__(self):
        return f"{self.issue} – side {self.page_id}"


class Delivery(models.Model):
    """One issue to one subscriber: written before the e-mail goes, so nobody gets it twice."""

    class Status(models.TextChoices):
        SENDING = "sending", "Sendes"
        SENT = "sent", "Sendt"
        NOTHING = "nothing", "Ingenting på abonnentens fagområder"

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="deliveries", verbose_name="utgave"
    )
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries", verbose_name="abonnent"
    )
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.SENDING)
    created_at = models.DateTimeField("startet", default=timezone.now)
    sent_at = models.DateTimeField("sendt", null=True, blank=True)

    class Meta:
        verbose_name = "utsending"
        verbose_name_plural = "utsendinger"
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="newsletter_delivery_once")
        ]

    def __str__(self):
        return f"{self.issue} → abonnent {self.subscriber_id}"
