"""Keeping the database's query planner informed after large changes."""

from django.db import connections


def refresh_statistics(using="default"):
    """SQLite plans queries without statistics until ANALYZE has run: with 10,000 pages it then
    walks the whole page tree to find four community homes. Run after migrations, imports and
    index rebuilds (half a second at 10,000 pages). PostgreSQL's autovacuum does this itself."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
