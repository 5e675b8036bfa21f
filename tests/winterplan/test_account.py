"""“Your account” (/account/): who you are, and the reminders choice saved with history."""

import pytest
from django.test import Client

from winterplan.models import User

pytestmark = pytest.mark.django_db


def test_account_page_shows_name_email_role_and_council(officer_client):
    user = User.objects.get(username="officer")
    user.email = "officer@cheshireeast.example"
    user.save()
    page = officer_client.get("/account/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1 class=\"govuk-heading-l\">Your account</h1>" in html
    assert "officer@cheshireeast.example" in html
    assert ">Officer</dd>" in html
    assert ">Cheshire East Council</dd>" in html
    assert 'name="reminders_enabled"' in html and "checked" in html
    assert "E-mail me reminders" in html


def test_turning_reminders_off_and_on_is_saved_with_who_did_it(committee_client):
    user = User.objects.get(username="committee")
    assert user.reminders_enabled

    response = committee_client.post("/account/", {})
    assert response.status_code == 302 and response["Location"] == "/account/"
    user.refresh_from_db()
    assert not user.reminders_enabled
    latest = user.history.latest()
    assert (latest.reminders_enabled, latest.history_user_id) == (False, user.pk)
    assert latest.history_change_reason == "Your account: e-mail reminders off"
    assert 'checked' not in committee_client.get("/account/").content.decode().split(
        'name="reminders_enabled"')[1].split(">")[0]

    committee_client.post("/account/", {"reminders_enabled": "on"})
    user.refresh_from_db()
    assert user.reminders_enabled
    assert user.history.latest().history_change_reason == "Your account: e-mail reminders on"


def test_saving_the_same_choice_writes_no_history(manager_client):
    user = User.objects.get(username="manager")
    before = user.history.count()
    manager_client.post("/account/", {"reminders_enabled": "on"})
    assert user.history.count() == before


def test_the_header_links_to_your_account(officer_client):
    html = officer_client.get("/plans/").content.decode()
    assert '<a href="/account/">Your account</a>' in html


def test_anonymous_visitors_are_sent_to_sign_in():
    response = Client().get("/account/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
