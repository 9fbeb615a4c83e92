from django.apps import AppConfig


class ReuseConfig(AppConfig):
    name = "reuse"
    verbose_name = "Gjenbruk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from reuse import signals  # noqa: F401
