"""The report of searches that found nothing («Søk uten treff»), for the editors."""

import logging

from django.db import DatabaseError
from django.db.models import F

from search.analysis import fold
from search.models import ZeroResultQuery

logger = logging.getLogger("search")


def log_zero_hits(query):
    """Count one more search for ``query`` (lower-cased and folded) that found nothing.

    The increment is done by the database (``count + 1``), so concurrent searches each count.
    ``update_or_create`` runs in a savepoint: a failure here (a locked or read-only database) is
    logged and never spoils the request, nor a transaction it runs in.
    """
    text = " ".join(fold(query).split())[:200]
    if not text:
        return
    try:
        ZeroResultQuery.objects.update_or_create(
            query=text, defaults={"count": F("count") + 1}, create_defaults={"count": 1}
        )
    except DatabaseError:
        logger.exception("A search without hits could not be counted for the report.")
