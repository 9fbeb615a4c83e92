from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The platform around the content: security headers, login throttling, upload rules, health."""

    name = "core"
    verbose_name = "Plattform"

    def ready(self):
        from django.db.models.signals import post_migrate

        from core import signals

        post_migrate.connect(signals.refresh_statistics, sender=self, dispatch_uid="core_refresh_statistics")
