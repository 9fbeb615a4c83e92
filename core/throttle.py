"""Throttling admin logins against password guessing.

Failed logins are counted per client address and per username in the cache (shared between app
servers when Redis is configured); past the limit, the login form answers 429 until the window
has passed. Django has no built-in throttle, and a package for this one rule is not worth it.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string

LOGIN_PATHS = ("/admin/login/",)


def _limits():
    return (
        getattr(settings, "LOGIN_FAILURE_LIMIT", 5),
        getattr(settings, "LOGIN_FAILURE_WINDOW", 15 * 60),
    )


def client_address(request):
    return request.META.get("REMOTE_ADDR", "")


def _keys(request, username):
    user_hash = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:ip:{client_address(request)}", f"login-fail:user:{user_hash}"]


def record_failure(request, username):
    _limit, window = _limits()
    for key in _keys(request, username):
        cache.add(key, 0, window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)


def is_blocked(request, username):
    limit, _window = _limits()
    return any((cache.get(key) or 0) >= limit for key in _keys(request, username))


def clear(request, username):
    cache.delete_many(_keys(request, username))


class LoginThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in LOGIN_PATHS:
            username = request.POST.get("username", "")
            if is_blocked(request, username):
                body = render_to_string("core/login_throttled.html", {"minutes": _limits()[1] // 60})
                response = HttpResponse(body, status=429)
                response["Retry-After"] = str(_limits()[1])
                return response
        return self.get_response(request)
