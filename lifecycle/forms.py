"""Forms: the change note on the page edit form, and the two public forms on every content page."""

from django import forms
from django.conf import settings
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from core.public_forms import SpamProtectedForm
from core.ratelimit import Limit, client_address
from core.wagtail_internals import PUBLISHING_BUTTONS, WORKFLOW_ACTION_BUTTON, WORKFLOW_ACTION_NAME
from kompetanse.forms import PageFormExtension
from kompetanse.models import KIND_LABELS_PLURAL
from lifecycle.models import ChangeNote
from lifecycle.review import REQUIRED_KINDS, default_next_review, kind_of

CHANGE_NOTE_FIELD = "lifecycle_change_note"
CHANGE_NOTE_PANEL_HEADING = "Endringsnotat"


class ChangeNoteExtension(PageFormExtension):
    """Adds "Hva er endret?" and the checks a procedure or recommendation must pass to go live.

    The note is kept on the page instance when the form saves; a post_save handler stores it
    against the revision the edit view creates next (lifecycle.signals), since Wagtail has no
    per-revision note of its own. Registered in LifecycleConfig.ready (kompetanse.forms).
    """

    fields = {
        CHANGE_NOTE_FIELD: forms.CharField(
            label="Hva er endret?",
            required=False,
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=(
                "Kort, for leserne: vises i endringsloggen på siden og i e-post til dem som følger "
                "endringer. Påkrevd når prosedyrer og samarbeidsanbefalinger publiseres."
            ),
        )
    }

    def panel(self):
        return MultiFieldPanel([FieldPanel(CHANGE_NOTE_FIELD)], heading=CHANGE_NOTE_PANEL_HEADING)

    def init(self, form):
        page = form.instance
        # A note written with an earlier, unpublished draft follows the draft until it is published.
        if page.pk and page.latest_revision_id and page.latest_revision_id != page.live_revision_id:
            note = ChangeNote.objects.filter(revision_id=page.latest_revision_id).first()
            if note and not note.reviewed_without_changes and CHANGE_NOTE_FIELD in form.fields:
                form.fields[CHANGE_NOTE_FIELD].initial = note.text

    @staticmethod
    def is_publishing(form):
        data = form.data
        if any(data.get(key) for key in PUBLISHING_BUTTONS):
            return True
        return bool(data.get(WORKFLOW_ACTION_BUTTON)) and data.get(WORKFLOW_ACTION_NAME) == "approve"

    def clean(self, form, cleaned_data):
        kind = kind_of(form.instance)
        if kind in REQUIRED_KINDS and self.is_publishing(form):
            if "content_owner" in form.fields and not cleaned_data.get("content_owner"):
                form.add_error(
                    "content_owner",
                    f"Velg en innholdsansvarlig. {KIND_LABELS_PLURAL[kind]} kan ikke publiseres uten.",
                )
            has_been_published = bool(form.instance.pk and form.instance.first_published_at)
            if (
                has_been_published
                and CHANGE_NOTE_FIELD in form.fields
                and not (cleaned_data.get(CHANGE_NOTE_FIELD) or "").strip()
            ):
                form.add_error(
                    CHANGE_NOTE_FIELD,
                    "Skriv kort hva som er endret. Teksten vises i endringsloggen på siden.",
                )
            if "next_review" in form.fields and not cleaned_data.get("next_review"):
                cleaned_data["next_review"] = default_next_review(kind)
        return cleaned_data

    def save(self, form, page):
        page._lifecycle_change_note = (form.cleaned_data.get(CHANGE_NOTE_FIELD) or "").strip()


# --- public forms (their protection: core/public_forms.py) -------------------------------


class ErrorReportForm(SpamProtectedForm):
    kind = "report"

    melding = forms.CharField(
        label="Hva er feil eller mangler?",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Skriv hva som er feil eller mangler."},
    )
    epost = forms.EmailField(
        label="Din e-post (valgfritt, hvis du vil ha svar)",
        required=False,
        error_messages={"invalid": "Skriv en gyldig e-postadresse."},
    )


class SubscribeForm(SpamProtectedForm):
    kind = "subscribe"
    SCOPE_CHOICES = [("side", "Denne siden"), ("fellesskap", "Alt fra helsefellesskapet")]

    epost = forms.EmailField(
        label="Din e-post",
        error_messages={"required": "Skriv e-postadressen din.", "invalid": "Skriv en gyldig e-postadresse."},
    )
    omfang = forms.ChoiceField(label="Hva vil du følge?", choices=SCOPE_CHOICES, initial="side")


# --- rate limiting -------------------------------------------------------------------------

RATE_LIMITS = {"report": 5, "subscribe": 10}
RATE_WINDOW = 3600
# However often it is asked for, an e-mail address gets one confirmation e-mail a day.
CONFIRMATIONS_PER_EMAIL = Limit("lifecycle:confirmation", 1, 24 * 3600)


def rate_limited(request, kind):
    """Count one attempt from the client's address; True when over the hourly limit."""
    limit = getattr(settings, "LIFECYCLE_RATE_LIMITS", RATE_LIMITS).get(kind, 5)
    return not Limit(f"lifecycle:{kind}", limit, RATE_WINDOW).allow(client_address(request))
