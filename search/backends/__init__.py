"""The two search backends: the database (always kept, the fallback) and Elasticsearch (optional)."""

import logging

from django.conf import settings

from search.backends import database

logger = logging.getLogger("search")


def elasticsearch_enabled():
    return bool(getattr(settings, "ELASTICSEARCH_URL", None))


def mirror(method, *args):
    """Repeat an index change in Elasticsearch when it is configured; log, never raise."""
    if not elasticsearch_enabled():
        return
    try:
        from search.backends import elastic

        getattr(elastic, method)(*args)
    except Exception as exc:
        logger.warning("Elasticsearch kunne ikke oppdateres (%s): %s", method, exc)


__all__ = ["database", "elasticsearch_enabled", "mirror"]
