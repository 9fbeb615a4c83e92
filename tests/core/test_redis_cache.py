"""The Redis cache backend of production settings (core/redis_cache.py): Django's, with one Redis
client per connection pool. Runs against the Redis that CI starts (.ci/services)."""

import secrets
import threading

from core.redis_cache import RedisCache

REDIS = "redis://127.0.0.1:6379/14"


def make_cache():
    return RedisCache(REDIS, {"KEY_PREFIX": f"test-{secrets.token_hex(4)}", "TIMEOUT": 30})


def test_values_round_trip_as_with_djangos_backend():
    cache = make_cache()
    cache.set("side", (200, [("Content-Type", "text/html")], b"<p>Fallforebygging</p>"))
    assert cache.get("side") == (200, [("Content-Type", "text/html")], b"<p>Fallforebygging</p>")
    assert cache.incr(cache.add("teller", 1) and "teller") == 2
    cache.delete("side")
    assert cache.get("side") is None


def test_every_call_and_every_thread_uses_the_same_client():
    cache = make_cache()
    seen = []

    def read():
        for _ in range(20):
            cache.get("noe")
            seen.append(cache._cache.get_client())

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Django's own client makes a new one per call (80 here).
    assert len({id(client) for client in seen}) == 1
    assert cache._cache.get_client(write=True) is seen[0]
