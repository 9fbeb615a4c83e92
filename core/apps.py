from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The platform around the content: security headers, login throttling, upload rules, health."""

    name = "core"
    verbose_name = "Plattform"

    def ready(self):
        # Imported here, not at the top: models and the modules that use them may load only once
        # the app registry is ready (Django's rule for AppConfig.ready).
        from django.db.models.signals import post_migrate

        from core import pagecache, signals

        # Any change readers may see retires the cached reader pages (core/pagecache.py).
        pagecache.connect()
        post_migrate.connect(signals.refresh_statistics, sender=self, dispatch_uid="core_refresh_statistics")
