from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Everything about finding content: the reader-facing search service and its backends."""

    name = "search"
    verbose_name = "Søk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kompetanse import registry
        from search import signals
        from search.backends import database

        signals.connect()
        # Shared fragments of reader pages are cached until the index changes (kompetanse.caching).
        registry.register_versioned_cache(database.cached)
