"""The search part of /healthz (core.views): which backend answers readers, and how well."""

import logging

from django.conf import settings
from elasticsearch import Elasticsearch

from search.backends.elastic import node_urls

logger = logging.getLogger(__name__)


def check_search():
    url = getattr(settings, "ELASTICSEARCH_URL", None)
    if not url:
        return {"status": "ok", "backend": "database"}
    try:
        client = Elasticsearch(node_urls(url), request_timeout=2, max_retries=0)
        health = client.options(request_timeout=2).cluster.health()
        status = "ok" if health.get("status") in ("green", "yellow") else "redusert"
        return {"status": status, "backend": "elasticsearch", "cluster": health.get("status")}
    except Exception as exc:
        # Search falls back to the database backend, so the portal still serves readers.
        logger.warning("Helsesjekk: Elasticsearch svarer ikke: %s", exc)
        return {"status": "redusert", "backend": "database (reserve)", "detail": exc.__class__.__name__}
