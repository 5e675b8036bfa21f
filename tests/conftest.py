"""Fixtures shared by every test: the sample data, loaded once per test database, and
role-named clients."""

import pytest
from django.test import Client

from winterplan.models import User
from winterplan.sample_data import sample_data_load

pytest_plugins = ["tests.browser_support", "tests.mail_support"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the sample data's first winter (transactional tests
    reload it); tests of the second winter load it themselves (tests/actions/winters)."""
    with django_db_blocker.unblock():
        sample_data_load(demo_users=True, second_winter=False)


def _client_for(username):
    """A separate client per role, so one test can act as several people."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def officer_client(db):
    return _client_for("officer")


@pytest.fixture
def committee_client(db):
    return _client_for("committee")


@pytest.fixture
def manager_client(db):
    return _client_for("manager")


@pytest.fixture
def admin_client(db):
    return _client_for("admin")


@pytest.fixture
def halton_officer_client(db):
    return _client_for("halton-officer")
