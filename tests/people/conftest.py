"""Invitations made through the service, with the link the e-mail carries."""

import re

import pytest

from winterplan.models import Council, User
from winterplan.people import services

LINK = re.compile(r"https?://\S+/invitations/([\w-]+)/")


@pytest.fixture
def cheshire_east(db):
    return Council.objects.get(slug="cheshire-east")


@pytest.fixture
def manager(db):
    return User.objects.get(username="manager")


@pytest.fixture
def invite(mailbox, manager, cheshire_east):
    """invite(email, role="officer") -> (invitation, token read from the e-mail sent)."""

    def make(email, role="officer", team=None, by=manager):
        invitation = services.invitation_create(
            by=by, council=cheshire_east, email=email, role=role, team=team,
            link_for=lambda token: f"http://testserver/invitations/{token}/")
        body = mailbox.body(mailbox.to(email)[-1])
        return invitation, LINK.search(body).group(1)

    return make
