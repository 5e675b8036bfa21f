"""`POST /api/returns/` with the home's token as a bearer credential: every status it gives."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from providers.models import DailyReturn, EnteredVia, ProviderRisk, ReturnLink
from providers.return_links.services import return_link_revoke

pytestmark = pytest.mark.django_db
API = "/api/returns/"
BODY = {"resident_cases": 0, "staff_cases": 0, "vacant_beds": 3, "ppe_gloves_days": 12,
        "ppe_face_masks_days": 12, "admissions_restricted": False, "issues": "All well."}


def _post(client, token, body, **headers):
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    if token is not None:
        headers.setdefault("HTTP_AUTHORIZATION", f"Bearer {token}")
    return client.post(API, raw, content_type="application/json", **headers)


def test_a_return_is_stored_and_given_back_201(client, token, issued, home):
    response = _post(client, token, BODY)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["vacant_beds"] == 3 and data["issues"] == "All well."
    assert data["date"] == timezone.localdate().isoformat()
    assert data["entered_via"] == "api" and data["provider"]["name"] == home.name
    assert data["capacity_tracker_updated"] is True  # a missing yes/no takes its default
    stored = DailyReturn.objects.get(pk=data["id"])
    assert stored.entered_via == EnteredVia.API and stored.entered_by is None
    assert stored.return_link == issued.link
    assert stored.history.get().history_change_reason == "Sent by the provider's system (API)"
    assert ProviderRisk.objects.get(provider=home).assessed_on == timezone.localdate()


def test_the_api_needs_no_csrf_token(token):
    assert _post(Client(enforce_csrf_checks=True), token, BODY).status_code == 201


def test_a_duplicate_without_replace_is_409_and_with_replace_200(client, token, home):
    assert _post(client, token, BODY).status_code == 201
    duplicate = _post(client, token, BODY | {"vacant_beds": 7})
    assert duplicate.status_code == 409
    assert '"replace": true' in duplicate.json()["error"]
    assert duplicate.json()["existing"]["vacant_beds"] == 3
    replaced = _post(client, token, BODY | {"vacant_beds": 7, "replace": True})
    assert replaced.status_code == 200 and replaced.json()["vacant_beds"] == 7
    stored = DailyReturn.objects.get(provider=home, date=timezone.localdate())
    assert [h.vacant_beds for h in stored.history.order_by("history_date")] == [3, 7]


@pytest.mark.parametrize(("raw", "named"), [
    ("not json", "body"), (b"\xff\xfe", "body"), ("[1, 2]", "body"), ("", "body"),
])
def test_a_body_that_is_not_a_json_object_is_400(client, token, raw, named):
    response = _post(client, token, raw)
    assert response.status_code == 400 and named in response.json()["errors"]


def test_unknown_fields_are_400_and_named(client, token, home):
    response = _post(client, token, BODY | {"provider": 1, "entered_by": 2, "colour": "red"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"provider", "entered_by", "colour"}
    assert not DailyReturn.objects.filter(provider=home, date=timezone.localdate()).exists()


def test_wrong_types_and_the_forms_own_errors_are_400_by_field(client, token):
    response = _post(client, token, BODY | {"vacant_beds": "3", "admissions_restricted": "yes",
                                            "staff_cases": True, "replace": 1})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"vacant_beds", "admissions_restricted",
                                              "staff_cases", "replace"}
    response = _post(client, token, BODY | {"resident_cases": 2})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "resident_cases_confirmed_on": ["Enter the date the cases were confirmed."]}
    response = _post(client, token, BODY | {"ppe_gloves_days": -1})
    assert response.status_code == 400 and "ppe_gloves_days" in response.json()["errors"]


def test_a_day_other_than_today_is_400(client, token, settings):
    settings.RETURN_LINK_YESTERDAY_UNTIL_HOUR = 0
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    for day in (yesterday, "2020-07-15", "tomorrow", 5):
        response = _post(client, token, BODY | {"date": day})
        assert response.status_code == 400 and "date" in response.json()["errors"], day
    settings.RETURN_LINK_YESTERDAY_UNTIL_HOUR = 24
    assert _post(client, token, BODY | {"date": yesterday}).status_code == 201


@pytest.mark.parametrize("header", [
    None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "Bearer a b",
    "Bearer " + "C" * 43, "Bearer x",
])
def test_a_missing_malformed_or_unknown_token_is_401(client, token, header):
    headers = {} if header is None else {"HTTP_AUTHORIZATION": header}
    response = client.post(API, json.dumps(BODY), content_type="application/json", **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "revoked" not in response.content.decode()


def test_a_revoked_or_expired_token_is_403(client, token, issued, halton_officer):
    ReturnLink.objects.filter(pk=issued.link.pk).update(expires_at=timezone.now())
    response = _post(client, token, BODY)
    assert response.status_code == 403 and response.json()["reason"] == "expired"
    ReturnLink.objects.filter(pk=issued.link.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=1))
    return_link_revoke(link=issued.link, user=halton_officer)
    response = _post(client, token, BODY)
    assert response.status_code == 403 and response.json()["reason"] == "revoked"


def test_only_post_is_allowed(client, token):
    response = client.get(API, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 405 and response["Allow"] == "POST"


def test_hostile_text_is_stored_and_given_back_as_text(client, token):
    hostile = '<img src=x onerror=alert(1)> "; DROP TABLE providers_dailyreturn; --'
    response = _post(client, token, BODY | {"issues": hostile})
    assert response.status_code == 201 and response.json()["issues"] == hostile
    assert response["Content-Type"] == "application/json"
