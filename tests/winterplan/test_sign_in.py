"""Sign-in: the login form, throttling with a cool-off, sessions for a working day."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _login(client, password):
    return client.post("/login/", {"username": "officer", "password": password})


def test_login_with_the_demo_password_lands_on_the_plan():
    client = Client()
    response = _login(client, settings.DEMO_PASSWORD)
    assert response.status_code == 302
    assert client.get("/")["Location"] == "/plans/cheshire-east-2020-21/"


def test_wrong_password_says_so_without_saying_which_part_was_wrong():
    response = _login(Client(), "wrong")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


@override_settings(AXES_ENABLED=True)
def test_repeated_failures_lock_the_account_for_a_cool_off_then_let_it_in():
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong")
    locked = _login(client, settings.DEMO_PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()

    # After the cool-off the same person can sign in again, with no administrator involved.
    cooloff = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    AccessAttempt.objects.update(attempt_time=timezone.now() - cooloff - datetime.timedelta(
        minutes=1))
    assert _login(client, settings.DEMO_PASSWORD).status_code == 302


def _session_row(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key)


def test_reads_do_not_write_the_session_within_the_refresh_interval(officer_client):
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    officer_client.get("/plans/")  # the first request after sign-in stamps the session
    written = _session_row(officer_client).expire_date
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert officer_client.get("/plans/").status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert _session_row(officer_client).expire_date == written


def test_sessions_last_a_working_day_of_inactivity(officer_client):
    """An active user's session is renewed (at most every few minutes), so it ends only
    after eight hours without activity."""
    from django.contrib.sessions.models import Session

    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    officer_client.get("/plans/")
    key = officer_client.session.session_key
    # Seven hours of activity later: the last renewal is older than the refresh interval.
    store = officer_client.session
    store["_wpt_renewed"] -= settings.SESSION_REFRESH_SECONDS + 1
    store.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + datetime.timedelta(hours=1))
    response = officer_client.get("/plans/")
    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 60 * 60
    expiry = _session_row(officer_client).expire_date
    assert datetime.timedelta(hours=7, minutes=59) < expiry - timezone.now() <= datetime.timedelta(
        hours=8)


@override_settings(AXES_ENABLED=True, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_an_attackers_failures_do_not_lock_the_user_out_elsewhere():
    """Every request comes from the proxy's address; the client's is in X-Forwarded-For."""
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(attacker, "wrong")
    assert _login(attacker, settings.DEMO_PASSWORD).status_code == 429

    # A forged X-Forwarded-For is followed by the proxy's own entry: still the attacker.
    forged = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.66")
    assert _login(forged, settings.DEMO_PASSWORD).status_code == 429

    officer = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _login(officer, settings.DEMO_PASSWORD).status_code == 302
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("officer", "203.0.113.66")


@override_settings(AXES_ENABLED=True)
def test_without_a_trusted_proxy_x_forwarded_for_is_ignored():
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(attacker, "wrong")
    spoofing = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _login(spoofing, settings.DEMO_PASSWORD).status_code == 429
    assert _login(Client(REMOTE_ADDR="198.51.100.7"), settings.DEMO_PASSWORD).status_code == 302


def test_password_change_form_renders_and_changes_the_password(officer_client):
    assert officer_client.get("/password/").status_code == 200
    response = officer_client.post("/password/", {
        "old_password": settings.DEMO_PASSWORD,
        "new_password1": "a-much-longer-winter-password",
        "new_password2": "a-much-longer-winter-password",
    })
    assert response.status_code == 302
    assert Client().login(username="officer", password="a-much-longer-winter-password")


def test_logout_needs_a_post_and_ends_the_session(officer_client):
    assert officer_client.post("/logout/").status_code == 302
    assert officer_client.get("/plans/").status_code == 302
