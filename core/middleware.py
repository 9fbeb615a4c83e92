"""Security headers that Django does not set itself."""

from django.conf import settings


def _policy(directives):
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds a Content-Security-Policy header (Django 5.2 has none built in).

    Public pages get a strict policy: scripts only from our own origin, never inline. The Wagtail
    admin still relies on inline scripts in places, so it gets the same policy with inline
    scripts allowed; it is only reachable for logged-in editors.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        extra_img = " ".join(getattr(settings, "CSP_EXTRA_IMG_SOURCES", []))
        public = {
            "default-src": "'self'",
            "script-src": "'self'",
            "style-src": "'self' 'unsafe-inline'",
            "img-src": f"'self' data: {extra_img}".strip(),
            "font-src": "'self'",
            "connect-src": "'self'",
            "frame-ancestors": "'none'",
            "form-action": "'self'",
            "base-uri": "'self'",
            "object-src": "'none'",
        }
        admin = {
            **public,
            "script-src": "'self' 'unsafe-inline'",
            "img-src": f"'self' data: blob: {extra_img}".strip(),
            "frame-ancestors": "'self'",  # the preview panel frames admin preview views
        }
        self.public_policy = _policy(public)
        self.admin_policy = _policy(admin)

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            is_admin = request.path.startswith("/admin/")
            response["Content-Security-Policy"] = self.admin_policy if is_admin else self.public_policy
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
