from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Everything about finding content: the reader-facing search service and its backends."""

    name = "search"
    verbose_name = "Søk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search import signals

        signals.connect()
