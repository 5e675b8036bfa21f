"""The provider's own page: today's return with no account, the staff form's validation and
escalation, a second return the same day replacing the first with history, never a user."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from providers.models import DailyReturn, EnteredVia, ProviderRisk
from tests.providers.return_links.conftest import link_path, return_data

pytestmark = pytest.mark.django_db


def test_the_link_opens_todays_return_for_its_home_without_signing_in(client, token, home):
    response = client.get(link_path(token))
    assert response.status_code == 200
    body = response.content.decode()
    assert home.name in body and timezone.localdate().strftime("%d/%m/%Y") in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"  # the token never leaves the site
    assert "sessionid" not in response.cookies


def test_a_return_sent_by_link_names_the_channel_and_the_link_never_a_user(client, token, issued,
                                                                           home):
    response = client.post(link_path(token), return_data(issues="Agency nurse booked."))
    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    stored = DailyReturn.objects.get(provider=home, date=timezone.localdate())
    assert stored.entered_via == EnteredVia.LINK and stored.return_link == issued.link
    assert stored.entered_by is None and stored.issues == "Agency nurse booked."
    record = stored.history.get()
    assert record.history_user is None
    assert record.history_change_reason == "Entered by the provider via link"
    issued.link.refresh_from_db()
    assert issued.link.last_used_at is not None
    assert "Thank you" in client.get(response["Location"]).content.decode()


def test_a_signed_in_officer_opening_the_link_is_not_named_either(halton_officer_client, token,
                                                                  home):
    """The page acts for the link: history never names whoever is signed in in the browser."""
    page = halton_officer_client.get(link_path(token)).content.decode()
    assert "Sign out" not in page
    halton_officer_client.post(link_path(token), return_data())
    stored = DailyReturn.objects.get(provider=home, date=timezone.localdate())
    assert stored.entered_by is None and stored.history.get().history_user is None


def test_a_second_return_the_same_day_replaces_the_first_and_keeps_it_in_history(client, token,
                                                                                 home):
    client.post(link_path(token), return_data(vacant_beds="2"))
    page = client.get(link_path(token)).content.decode()
    assert "already in" in page and 'value="2"' in page  # the form shows what was sent
    client.post(link_path(token), return_data(vacant_beds="5"))
    stored = DailyReturn.objects.get(provider=home, date=timezone.localdate())
    assert stored.vacant_beds == 5 and stored.version == 2
    history = list(stored.history.order_by("history_date"))
    assert [h.vacant_beds for h in history] == [2, 5]
    assert {h.entered_via for h in history} == {EnteredVia.LINK}
    assert all(h.history_user is None for h in history)


def test_a_provider_replacing_an_officers_return_is_recorded_as_the_provider(
        client, token, home, halton_officer):
    officer_return = DailyReturn.objects.create(provider=home, date=timezone.localdate(),
                                                entered_by=halton_officer, vacant_beds=1)
    client.post(link_path(token), return_data(vacant_beds="3"))
    officer_return.refresh_from_db()
    assert officer_return.entered_via == EnteredVia.LINK and officer_return.entered_by is None
    assert officer_return.vacant_beds == 3


def test_the_staff_forms_validation_applies_and_nothing_is_saved(client, token, home):
    response = client.post(link_path(token), return_data(resident_cases="2",
                                                         ppe_gloves_days="lots"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter the date the cases were confirmed." in body
    assert "Enter a whole number of days." in body
    assert not DailyReturn.objects.filter(provider=home, date=timezone.localdate()).exists()


def test_the_return_is_assessed_as_a_staff_return_would_be(client, token, home, other_home,
                                                           halton_officer_client):
    """The same answers by link and on the staff form give the two homes the same RAG and
    reasons: the escalation rules ran for both."""
    values = {"ppe_gloves_days": "1", "essential_service_impact": "on"}
    client.post(link_path(token), return_data(**values))
    today = timezone.localdate().strftime("%d/%m/%Y")
    staff = return_data(**values, version="")
    staff.pop("day")
    response = halton_officer_client.post(
        f"/councils/halton/providers/returns/{other_home.pk}/?date={today}", staff)
    assert response.status_code == 302
    by_link = ProviderRisk.objects.get(provider=home)
    by_staff = ProviderRisk.objects.get(provider=other_home)
    assert by_link.assessed_on == timezone.localdate()
    assert by_link.rag == by_staff.rag == "red"
    assert by_link.reasons == by_staff.reasons and by_link.reasons


def test_hostile_text_is_stored_as_text_and_shown_escaped(client, token, home):
    hostile = '<script>alert("x")</script> =HYPERLINK("http://evil") {{ secret }} \' OR 1=1 --'
    client.post(link_path(token), return_data(issues=hostile, overview=hostile))
    stored = DailyReturn.objects.get(provider=home, date=timezone.localdate())
    assert stored.issues == hostile and stored.overview == hostile
    page = client.get(link_path(token)).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_the_last_return_is_shown_and_can_be_copied_forward(client, token, home):
    last = DailyReturn.objects.filter(provider=home).order_by("-date").first()
    page = client.get(link_path(token)).content.decode()
    assert f"Your last return, for {last.date:%d/%m/%Y}" in page
    copied = client.get(link_path(token) + "?copy=last").context["form"]
    assert copied["ppe_gloves_days"].value() == last.ppe_gloves_days
    assert not DailyReturn.objects.filter(provider=home, date=timezone.localdate()).exists()


def test_yesterday_is_offered_until_the_cut_off_then_refused(client, token, home, settings):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    settings.RETURN_LINK_YESTERDAY_UNTIL_HOUR = 24  # the cut-off not reached yet
    assert "send yesterday's return" in client.get(link_path(token)).content.decode()
    client.post(link_path(token), return_data(day="yesterday"))
    assert DailyReturn.objects.filter(provider=home, date=yesterday).exists()
    settings.RETURN_LINK_YESTERDAY_UNTIL_HOUR = 0  # past the cut-off
    assert "send yesterday's return" not in client.get(link_path(token)).content.decode()
    response = client.post(link_path(token), return_data(day="yesterday", vacant_beds="9"))
    assert response.status_code == 400
    assert "could be sent until 0:00" in response.content.decode()
    assert DailyReturn.objects.get(provider=home, date=yesterday).vacant_beds == 2
    assert not DailyReturn.objects.filter(provider=home, date=timezone.localdate()).exists()


def test_the_form_still_needs_its_csrf_token(token, home):
    client = Client(enforce_csrf_checks=True)
    response = client.post(link_path(token), return_data())
    assert response.status_code == 403
    assert not DailyReturn.objects.filter(provider=home, date=timezone.localdate()).exists()
