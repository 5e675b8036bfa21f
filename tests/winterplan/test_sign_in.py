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


def test_sessions_last_a_working_day_of_inactivity(officer_client):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    officer_client.get("/plans/")
    expiry = officer_client.session.get_expiry_date()
    assert datetime.timedelta(hours=7, minutes=59) < expiry - timezone.now() <= datetime.timedelta(
        hours=8)


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
