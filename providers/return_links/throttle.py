"""Counters per hour in the cache (the database cache, or Redis where REDIS_URL is set; never
process memory, so every worker shares them): how often a token or a client address used the
return link or the API."""

import hashlib
import time

from django.core.cache import cache, caches

WINDOW_SECONDS = 60 * 60


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"return-link:{kind}:{digest}:{int(time.time() // WINDOW_SECONDS)}"


def throttle_hit(kind: str, value: str, limit: int) -> bool:
    """Count one request for `value` this hour; False once more than `limit` were made.

    On Redis `incr` is atomic and keeps the key's expiry, so concurrent workers lose no count.
    Other caches' `incr` is a get and a set that would reset the expiry to the default five
    minutes (letting a pause reset the count), so there the count is set again with the rest
    of the hour as its timeout (two requests at the same instant may count once: the limit
    is then one request more lenient, never stricter)."""
    key, remaining = _key(kind, value), retry_after_seconds()
    if caches["default"].__class__.__module__.endswith("redis"):
        if cache.add(key, 1, remaining):
            return limit >= 1
        try:
            return cache.incr(key) <= limit
        except ValueError:  # expired between add and incr
            cache.set(key, 1, remaining)
            return limit >= 1
    count = cache.get(key, 0) + 1
    cache.set(key, count, remaining)
    return count <= limit


def retry_after_seconds() -> int:
    """Seconds until the current window ends."""
    return int(WINDOW_SECONDS - time.time() % WINDOW_SECONDS) + 1
