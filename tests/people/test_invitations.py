"""A manager invites a colleague by e-mail; the link sets a password once, for 7 days; any
other use of it gets a clear page, never an error."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from winterplan import permissions
from winterplan.models import Council, Team, User
from winterplan.people import services
from winterplan.people.models import Invitation, token_digest

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password-9"


def _accept(client, token, password=PASSWORD):
    return client.post(f"/invitations/{token}/", {
        "first_name": "Nadia", "last_name": "Khan", "password1": password,
        "password2": password})


def test_the_invitation_email_carries_a_link_whose_token_is_stored_only_hashed(invite, mailbox):
    team = Team.objects.get(council__slug="cheshire-east", name="Quality Assurance")
    invitation, token = invite("nadia.khan@example.org", role="committee", team=team)
    message = mailbox.to("nadia.khan@example.org")[0]
    assert "Cheshire East" in message["Subject"]
    assert "7 days" in mailbox.body(message)
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert invitation.token_hash == token_digest(token)
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=7)


def test_accepting_creates_the_account_with_its_role_and_team_and_signs_in(client, invite):
    team = Team.objects.get(council__slug="cheshire-east", name="Quality Assurance")
    _, token = invite("nadia.khan@example.org", role="committee", team=team)
    page = client.get(f"/invitations/{token}/")
    assert page.status_code == 200
    assert "Your username is <strong>nadia.khan@example.org</strong>" in page.content.decode()
    response = _accept(client, token)
    assert response.status_code == 302 and response["Location"] == "/login/"
    user = User.objects.get(username="nadia.khan@example.org")
    assert (user.council.slug, user.team, permissions.role_of(user)) == (
        "cheshire-east", team, "committee")
    assert user.check_password(PASSWORD) and user.is_active
    assert client.login(username="nadia.khan@example.org", password=PASSWORD)


def test_a_link_used_twice_gets_a_page_saying_so(client, invite):
    _, token = invite("nadia.khan@example.org")
    _accept(client, token)
    again = client.get(f"/invitations/{token}/")
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert _accept(client, token, "another-long-password-7").status_code == 410
    assert User.objects.filter(email="nadia.khan@example.org").count() == 1
    assert User.objects.get(email="nadia.khan@example.org").check_password(PASSWORD)


def test_an_expired_link_gets_a_page_saying_so_and_makes_no_account(client, invite):
    invitation, token = invite("nadia.khan@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1))
    for response in (client.get(f"/invitations/{token}/"), _accept(client, token)):
        assert response.status_code == 410
        assert "This invitation has expired" in response.content.decode()
    assert not User.objects.filter(email="nadia.khan@example.org").exists()


@pytest.mark.parametrize("token", ["x", "not-a-real-token-" + "a" * 26, "a" * 500])
def test_a_tampered_link_gets_a_page_saying_it_is_not_valid(client, invite, token):
    _, real = invite("nadia.khan@example.org")
    for response in (client.get(f"/invitations/{token}/"), _accept(client, token),
                     client.get(f"/invitations/{real[:-1]}/")):
        assert response.status_code == 404
        assert "This invitation link is not valid" in response.content.decode()


def test_a_link_for_a_deactivated_account_says_so(client, invite, manager):
    _, token = invite("nadia.khan@example.org")
    _accept(client, token)
    services.person_deactivate(by=manager, person=User.objects.get(email="nadia.khan@example.org"))
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 410
    assert "This account has been deactivated" in response.content.decode()


def test_a_resent_invitation_replaces_the_old_link(client, invite, manager, mailbox):
    invitation, old = invite("nadia.khan@example.org")
    services.invitation_resend(by=manager, invitation=invitation,
                               link_for=lambda token: f"http://testserver/invitations/{token}/")
    new = mailbox.body(mailbox.to("nadia.khan@example.org")[-1]).split("/invitations/")[1]
    new = new.split("/")[0]
    assert new != old
    assert client.get(f"/invitations/{old}/").status_code == 404
    assert client.get(f"/invitations/{new}/").status_code == 200


def test_a_cancelled_invitation_link_says_so(client, invite, manager):
    invitation, token = invite("nadia.khan@example.org")
    services.invitation_cancel(by=manager, invitation=invitation)
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 410 and "cancelled" in response.content.decode()


def test_a_manager_cannot_invite_an_admin(invite):
    with pytest.raises(ValidationError):
        invite("nadia.khan@example.org", role=permissions.ADMIN)
    assert not Invitation.objects.exists()


def test_an_address_with_an_account_or_an_open_invitation_is_refused(invite):
    with pytest.raises(ValidationError, match="already has an account"):
        invite(User.objects.get(username="officer").email or "officer")
    invite("nadia.khan@example.org")
    with pytest.raises(ValidationError, match="open invitation"):
        invite("Nadia.Khan@example.org")


def test_a_manager_cannot_invite_to_another_council(mailbox, manager):
    from winterplan.models import Council

    with pytest.raises(ValidationError):
        services.invitation_create(
            by=manager, council=Council.objects.get(slug="halton"), email="x@example.org",
            role="officer", team=None, link_for=str)


def test_the_invitation_and_the_account_it_makes_are_in_history_with_who(client, invite,
                                                                         manager):
    invitation, token = invite("nadia.khan@example.org")
    services.invitation_cancel(by=manager, invitation=invitation)
    rows = list(invitation.history.order_by("history_date"))
    assert [row.history_user for row in rows] == [manager, manager]
    assert rows[-1].cancelled_at is not None
    _, token = invite("omar.ali@example.org")
    _accept(client, token)
    user = User.objects.get(email="omar.ali@example.org")
    assert user.history.earliest().history_user == manager


# --- Councils with passwords off (single sign-on only) ---------------------------------------

def test_with_passwords_off_the_link_explains_sso_and_asks_for_no_password(
        client, invite, cheshire_east, mailbox, settings):
    settings.OIDC_ENABLED = True
    cheshire_east.local_sign_in_allowed = False
    cheshire_east.save()
    _, token = invite("nadia.khan@example.org")
    body = mailbox.body(mailbox.to("nadia.khan@example.org")[-1])
    assert "signs in with council accounts, not passwords" in body
    assert "password here" not in body
    page = client.get(f"/invitations/{token}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Sign in with your council account" in text
    assert 'href="/sso/start/"' in text
    assert "nadia.khan@example.org" in text
    assert 'type="password"' not in text and "password1" not in text


def test_with_passwords_off_a_posted_password_makes_no_account(client, invite, cheshire_east):
    Council.objects.filter(pk=cheshire_east.pk).update(local_sign_in_allowed=False)
    _, token = invite("nadia.khan@example.org")
    response = _accept(client, token)
    assert response.status_code == 409
    assert "does not use passwords, so no password was set" in response.content.decode()
    assert not User.objects.filter(email="nadia.khan@example.org").exists()
    invitation = Invitation.objects.get(email="nadia.khan@example.org")
    assert invitation.accepted_at is None  # still open for the single sign-on


def test_with_passwords_off_and_sso_not_set_up_the_page_says_so(client, invite, cheshire_east,
                                                                 settings):
    settings.OIDC_ENABLED = False
    Council.objects.filter(pk=cheshire_east.pk).update(local_sign_in_allowed=False)
    _, token = invite("nadia.khan@example.org")
    text = client.get(f"/invitations/{token}/").content.decode()
    assert "not set up on this service yet" in text and "/sso/start/" not in text
    assert "password1" not in text

