from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Everything about finding content: the reader-facing search service and its backends."""

    name = "search"
    verbose_name = "Søk"
