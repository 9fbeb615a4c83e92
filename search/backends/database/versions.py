"""The index version: cached answers stay valid exactly as long as the index does not change."""

import contextvars
import hashlib

from django.core.cache import cache

from core.models import read_token, write_token
from kompetanse.registry import read_once_block
from search.models import IndexVersion

# Answers (ids of one page of hits, total, facet counts), spelling help and the shared parts of
# reader pages are cached under the index version: a repeat costs two small queries, and any
# change to the index retires them at once.
CACHE_SECONDS = 600

# Within one reading request the index version is looked up once: the request shows one state of
# the content, and every cached part of a page (search answer, navigation, related pages) would
# otherwise ask again.
_request_version = contextvars.ContextVar("search_index_version", default=None)


def one_version():
    """Read the index version at most once inside the block (for requests that do not write).
    Inside another such block (the page cache opens one around every reading request, the search
    service its own), the outer one's reading counts."""
    return read_once_block(_request_version)


def note_change():
    """Note a change to the index: cached answers computed before it are no longer used."""
    write_token(IndexVersion, _request_version.get())


def index_version():
    return read_token(IndexVersion, _request_version.get())


def cached(key, compute, seconds=None):
    """``compute()``, cached under ``key`` until the index version changes (or ``seconds`` pass).

    Search answers, spelling help and the shared parts of reader pages are cached this way: the
    version changes with every index write, on every app server at once, whether the cache is
    shared (Redis) or per process.
    """
    cache_key = _cache_key(key)
    version = index_version()
    hit = cache.get(cache_key)
    if hit is not None and hit[0] == version:
        return hit[1]
    value = compute()
    cache.set(cache_key, (version, value), CACHE_SECONDS if seconds is None else seconds)
    return value


def remembered_many(keys, compute, seconds):
    """{key: value} for each of ``keys``, each kept ``seconds`` whatever changes in the index (for
    values a change to one page moves too little to matter: how many pages have a word); the ones
    not kept are computed together, ``compute(missing keys)`` giving {key: value}: one query for
    several values."""
    names = {key: _cache_key(key) for key in keys}
    kept = cache.get_many(list(names.values()))
    out = {key: kept[name] for key, name in names.items() if name in kept}
    missing = [key for key in keys if key not in out]
    if missing:
        computed = compute(missing)
        cache.set_many({names[key]: computed[key] for key in missing}, seconds)
        out.update(computed)
    return out


def _cache_key(key):
    return "versioned:" + hashlib.sha256(repr(key).encode()).hexdigest()
