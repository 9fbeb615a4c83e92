from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The platform around the content: security headers, login throttling, upload rules, health."""

    name = "core"
    verbose_name = "Plattform"

    def ready(self):
        from core import signals  # noqa: F401
