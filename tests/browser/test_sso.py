"""Single sign-on end to end: Chromium signs in through a real OpenID provider
(django-oauth-toolkit in its own process on loopback, RS256 key made for the run) to the live
server; nothing of mozilla-django-oidc or of our code is mocked."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser_support import assert_accessible
from tests.oidc_provider.loopback import CLIENT_ID, CLIENT_SECRET, loopback_provider
from winterplan.models import Council, User
from winterplan.permissions import role_of

PLAN = "/plans/cheshire-east-2020-21/"
DOMAIN = "cheshireeast.example"
#: The provider's users and what their tokens say.
PROVIDER_USERS = {
    "jo": {"password": "jo-at-the-provider", "claims": {
        "email": f"Jo.Bloggs@{DOMAIN.title()}", "email_verified": True, "name": "Jo Bloggs",
        "groups": ["wp-officers"]}},
    "stranger": {"password": "stranger-at-the-provider", "claims": {
        "email": f"stranger@{DOMAIN}", "email_verified": True}},
    "unverified": {"password": "unverified-at-the-provider", "claims": {
        "email": f"jo.bloggs@{DOMAIN}", "email_verified": False}},
    "entra": {"password": "entra-at-the-provider", "claims": {
        "email": f"eve.entra@{DOMAIN}", "groups": []}},
    "sam": {"password": "sam-at-the-provider", "claims": {
        "email": f"sam.senior@{DOMAIN}", "email_verified": True,
        "groups": ["unrelated", "wp-managers", "wp-officers"]}},
    "ivy": {"password": "ivy-at-the-provider", "claims": {
        "email": f"ivy.invited@{DOMAIN}", "email_verified": True, "given_name": "Ivy",
        "family_name": "Invited"}},
    "nora": {"password": "nora-at-the-provider", "claims": {
        "email": f"nora.nogroup@{DOMAIN}", "email_verified": True, "groups": ["unrelated"]}},
}


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    with loopback_provider(directory=tmp_path_factory.mktemp("oidc-provider"),
                           redirect_uri=f"{live_server.url}/sso/callback/",
                           users=PROVIDER_USERS) as provider:
        yield provider


@pytest.fixture
def sso(site, oidc_provider, settings):
    """Our live server configured with the provider's issuer (endpoints discovered)."""
    settings.OIDC_ENABLED = True
    settings.OIDC_OP_ISSUER = oidc_provider.issuer
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    cache.clear()
    return oidc_provider


def _user(username, email, role, council="cheshire-east", password=None):
    from django.contrib.auth.models import Group

    user = User.objects.create_user(username, email=email, password=password,
                                    council=Council.objects.get(slug=council),
                                    first_name=username.title())
    user.groups.add(Group.objects.get(name=role))
    return user


def _sign_in_with_council_account(page, site, provider, username):
    page.goto(f"{site}/login/")
    page.get_by_role("button", name="Sign in with your council account").click()
    page.get_by_label("Provider username").fill(username)
    page.get_by_label("Provider password").fill(provider.password(username))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def _signed_in(page, site) -> bool:
    page.goto(f"{site}/plans/")
    return "/login/" not in page.url


def test_a_known_user_signs_in_with_their_council_account_and_keeps_their_role(
        site, sso, new_page):
    jo = _user("jo", f"jo.bloggs@{DOMAIN}", "committee")
    page = new_page()
    page.goto(f"{site}/login/")
    assert_accessible(page)
    _sign_in_with_council_account(page, site, sso, "jo")
    assert page.url == f"{site}{PLAN}"
    expect(page.locator("body")).to_contain_text("Jo")
    jo = User.objects.get(pk=jo.pk)
    assert role_of(jo) == "committee"  # no OIDC_ROLE_MAP: the token's groups change nothing
    assert jo.last_login is not None


def test_an_unknown_user_is_refused_and_told_to_ask_their_councils_managers(
        site, sso, new_page):
    _user("jo", f"jo.bloggs@{DOMAIN}", "officer")  # the domain belongs to Cheshire East
    page = new_page()
    _sign_in_with_council_account(page, site, sso, "stranger")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You cannot sign in with your council account")
    expect(page.locator("main")).to_contain_text(f"stranger@{DOMAIN}")
    expect(page.locator("main")).to_contain_text(
        "Cheshire East Council's Winter Plan Tracker manager")
    manager = User.objects.get(username="manager")
    expect(page.locator("main")).to_contain_text(manager.get_full_name())
    assert_accessible(page)
    assert not User.objects.filter(email__iexact=f"stranger@{DOMAIN}").exists()
    assert not _signed_in(page, site)


def test_an_unverified_email_is_refused_even_for_a_known_address(site, sso, new_page):
    _user("jo", f"jo.bloggs@{DOMAIN}", "officer")
    page = new_page()
    _sign_in_with_council_account(page, site, sso, "unverified")
    expect(page.locator("main")).to_contain_text("did not confirm that the e-mail address")
    assert not _signed_in(page, site)


def test_a_deactivated_user_is_refused_and_told_to_ask_their_councils_manager(
        site, sso, new_page):
    User.objects.filter(pk=_user("jo", f"jo.bloggs@{DOMAIN}", "officer").pk).update(
        is_active=False)
    page = new_page()
    _sign_in_with_council_account(page, site, sso, "jo")
    expect(page.locator("main")).to_contain_text("has been deactivated")
    expect(page.locator("main")).to_contain_text(
        User.objects.get(username="manager").get_full_name())
    assert not _signed_in(page, site)


