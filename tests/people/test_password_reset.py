"""Forgotten password: Django's reset views in GOV.UK pages, the same reply whether or not an
account has the address, throttled per address and per e-mail, links that expire."""

import datetime
import re

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.test import Client

from winterplan.models import User

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/password/reset/[^/\s]+/[^/\s]+/)")
NEW_PASSWORD = "a-brand-new-password-42"


@pytest.fixture
def officer_email(db):
    officer = User.objects.get(username="officer")
    officer.email = "olivia.grant@example.org"
    officer.save()
    return officer.email


def test_the_sign_in_page_offers_the_reset_and_the_pages_need_no_sign_in(client):
    assert 'href="/password/reset/"' in client.get("/login/").content.decode()
    for path in ("/password/reset/", "/password/reset/sent/", "/password/reset/complete/"):
        assert client.get(path).status_code == 200, path


def test_a_reset_link_is_mailed_and_sets_a_new_password(client, mailbox, officer_email):
    response = client.post("/password/reset/", {"email": officer_email.upper()})
    assert response.status_code == 302 and response["Location"] == "/password/reset/sent/"
    message = mailbox.to(officer_email)[0]
    assert message["Subject"] == "Reset your Winter Plan Tracker password"
    body = mailbox.body(message)
    assert "works once, for 2 hours" in body
    path = LINK.search(body).group(1)
    form = client.get(path, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD,
                                                   "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/password/reset/complete/"
    assert User.objects.get(username="officer").check_password(NEW_PASSWORD)
    again = client.get(path, follow=True)
    assert "This reset link does not work" in again.content.decode()


def test_the_reply_is_the_same_whether_or_not_the_address_has_an_account(mailbox,
                                                                         officer_email):
    known = Client().post("/password/reset/", {"email": officer_email}, follow=True)
    unknown = Client().post("/password/reset/", {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content == unknown.content
    assert len(mailbox.messages) == 1


def test_a_reset_link_expires_after_password_reset_timeout(client, mailbox, officer_email,
                                                          settings, monkeypatch):
    client.post("/password/reset/", {"email": officer_email})
    path = LINK.search(mailbox.body(mailbox.to(officer_email)[0])).group(1)
    later = datetime.datetime.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT
                                                         + 60)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    page = client.get(path, follow=True)
    assert "This reset link does not work" in page.content.decode()


def test_resets_are_throttled_per_email_address_without_saying_so(mailbox, officer_email,
                                                                 settings):
    settings.PASSWORD_RESET_MAX_PER_EMAIL_PER_HOUR = 2
    replies = [Client(REMOTE_ADDR=f"10.0.0.{n}").post("/password/reset/",
                                                      {"email": officer_email})
               for n in range(4)]
    assert [reply.status_code for reply in replies] == [302] * 4
    assert len(mailbox.to(officer_email)) == 2


def test_resets_are_throttled_per_client_address(mailbox, officer_email, settings):
    settings.PASSWORD_RESET_MAX_PER_ADDRESS_PER_HOUR = 3
    client = Client(REMOTE_ADDR="10.9.9.9")
    codes = [client.post("/password/reset/", {"email": f"person{n}@example.org"}).status_code
             for n in range(4)]
    assert codes == [302, 302, 302, 429]
    refused = client.post("/password/reset/", {"email": officer_email})
    assert refused.status_code == 429 and "Too many requests" in refused.content.decode()
    assert not mailbox.messages
    assert Client(REMOTE_ADDR="10.9.9.10").post(
        "/password/reset/", {"email": officer_email}).status_code == 302
    assert len(mailbox.to(officer_email)) == 1


def test_an_invalid_address_is_a_form_error_not_a_reply(client, mailbox):
    response = client.post("/password/reset/", {"email": "not an address"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
