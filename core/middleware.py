"""Security headers that Django does not set itself."""

from django.conf import settings


def _policy(directives):
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds a Content-Security-Policy header (Django 5.2 has none built in).

    Public pages get a strict policy: scripts only from our own origin, never inline. The Wagtail
    admin still relies on inline scripts in places, so it gets the same policy with inline
    scripts allowed; it is only reachable for logged-in editors.

    No page may be framed (frame-ancestors 'none', as X-Frame-Options DENY says to older
    browsers), except the responses Wagtail marks X-Frame-Options SAMEORIGIN: its preview views,
    which the editor's preview panel and the block chooser show in a frame of the admin itself.
    Those may be framed by our own origin ('self').

    A page may itself frame only our own origin and the players in CSP_FRAME_SOURCES (a film's
    YouTube or Vimeo player, inserted when the reader asks for it).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        extra_img = " ".join(getattr(settings, "CSP_EXTRA_IMG_SOURCES", []))
        frames = " ".join(getattr(settings, "CSP_FRAME_SOURCES", []))
        public = {
            "default-src": "'self'",
            "script-src": "'self'",
            "style-src": "'self' 'unsafe-inline'",
            "img-src": f"'self' data: {extra_img}".strip(),
            "font-src": "'self'",
            "connect-src": "'self'",
            "frame-src": f"'self' {frames}".strip(),
            "frame-ancestors": "'none'",
            "form-action": "'self'",
            "base-uri": "'self'",
            "object-src": "'none'",
        }
        admin = {
            **public,
            "script-src": "'self' 'unsafe-inline'",
            "img-src": f"'self' data: blob: {extra_img}".strip(),
        }
        # (in the admin, may be framed by our own origin) -> policy
        self.policies = {
            (is_admin, framed): _policy({**directives, "frame-ancestors": "'self'" if framed else "'none'"})
            for is_admin, directives in ((False, public), (True, admin))
            for framed in (False, True)
        }

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "is_dummy", False):
            # Wagtail renders a preview by passing a made-up request for the page's own URL
            # through the middleware, inside the admin's preview view
            # (wagtail.models.preview.make_preview_request). The view's response is the one sent:
            # it gets the headers, as an admin response that Wagtail has marked SAMEORIGIN.
            return response
        if "Content-Security-Policy" not in response:
            key = (request.path.startswith("/admin/"), response.get("X-Frame-Options") == "SAMEORIGIN")
            response["Content-Security-Policy"] = self.policies[key]
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
