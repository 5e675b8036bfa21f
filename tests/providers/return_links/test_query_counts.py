"""The return-link pages make the same number of queries however many links, returns or homes
there are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from providers.models import DailyReturn, ReturnLink
from providers.models.return_links import token_digest
from tests.providers.return_links.conftest import link_path

pytestmark = pytest.mark.django_db


def _links(home, user, count):
    now = timezone.now()
    start = ReturnLink.objects.count()
    ReturnLink.objects.bulk_create(
        ReturnLink(provider=home, token_hash=token_digest(f"t{start + n}"), created_by=user,
                   created_at=now, expires_at=now + datetime.timedelta(days=n + 1))
        for n in range(count))


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_a_homes_links_page_does_not_query_per_link(halton_officer_client, home,
                                                    halton_officer):
    path = f"/councils/halton/providers/{home.pk}/return-links/"
    _links(home, halton_officer, 2)
    halton_officer_client.get(path)
    few = _count(halton_officer_client, path)
    _links(home, halton_officer, 40)
    assert _count(halton_officer_client, path) == few


def test_the_providers_page_does_not_query_per_return(client, token, home):
    client.get(link_path(token))  # the rate-limit counters' first write
    few = _count(client, link_path(token))
    DailyReturn.objects.bulk_create(
        DailyReturn(provider=home, date=datetime.date(2019, 1, 1) + datetime.timedelta(days=n))
        for n in range(60))
    assert _count(client, link_path(token)) == few
