"""The two search backends: the database (always kept, the fallback) and Elasticsearch (optional).

Elasticsearch is written by a task off the request (``search.tasks``), never inline.
"""

from django.conf import settings

from search.backends import database


def elasticsearch_enabled():
    return bool(getattr(settings, "ELASTICSEARCH_URL", None))


__all__ = ["database", "elasticsearch_enabled"]
