"""/healthz: is the database reachable, and which search backend answers."""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"status": "ok"}
    except Exception as exc:  # any driver error means "down" to a load balancer
        logger.warning("Helsesjekk: databasen svarer ikke: %s", exc)
        return {"status": "feil", "detail": exc.__class__.__name__}


def check_search():
    url = getattr(settings, "ELASTICSEARCH_URL", None)
    if not url:
        return {"status": "ok", "backend": "database"}
    try:
        from elasticsearch import Elasticsearch

        from search.backends.elastic import node_urls

        client = Elasticsearch(node_urls(url), request_timeout=2, max_retries=0)
        health = client.options(request_timeout=2).cluster.health()
        status = "ok" if health.get("status") in ("green", "yellow") else "redusert"
        return {"status": status, "backend": "elasticsearch", "cluster": health.get("status")}
    except Exception as exc:
        # Search falls back to the database backend, so the portal still serves readers.
        logger.warning("Helsesjekk: Elasticsearch svarer ikke: %s", exc)
        return {"status": "redusert", "backend": "database (reserve)", "detail": exc.__class__.__name__}


@never_cache
def healthz(request):
    database = check_database()
    search = check_search()
    healthy = database["status"] == "ok"
    overall = "ok" if healthy and search["status"] == "ok" else ("redusert" if healthy else "feil")
    return JsonResponse(
        {"status": overall, "database": database, "search": search}, status=200 if healthy else 503
    )
