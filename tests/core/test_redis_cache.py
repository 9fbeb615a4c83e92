"""The Redis cache backend of production settings (core/redis_cache.py): Django's, with one Redis
client per connection pool. Runs against the Redis that CI starts (.ci/services)."""

import secrets
import sys
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
    # The threads reach the first call together, and switch often: Django makes its client and
    # pool on first use, so threads racing to it each made their own (once in CI, 3 December).
    start = threading.Barrier(8)

    def read():
        start.wait()
        for _ in range(20):
            seen.append(cache._cache.get_client())
            cache.get("noe")

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=read) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    # Django's own client makes a new one per call (160 here).
    assert len({id(client) for client in seen}) == 1
    assert cache._cache.get_client(write=True) is seen[0]
