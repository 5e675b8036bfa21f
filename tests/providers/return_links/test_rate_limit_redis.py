"""With REDIS_URL set the cache is Redis (the real server on 127.0.0.1:6379): the rate limits
count there, so every web process shares them, and a count keeps its hour's expiry."""

import pytest
from django.core.cache import caches

from tests.providers.return_links.conftest import link_path

# One worker runs both (they clear the same Redis database).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("redis")]
REDIS = "redis://127.0.0.1:6379/14"


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": REDIS}}
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def test_past_the_limit_per_token_the_link_answers_429_with_redis(client, token, settings,
                                                                  redis_cache):
    assert redis_cache.__class__.__module__.endswith("redis")
    settings.RETURN_LINK_MAX_PER_TOKEN_PER_HOUR = 2
    assert client.get(link_path(token)).status_code == 200
    assert client.get(link_path(token)).status_code == 200
    assert client.get(link_path(token), REMOTE_ADDR="203.0.113.9").status_code == 429