def test_a_missing_email_verified_claim_is_refused_unless_trusted_by_setting(
        site, sso, new_page, settings):
    """Entra ID sends no `email_verified`: refused by default, let in when the operator says
    this tenant issues only its own verified domain's addresses."""
    _user("eve", f"eve.entra@{DOMAIN}", "officer")
    page = new_page()
    _sign_in_with_council_account(page, site, sso, "entra")
    expect(page.locator("main")).to_contain_text("did not confirm")
    settings.OIDC_TRUST_EMAIL_VERIFIED_MISSING = True
    page = new_page()
    _sign_in_with_council_account(page, site, sso, "entra")
    assert page.url == f"{site}{PLAN}"


def test_the_role_comes_from_the_tokens_groups_when_mapped_with_history(
        site, sso, new_page, settings):
    settings.OIDC_ROLE_CLAIM = "groups"
    settings.OIDC_ROLE_MAP = {"wp-managers": "manager", "wp-officers": "officer"}
    sam = _user("sam", f"sam.senior@{DOMAIN}", "officer")
    page = new_page()
    _sign_in_with_council_account(page, site, sso, "sam")
    assert page.url == f"{site}{PLAN}"
    sam = User.objects.get(pk=sam.pk)
    assert role_of(sam) == "manager"  # the highest of the mapped groups
    assert set(sam.groups.values_list("name", flat=True)) == {"manager"}
    latest = sam.history.order_by("-history_id").first()
    assert latest.history_change_reason == "Role from council sign-in (groups)"
    assert latest.history_user_id == sam.pk

    # Someone in no mapped group has no role here: refused, and told whom to ask.
    nora = _user("nora", f"nora.nogroup@{DOMAIN}", "officer")
    page = new_page()
    _sign_in_with_council_account(page, site, sso, "nora")
    expect(page.locator("main")).to_contain_text("none of the groups")
    assert role_of(User.objects.get(pk=nora.pk)) is None
    assert not _signed_in(page, site)


def test_a_council_with_passwords_off_refuses_a_password_but_lets_sso_in(site, sso, new_page):
    Council.objects.filter(slug="cheshire-east").update(local_sign_in_allowed=False)
    _user("jo", f"jo.bloggs@{DOMAIN}", "officer", password="a-correct-password-for-jo")
    page = new_page()
    page.goto(f"{site}/login/")
    page.get_by_label("Username").fill("jo")
    page.get_by_label("Password").fill("a-correct-password-for-jo")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Cheshire East Council signs in with council accounts")
    assert_accessible(page)
    assert not _signed_in(page, site)

    _sign_in_with_council_account(page, site, sso, "jo")
    assert page.url == f"{site}{PLAN}"


def test_an_invited_colleague_signs_in_with_their_council_account_and_the_invitation_is_used(
        site, sso, new_page, mailbox):
    from winterplan.people.models import Invitation
    from winterplan.people.services import invitation_create

    invitation_create(by=User.objects.get(username="manager"),
                      council=Council.objects.get(slug="cheshire-east"),
                      email=f"ivy.invited@{DOMAIN}", role="officer", team=None,
                      link_for=lambda token: f"{site}/invitations/{token}/")
    page = new_page()
    _sign_in_with_council_account(page, site, sso, "ivy")
    assert _signed_in(page, site)
    ivy = User.objects.get(email__iexact=f"ivy.invited@{DOMAIN}")
    assert ivy.council.slug == "cheshire-east" and role_of(ivy) == "officer"
    assert ivy.get_full_name() == "Ivy Invited" and not ivy.has_usable_password()
    invitation = Invitation.objects.get(email__iexact=f"ivy.invited@{DOMAIN}")
    assert invitation.accepted_at is not None and invitation.user == ivy


def test_with_passwords_off_the_invitation_link_leads_to_sso_which_accepts_it(
        site, sso, new_page, mailbox):
    from winterplan.people.models import Invitation
    from winterplan.people.services import invitation_create

    Council.objects.filter(slug="cheshire-east").update(local_sign_in_allowed=False)
    links = []
    invitation_create(by=User.objects.get(username="manager"),
                      council=Council.objects.get(slug="cheshire-east"),
                      email=f"ivy.invited@{DOMAIN}", role="officer", team=None,
                      link_for=lambda token: links.append(f"{site}/invitations/{token}/")
                      or links[-1])
    page = new_page()
    page.goto(links[0])
    expect(page.get_by_role("heading", name="Sign in with your council account")).to_be_visible()
    assert page.get_by_label("Password").count() == 0
    assert_accessible(page)
    page.get_by_role("button", name="Sign in with your council account").click()
    page.get_by_label("Provider username").fill("ivy")
    page.get_by_label("Provider password").fill(sso.password("ivy"))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert _signed_in(page, site)
    ivy = User.objects.get(email__iexact=f"ivy.invited@{DOMAIN}")
    assert role_of(ivy) == "officer" and not ivy.has_usable_password()
    assert Invitation.objects.get(email__iexact=f"ivy.invited@{DOMAIN}").user == ivy
