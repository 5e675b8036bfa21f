"""A return link reaches its one home's form and nothing else: every other URL of the app,
walked from the resolver, treats a visitor who opened a valid link as anonymous; no other
home can be reached with it; revoked and expired links say so, unknown ones are 404."""

import datetime

import pytest
from django.utils import timezone

from providers.models import DailyReturn, ReturnLink
from providers.return_links.services import return_link_revoke
from tests.providers.return_links.conftest import link_path, return_data
from tests.test_permission_matrix import PARAM, PUBLIC, ROUTES

pytestmark = pytest.mark.django_db


def _fill(route: str) -> str:
    """The route with Halton's slugs and id 1: a visitor who is refused is refused before any
    object is looked up (the permission matrix asks every route with real objects)."""
    def value(match):
        converter, param = match.groups()
        if converter == "int":
            return "1"
        return "halton-2020" if param == "plan_slug" else "halton"

    return "/" + PARAM.sub(value, route)


def test_a_valid_link_opens_no_other_url_of_the_app(client, token):
    assert client.get(link_path(token)).status_code == 200
    for name, route in ROUTES:
        if name in PUBLIC:
            continue
        path = _fill(route)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code == 302, (method, path, response.status_code)
            assert response["Location"].startswith("/login/"), (method, path)
    admin = client.get("/admin/")
    assert admin.status_code == 302 and "/login/" in admin["Location"]


def test_the_token_is_no_key_anywhere_else(client, token):
    """Put where another route takes a string (an invitation, an upload, an id), or sent as a
    header or a cookie, the token opens nothing."""
    assert client.get(f"/invitations/{token}/").status_code == 404
    response = client.get("/councils/halton/providers/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    client.cookies["sessionid"] = token
    response = client.get("/councils/halton/providers/returns/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_no_other_homes_return_can_be_sent_with_the_link(client, token, home, other_home):
    """The home comes from the link: a posted home, id or provider is ignored."""
    client.post(link_path(token) + f"?provider={other_home.pk}", return_data(
        provider=other_home.pk, home=other_home.pk, provider_id=other_home.pk))
    today = timezone.localdate()
    assert DailyReturn.objects.filter(provider=home, date=today).exists()
    assert not DailyReturn.objects.filter(provider=other_home, date=today).exists()


def test_another_homes_link_shows_only_that_home(client, token, home, other_home,
                                                 halton_officer):
    from providers.return_links.services import return_link_issue

    other = return_link_issue(provider=other_home, user=halton_officer, link_for=str)
    page = client.get(link_path(other.token)).content.decode()
    assert other_home.name in page and home.name not in page


def test_a_revoked_link_says_so_plainly(client, token, issued, halton_officer, home):
    return_link_revoke(link=issued.link, user=halton_officer)
    for response in (client.get(link_path(token)), client.post(link_path(token), return_data())):
        assert response.status_code == 410
        assert "This link no longer works" in response.content.decode()
        assert "withdrew" in response.content.decode()
    assert not DailyReturn.objects.filter(provider=home, date=timezone.localdate()).exists()


def test_an_expired_link_says_so_plainly(client, token, issued, home):
    ReturnLink.objects.filter(pk=issued.link.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=91),
        expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(link_path(token))
    assert response.status_code == 410 and "expired on" in response.content.decode()


def test_a_link_expires_after_the_days_it_was_issued_for(issued, settings):
    link = issued.link
    assert (link.expires_at - link.created_at) == datetime.timedelta(
        days=settings.RETURN_LINK_VALID_DAYS) == datetime.timedelta(days=90)


@pytest.mark.parametrize("bad", [
    "x", "A" * 43, "A" * 42, "A" * 44, "%00" * 15, "..%2F..%2Fadmin", "' OR 1=1 --aaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaa", "é" * 43,
])
def test_an_unknown_or_malformed_token_is_404_and_gives_no_hint(client, token, bad):
    response = client.get(link_path(bad))
    assert response.status_code == 404
    assert "expired" not in response.content.decode()
    assert "revoked" not in response.content.decode()


def test_the_token_is_stored_only_as_its_hash(issued, token):
    import hashlib

    stored = ReturnLink.objects.get(pk=issued.link.pk)
    assert len(token) >= 43  # 32 random bytes: 256 bits
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ReturnLink.objects.filter(pk=stored.pk).values().get())
