"""Rate limits for every app: who the client is, and one counter shared by all app processes.

Counts live in the cache alias ``ratelimit`` (settings.base): Redis when ``REDIS_URL`` is set,
otherwise a table in the database (created by core's migration 0001). Never a per-process cache:
with three gunicorn workers each would allow the whole limit again.
"""

import base64
import functools
import hashlib
import ipaddress
import pickle
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now

CACHE_ALIAS = "ratelimit"


# --- the client ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _trusted_networks(entries):
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc


def _ip(value):
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def _normal(value):
    address = _ip(value)
    return str(address) if address else value


def client_address(request):
    """The address of the client: REMOTE_ADDR, or the one a trusted proxy says it served.

    ``X-Forwarded-For`` is only believed when REMOTE_ADDR is in ``TRUSTED_PROXIES``; anyone else
    can write anything in it. Each proxy appends the address it was contacted from, so the
    right-most address that is not one of our proxies is the client; what lies left of it was
    written by the client and cannot be trusted.
    """
    networks = _trusted_networks(tuple(settings.TRUSTED_PROXIES))

    def trusted(value):
        address = _ip(value)
        return address is not None and any(address in network for network in networks)

    chain = [request.META.get("REMOTE_ADDR", "")]
    if trusted(chain[0]):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        chain = [hop.strip() for hop in forwarded.split(",") if hop.strip()] + chain
    for hop in reversed(chain):
        if not trusted(hop):
            return _normal(hop)
    return _normal(chain[0])  # only our own proxies: the first of them made the request


# --- the counter ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` attempts per ``window`` seconds for each key (a fixed window that
    starts with the first attempt)."""

    name: str
    limit: int
    window: int

    def key(self, *parts):
        # Parts count alike whatever their case ("Admin", "admin"). Hashed: they may be user
        # names, e-mail addresses or form tokens, which belong neither in a cache key's
        # character set nor in the database in clear text.
        digest = hashlib.sha256("\x1f".join(str(part).strip().lower() for part in parts).encode())
        return f"rl:{self.name}:{digest.hexdigest()[:40]}"

    def hit(self, *parts):
        """Count one attempt; return the number in this window, this one included."""
        cache = caches[CACHE_ALIAS]
        key = self.key(*parts)
        try:
            count = cache.incr(key)
        except ValueError:  # the first attempt of a window
            if cache.add(key, 1, self.window):
                return 1
            try:
                count = cache.incr(key)  # another process started the window a moment ago
            except ValueError:  # and it ended in between
                cache.set(key, 1, self.window)
                return 1
        if count == 1:
            # Redis's INCR creates a missing key without expiry when it expired between the
            # backend's existence check and the increment; give it one, or it would count forever.
            cache.touch(key, self.window)
        return count

    def allow(self, *parts):
        """Count one attempt; True while it is within the limit."""
        return self.hit(*parts) <= self.limit

    def reached(self, *parts):
        """True when the limit is used up (the next attempt would be over it); counts nothing."""
        return (caches[CACHE_ALIAS].get(self.key(*parts)) or 0) >= self.limit

    def reset(self, *parts):
        caches[CACHE_ALIAS].delete(self.key(*parts))


class CounterDatabaseCache(DatabaseCache):
    """Django's database cache, with an ``incr`` fit for counting.

    DatabaseCache inherits BaseCache.incr, which reads the value and sets it again with the
    default timeout: two workers counting at once both write the same number, and every count
    moves the end of the window to five minutes ahead (a limit per hour would then allow the
    limit every five minutes). This incr locks the row (SELECT ... FOR UPDATE on PostgreSQL;
    on SQLite the IMMEDIATE transactions set in settings.base already let one writer in at a
    time) and keeps its expiry, as Redis's INCR does.
    """

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('value')} FROM {table} "
                f"WHERE {quote('cache_key')} = %s AND {quote('expires')} > %s{lock}",
                [key, now],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode())) + delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s", [encoded, key]
            )
        return value
