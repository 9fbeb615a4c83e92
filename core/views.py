"""/healthz: is the database reachable, and which search backend answers."""

import logging
import sys

from django.db import InterfaceError, OperationalError, connection, connections
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache

from core.uploads import STORAGE_ERRNOS

logger = logging.getLogger(__name__)


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"status": "ok"}
    except Exception as exc:  # any driver error means "down" to a load balancer
        logger.warning("Health check: the database does not answer: %s", exc)
        _drop_connections()
        return {"status": "feil", "detail": exc.__class__.__name__}


# How to check the search engine, registered by the app that owns it (search.apps); without one,
# search is the database's and as healthy as the database.
_search_checks = []


def register_search_check(check):
    """``check()`` returns {"status": "ok" | "redusert", "backend": …}; it never raises."""
    if check not in _search_checks:
        _search_checks.append(check)


def check_search():
    for check in _search_checks:
        return check()
    return {"status": "ok", "backend": "database"}


@never_cache
def healthz(request):
    database = check_database()
    search = check_search()
    healthy = database["status"] == "ok"
    overall = "ok" if healthy and search["status"] == "ok" else ("redusert" if healthy else "feil")
    return JsonResponse(
        {"status": overall, "database": database, "search": search}, status=200 if healthy else 503
    )


# ---------------------------------------------------------------------------------- errors

UNAVAILABLE = {
    "database": (
        "Databasen svarer ikke akkurat nå",
        "Portalen får ikke kontakt med databasen, for eksempel fordi den startes på nytt. "
        "Ingenting du har lagret er tapt. Prøv igjen om et halvt minutt.",
    ),
    "storage": (
        "Filen kunne ikke lagres",
        "Lagringsområdet for filer er fullt eller skrivebeskyttet. Ingenting ble lagret, og "
        "det du hadde lagret fra før er i behold. Prøv igjen senere, og si fra til "
        "driftsansvarlig hvis feilen varer.",
    ),
}
RETRY_AFTER_SECONDS = 30


def unavailable_reason(exc):
    """'database' or 'storage' if the error (or one it came from) means a service is down."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OperationalError | InterfaceError):
            return "database"
        if isinstance(exc, OSError) and exc.errno in STORAGE_ERRNOS:
            return "storage"
        exc = exc.__cause__ or exc.__context__
    return None


def _drop_connections():
    """Close broken database connections so that the next request opens a fresh one."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # closing a dead connection may fail; it is gone either way
            conn.connection = None


def server_error(request):
    """handler500: a service that is down gets a 503 with what happened, in Norwegian.

    Django's own handler shows the same 500 page for every error. A database that restarts or a
    full media disk is not a bug: the reader should know that nothing was lost and when to try
    again, and a load balancer should see 503 with Retry-After. Rendered without the database.
    """
    reason = unavailable_reason(sys.exc_info()[1])
    if reason is None:
        return HttpResponseServerError(loader.get_template("500.html").render())
    if reason == "database":
        _drop_connections()
    title, text = UNAVAILABLE[reason]
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": title, "detail": text}, status=503)
    else:
        page = loader.get_template("503.html").render({"title": title, "text": text})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
