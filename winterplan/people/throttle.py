"""A counter per hour in the cache (the database cache unless REDIS_URL): how often something
was asked for, so a form can be refused past a limit without a table of its own."""

import hashlib
import time

from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def throttle_allow(kind: str, value: str, limit: int) -> bool:
    """Count one request for `value` in this hour; False once more than `limit` were made."""
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    key = f"throttle:{kind}:{digest}:{int(time.time() // WINDOW_SECONDS)}"
    count = cache.get(key, 0) + 1
    cache.set(key, count, WINDOW_SECONDS)
    return count <= limit
