"""Fixtures for the providers tests: the two sample councils and a Halton manager."""

import pytest

from winterplan.models import Council, User


@pytest.fixture
def halton(db):
    return Council.objects.get(slug="halton")


@pytest.fixture
def cheshire_east(db):
    return Council.objects.get(slug="cheshire-east")


@pytest.fixture
def halton_manager_client(client, db):
    client.force_login(User.objects.get(username="halton-manager"))
    return client
