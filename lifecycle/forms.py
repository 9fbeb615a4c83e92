"""Forms: the change note on the page edit form, and the two public forms on every content page."""

import re
import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

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


# --- public forms --------------------------------------------------------------------------

TOKEN_SALT = "lifecycle.public-form"
TOKEN_MAX_AGE = 2 * 24 * 3600


def form_min_seconds():
    return getattr(settings, "LIFECYCLE_FORM_MIN_SECONDS", 3)


def form_token(page_id, issued_at=None):
    """A signed time stamp for a form on a page; too fresh or too old means a robot.

    The random part makes every rendering's token its own, so that using one up leaves the
    others alone.
    """
    issued_at = int(issued_at if issued_at is not None else time.time())
    return signing.dumps({"p": page_id, "t": issued_at, "n": secrets.token_urlsafe(6)}, salt=TOKEN_SALT)


_TOKEN_IN_PAGE = re.compile(rb'(name="skjema" value=")([^"]+)(")')


def fresh_form_tokens(request, content):
    """A cached page's forms with new tokens (``core.pagecache.register_hit_refresh``): every
    reader of a cached page gets tokens of their own, so one reader's submission does not use
    up the next one's, and a page kept for hours is not "too old" or "too fast" to send."""

    def renew(match):
        try:
            page_id = signing.loads(match.group(2).decode(), salt=TOKEN_SALT).get("p")
        except signing.BadSignature:
            return match.group(0)
        return match.group(1) + form_token(page_id).encode() + match.group(3)

    return _TOKEN_IN_PAGE.sub(renew, content)


# Each token is accepted once per form, and remembered for as long as it could be valid.
USED_TOKENS = Limit("lifecycle:form-token", 1, TOKEN_MAX_AGE)


class SpamProtectedForm(forms.Form):
    kind = ""  # which form: a token may be used once for each

    # Hidden from people by CSS and aria-hidden; robots that fill every field give themselves away.
    nettsted = forms.CharField(required=False, label="Nettsted (la stå tomt)")
    skjema = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, page_id=None, **kwargs):
        self.page_id = page_id
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("nettsted"):
            raise forms.ValidationError("Skjemaet ble ikke sendt. Prøv igjen.", code="spam")
        raw_token = cleaned_data.get("skjema") or ""
        try:
            token = signing.loads(raw_token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature:
            raise forms.ValidationError(
                "Skjemaet er for gammelt. Last inn siden på nytt og prøv igjen.", code="expired"
            ) from None
        if token.get("p") != self.page_id:
            raise forms.ValidationError("Skjemaet hører til en annen side.", code="spam")
        if time.time() - token.get("t", 0) < form_min_seconds():
            raise forms.ValidationError("Skjemaet ble sendt for raskt. Vent litt og prøv igjen.", code="spam")
        # Used up only by a submission that is otherwise complete: a typo costs nothing. The page
        # shown with this error carries a new token and keeps what was written, so a reader who
        # shares a cached page (and its token) with another just sends again.
        if not self.errors and not USED_TOKENS.allow(self.kind, raw_token):
            raise forms.ValidationError(
                "Dette skjemaet er allerede sendt. Se over feltene og send på nytt.", code="replayed"
            )
        return cleaned_data


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
