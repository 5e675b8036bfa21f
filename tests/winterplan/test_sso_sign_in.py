"""Sign-in without the provider: the per-council password switch, the SSO button, and
settings that refuse half a single sign-on configuration. (The flow itself runs against a
real provider in tests/browser/test_sso.py.)"""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.test import Client

from tests.winterplan.test_settings import _run_settings
from winterplan.models import Council, User

pytestmark = pytest.mark.django_db

PASSWORD = "a-correct-password-0451"


def _user(username, *, role, council="cheshire-east", superuser=False):
    user = User.objects.create_user(
        username, password=PASSWORD, is_superuser=superuser,
        council=Council.objects.get(slug=council) if council else None)
    user.groups.add(Group.objects.get(name=role))
    return user


def _sign_in(username, password=PASSWORD):
    client = Client()
    return client, client.post("/login/", {"username": username, "password": password})


@pytest.fixture
def passwords_off():
    Council.objects.filter(slug="cheshire-east").update(local_sign_in_allowed=False)


def test_a_council_with_passwords_off_refuses_a_correct_password_pointing_to_sso(
        passwords_off):
    _user("cem", role="manager")
    client, response = _sign_in("cem")
    assert response.status_code == 200
    assert ("Cheshire East Council signs in with council accounts, not passwords"
            in response.content.decode())
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_there_gets_the_usual_message_and_reveals_nothing(passwords_off):
    _user("cem", role="manager")
    _, response = _sign_in("cem", "wrong")
    page = response.content.decode()
    assert "Please enter a correct username and password" in page
    assert "council accounts" not in page


def test_admins_always_keep_a_password(passwords_off):
    _user("council-admin", role="admin", council="cheshire-east")
    _user("root", role="admin", council=None, superuser=True)
    for username in ("council-admin", "root"):
        client, response = _sign_in(username)
        assert response.status_code == 302, username
        assert client.session["_auth_user_id"]


def test_other_councils_keep_their_passwords(passwords_off):
    _, response = _sign_in("halton-officer", password=django_settings.DEMO_PASSWORD)
    assert response.status_code == 302


def test_the_sso_button_shows_only_when_sso_is_configured(client, settings):
    assert "Sign in with your council account" not in client.get("/login/").content.decode()
    assert client.get("/sso/start/")["Location"] == "/login/"
    settings.OIDC_ENABLED = True
    page = client.get("/login/?next=/plans/").content.decode()
    assert 'href="/sso/start/?next=/plans/"' in page
    assert "Sign in with your council account" in page


def test_a_callback_without_a_sign_in_in_progress_is_a_page_not_an_error(
        client, settings):
    settings.OIDC_ENABLED = True
    response = client.get("/sso/callback/?error=access_denied&state=x")
    assert response.status_code == 403
    assert "Sign-in was not completed" in response.content.decode()


ENTRA = {"DEBUG": "1", "OIDC_RP_CLIENT_ID": "client", "OIDC_RP_CLIENT_SECRET": "secret",
         "OIDC_OP_ISSUER": "https://login.microsoftonline.com/tenant-id/v2.0"}


def test_an_issuer_with_a_client_turns_sso_on_and_role_map_is_parsed():
    result = _run_settings(
        {**ENTRA, "OIDC_ROLE_CLAIM": "groups",
         "OIDC_ROLE_MAP": "1b2c-officers = officer, 9f8e-managers=manager"},
        "from django.conf import settings as s; "
        "print(s.OIDC_ENABLED, s.OIDC_CREATE_USER, sorted(s.OIDC_ROLE_MAP.items()))",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "True False [('1b2c-officers', 'officer'), ('9f8e-managers', 'manager')]")


@pytest.mark.parametrize(("overrides", "message"), [
    ({"OIDC_RP_CLIENT_SECRET": ""}, "Single sign-on needs OIDC_RP_CLIENT_ID"),
    ({"OIDC_OP_ISSUER": ""}, "Single sign-on needs OIDC_RP_CLIENT_ID"),
    ({"OIDC_ROLE_CLAIM": "groups"}, "OIDC_ROLE_CLAIM and OIDC_ROLE_MAP are set together"),
    ({"OIDC_ROLE_CLAIM": "groups", "OIDC_ROLE_MAP": "no-equals-sign"}, "entries are group=role"),
    ({"OIDC_ROLE_CLAIM": "groups", "OIDC_ROLE_MAP": "g=admin"}, "cannot give the admin role"),
])
def test_half_a_configuration_fails_at_start(overrides, message):
    result = _run_settings({**ENTRA, **overrides}, "pass")
    assert result.returncode != 0
    assert message in result.stderr
