"""Readers' public forms without a CSRF token: a signed, time-stamped, single-use form field and a
honeypot, shared by every app with such a form (lifecycle: «Meld fra», «Følg endringer»;
newsletter: the subscription).

No CSRF token on these forms: they act for nobody in particular, and a token in the page would
keep published pages out of shared caches. The field here, the honeypot and the per-client rate
limits (core/ratelimit.py) protect them instead.
"""

import re
import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing

from core.ratelimit import Limit

# The salt keeps its first app's name: tokens in pages cached before the move stay valid.
TOKEN_SALT = "lifecycle.public-form"
TOKEN_MAX_AGE = 2 * 24 * 3600


def form_min_seconds():
    return getattr(settings, "PUBLIC_FORM_MIN_SECONDS", 3)


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
