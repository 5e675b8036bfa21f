import pytest
from django.test import Client

from winterplan.models import User


def _client_for(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def regional_client(db):
    """The demo North West reader."""
    return _client_for("regional")


@pytest.fixture
def national_client(db):
    return _client_for("national")
