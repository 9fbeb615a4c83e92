"""Django's Redis cache backend, with one Redis client per connection pool instead of one per call.

Django's ``RedisCacheClient.get_client`` keeps the connection pools but makes a new
``redis.Redis`` object for every cache call; making one took about 0.17 ms of CPU, a sixth of what
answering a reader from the page cache costs (core/pagecache.py; the profile is in
docs/benchmarks.md). A ``redis.Redis`` object is safe to share between threads (each command takes
a connection from the pool), so one per pool serves the whole process. Everything else is Django's.

Django makes its cache client and each connection pool on first use, unlocked
(``RedisCache._cache`` is a ``cached_property``, ``_get_connection_pool`` a check-then-set): threads
that reach the first call together each made their own, and each got a client of its own (CI, 3
December: two clients where one was asserted). Both are made under a lock here; once made, they
are read without it.
"""

import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._lock = threading.Lock()

    def _get_connection_pool(self, write):
        with self._lock:
            return super()._get_connection_pool(write)

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            with self._lock:
                client = self._clients.get(pool)
                if client is None:
                    client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._client_lock = threading.Lock()

    @property
    def _cache(self):
        # Django's ``cached_property`` stores the client in the instance's ``__dict__`` under this
        # name; a property (a data descriptor) is found first, so the lookup always comes here.
        client = self.__dict__.get("_shared_client")
        if client is None:
            with self._client_lock:
                client = self.__dict__.get("_shared_client")
                if client is None:
                    client = self.__dict__["_shared_client"] = self._class(self._servers, **self._options)
        return client
