"""The link and the API are counted per hour in the cache, per token and per client address
(read as sign-in reads it, TRUSTED_PROXY_COUNT): past either limit, 429 and nothing stored."""

import pytest
from django.utils import timezone

from providers.models import DailyReturn
from tests.providers.return_links.conftest import link_path, return_data

pytestmark = pytest.mark.django_db
UNKNOWN = "B" * 43


def test_past_the_limit_per_token_the_link_answers_429_from_any_address(client, token, home,
                                                                          settings):
    settings.RETURN_LINK_MAX_PER_TOKEN_PER_HOUR = 3
    for _ in range(3):
        assert client.get(link_path(token)).status_code == 200
    response = client.get(link_path(token), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert client.post(link_path(token), return_data()).status_code == 429
    api = client.post("/api/returns/", {}, content_type="application/json",
                      HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR="203.0.113.10")
    assert api.status_code == 429
    assert not DailyReturn.objects.filter(provider=home, date=timezone.localdate()).exists()


def test_past_the_limit_per_address_even_unknown_tokens_are_refused(client, token, settings):
    settings.RETURN_LINK_MAX_PER_ADDRESS_PER_HOUR = 3
    for _ in range(3):
        assert client.get(link_path(UNKNOWN)).status_code == 404
    assert client.get(link_path(token)).status_code == 429
    assert client.get(link_path(token), REMOTE_ADDR="203.0.113.7").status_code == 200


def test_behind_a_trusted_proxy_the_address_the_proxy_saw_is_counted(client, token, settings):
    settings.RETURN_LINK_MAX_PER_ADDRESS_PER_HOUR = 2
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(2):
        client.get(link_path(UNKNOWN), HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client.get(link_path(token), HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    # The proxy's own address is shared by everyone: another client behind it is not refused,
    # and what a client types before the proxy's entry is ignored.
    assert client.get(link_path(token), HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200
    assert client.get(link_path(token), HTTP_X_FORWARDED_FOR="198.51.100.1, 198.51.100.3"
                      ).status_code == 200


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_limit(
        client, token, settings):
    settings.RETURN_LINK_MAX_PER_ADDRESS_PER_HOUR = 2
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(2):
        client.get(link_path(UNKNOWN), HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert client.get(link_path(token), HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_the_counters_are_in_the_shared_cache_not_in_the_process(settings):
    from django.core.cache import caches

    backend = caches["default"].__class__.__module__
    assert backend.endswith(("db", "redis")), backend


def test_a_counter_lasts_until_the_end_of_its_hour_not_the_caches_default(client, token):
    """A pause of five minutes (the cache's default timeout) does not reset the count."""
    import datetime
    import time

    from django.core.cache import caches
    from django.db import connection

    if not caches["default"].__class__.__module__.endswith(".db"):
        pytest.skip("reads the database cache's table")
    client.get(link_path(token))
    client.get(link_path(token))
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM winterplan_cache WHERE cache_key LIKE %s",
                       ["%return-link:%"])
        expiries = [row[0] for row in cursor.fetchall()]
    window_end = (int(time.time() // 3600) + 1) * 3600
    assert len(expiries) == 2
    for expires in expiries:
        if isinstance(expires, str):
            expires = datetime.datetime.fromisoformat(expires)
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=datetime.UTC)
        assert abs(expires.timestamp() - window_end) <= 2, expires
