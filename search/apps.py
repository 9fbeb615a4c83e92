from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Everything about finding content: the reader-facing search service and its backends."""

    name = "search"
    verbose_name = "Søk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: models and the modules that use them may load only once
        # the app registry is ready (Django's rule for AppConfig.ready).
        from core import pagecache, warmup
        from core.views import register_search_check
        from kompetanse import registry
        from search import health, indexing, service, signals, views, zero_hits
        from search.backends import database

        signals.connect()
        # A server process loads the word lists, the synonym groups and the rest of what its first
        # search needs before it serves (site/wsgi.py).
        warmup.register(service.warm_up)
        # Shared fragments of reader pages are cached until the index changes (kompetanse.caching).
        registry.register_versioned_cache(database.cached)
        # An import writes many pages in one transaction: each is indexed once, at the end, and
        # the rows every page shares (vocabulary counts) are written last (search.backends.database).
        registry.register_bulk_writes(database.shared_rows_last)
        registry.register_bulk_writes(indexing.batch)
        # /healthz reports the search engine too (core.views).
        register_search_check(health.check_search)
        # Cached reader pages are kept under the index version too: a search page the database
        # answered, and the shared fragments above, show the index as it was (core.pagecache).
        pagecache.register_key_part(database.index_version, once_per_request=database.one_version)
        pagecache.register_hit_action(views.ZERO_HITS_ACTION, zero_hits.log_zero_hits)
        # Writing the index and counting searches without hits change no content version (the
        # index version covers the first; a kept search without hits is counted on every hit);
        # synonyms and promotions do retire the cached pages.
        pagecache.not_shown_to_readers(
            "search.SearchDocument",
            "search.IndexVersion",
            "search.GroupsVersion",
            "search.SearchTerm",
            "search.ZeroResultQuery",
        )
