"""Throttling the admin's login and password reset against guessing and mail bombing.

Failed logins are counted per client address and user name, and per client address whatever the
name (core/ratelimit.py; the client's address is the real one behind a trusted proxy). Past
either limit the login form answers 429 for that address until the window has passed. Nothing
counts per user name alone: an attacker elsewhere must not be able to lock a known user out.
Password reset e-mails are limited per address and per e-mail address; past a limit the page
answers as usual and sends nothing. Django has no built-in throttle, and a package for these
rules is not worth it.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from core.ratelimit import Limit, client_address

LOGIN_PATHS = ("/admin/login/",)

PASSWORD_RESETS_PER_ADDRESS = Limit("password-reset:address", 3, 60 * 60)
PASSWORD_RESETS_PER_EMAIL = Limit("password-reset:email", 1, 15 * 60)


def _login_limits():
    window = settings.LOGIN_FAILURE_WINDOW
    return (
        Limit("login-failure:address-user", settings.LOGIN_FAILURE_LIMIT, window),
        Limit("login-failure:address", settings.LOGIN_FAILURE_ADDRESS_LIMIT, window),
    )


def record_failure(request, username):
    per_user, per_address = _login_limits()
    address = client_address(request)
    per_user.hit(address, username)
    per_address.hit(address)


def is_blocked(request, username):
    per_user, per_address = _login_limits()
    address = client_address(request)
    return per_user.reached(address, username) or per_address.reached(address)


def clear(request, username):
    # Only this name's failures: a working login of one's own must not wipe an address's
    # failures with other names.
    per_user, _per_address = _login_limits()
    per_user.reset(client_address(request), username)


class LoginThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in LOGIN_PATHS:
            username = request.POST.get("username", "")
            if is_blocked(request, username):
                window = settings.LOGIN_FAILURE_WINDOW
                body = render_to_string("core/login_throttled.html", {"minutes": window // 60})
                response = HttpResponse(body, status=429)
                response["Retry-After"] = str(window)
                return response
        return self.get_response(request)


class PasswordResetForm(WagtailPasswordResetForm):
    """Wagtail's reset form (WAGTAILADMIN_USER_PASSWORD_RESET_FORM), sending within the limits.

    Over a limit the view still redirects to «sent» as for any address: the answer tells nobody
    whether an account exists or how many e-mails it has been sent.
    """

    def save(self, *args, request=None, **kwargs):
        if request is not None and not (
            PASSWORD_RESETS_PER_ADDRESS.allow(client_address(request))
            and PASSWORD_RESETS_PER_EMAIL.allow(self.cleaned_data["email"])
        ):
            return None
        return super().save(*args, request=request, **kwargs)
