"""Counters per hour in the cache (the database cache, or Redis where REDIS_URL is set; never
process memory, so every worker shares them): how often a token or a client address used the
return link or the API."""

import hashlib
import time

from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"return-link:{kind}:{digest}:{int(time.time() // WINDOW_SECONDS)}"


def throttle_hit(kind: str, value: str, limit: int) -> bool:
    """Count one request for `value` this hour; False once more than `limit` were made.
    `add` then `incr` so that concurrent workers do not lose counts on Redis."""
    key = _key(kind, value)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= limit


def retry_after_seconds() -> int:
    """Seconds until the current window ends."""
    return int(WINDOW_SECONDS - time.time() % WINDOW_SECONDS) + 1
