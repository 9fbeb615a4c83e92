"""The two search backends: the database (always kept, the fallback) and Elasticsearch (optional).

Searching asks here, not a backend: Elasticsearch answers when it is configured and answering;
when it fails (connection, timeout, error) the failure is logged, the database answers, and
Elasticsearch is left alone for ``ES_RETRY_SECONDS`` before it is asked again. Each backend turns
a parsed query (``search.queries``) into its own syntax and answers in the same shape.

Elasticsearch is written by a task off the request (``search.tasks``), never inline.
"""

import logging
import time

from django.conf import settings
from elasticsearch import ApiError

from search.backends import database, elastic

logger = logging.getLogger("search")

# After Elasticsearch fails, leave it alone this long before trying again.
ES_RETRY_SECONDS = 30
_es_down_until = 0.0


def elasticsearch_enabled():
    return bool(getattr(settings, "ELASTICSEARCH_URL", None))


def _refused(exc):
    """Whether the node answered and refused the request (a 4xx other than 429, too many requests):
    a fault in the request the portal built, not a node that is down or overloaded."""
    return isinstance(exc, ApiError) and 400 <= exc.meta.status < 500 and exc.meta.status != 429


def _from_elasticsearch(what, ask):
    """``ask()`` of Elasticsearch, or None when it is not configured, resting or failing.

    A node that is down, slow or overloaded is left alone for ES_RETRY_SECONDS. A request it
    refused is the portal's fault: that one answer comes from the database and the error is
    logged as such, but the node goes on answering the rest (a completion query the node refused
    once put every search on the database for half a minute)."""
    global _es_down_until
    if not elasticsearch_enabled() or time.monotonic() < _es_down_until:
        return None
    try:
        return ask()
    except Exception as exc:
        if _refused(exc):
            logger.error("Elasticsearch refused %s (%s); the database answers it instead.", what, exc)
            return None
        _es_down_until = time.monotonic() + ES_RETRY_SECONDS
        logger.warning("Elasticsearch did not answer %s (%s); the database answers instead.", what, exc)
        return None


def find(parsed, filters, scope, offset, limit):
    """One page of hits (dicts with ``url_path`` and ``snippet``), the total and the facet counts,
    and which backend answered."""
    found = _from_elasticsearch("a search", lambda: elastic.search(parsed, filters, scope, offset, limit))
    if found is not None:
        return {**found, "backend": "elasticsearch"}
    return {**database.find(parsed, filters, scope, offset, limit), "backend": "database"}


def corrections(words):
    """For each word the index does not know, the closest word it does: {word: correction}."""
    found = _from_elasticsearch("on spelling", lambda: elastic.spelling(words))
    return database.corrections(words) if found is None else found


def titles(text, tokens, scope, limit):
    """Pages whose titles start with what was typed (``text``; ``tokens`` its words): ``titles``, dicts
    with ``title`` and ``url_path``, and which backend answered."""
    found = _from_elasticsearch("on autocomplete", lambda: elastic.autocomplete(text, scope, limit))
    if found is not None:
        return {"titles": found, "backend": "elasticsearch"}
    titles = [{"title": d.title, "url_path": d.url_path} for d in database.autocomplete(tokens, scope, limit)]
    return {"titles": titles, "backend": "database"}


__all__ = ["corrections", "database", "elasticsearch_enabled", "find", "titles"]
