"""Error pages under production settings (DEBUG off): each in the site's layout, none leaking
anything, the 400, 500 and 503 pages without touching the database or the request."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from actions import home
from winterplan import errors

pytestmark = pytest.mark.django_db

PLAN = "cheshire-east-2020-21"


def _in_layout(response, heading):
    page = response.content.decode()
    assert 'class="wpt-header"' in page and 'class="govuk-footer"' in page, page[:500]
    assert "/static/css/app.css" in page
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in page
    assert "Traceback" not in page and "MISSING[" not in page
    return page


def test_debug_is_off_as_in_production(settings):
    assert settings.DEBUG is False


def test_404_for_an_anonymous_visitor_is_the_styled_page():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    page = _in_layout(response, "Page not found")
    assert "Sign out" not in page


def test_404_for_another_councils_plan_is_the_styled_page_with_who_is_signed_in(
    halton_officer_client,
):
    response = halton_officer_client.get(f"/plans/{PLAN}/")
    assert response.status_code == 404
    assert "Sign out" in _in_layout(response, "Page not found")


def test_403_for_a_committee_member_is_the_styled_page(committee_client):
    url = reverse("actions:key-area-edit", args=[PLAN, "seasonal-flu-vaccines"])
    response = committee_client.post(url, {"narrative": "x"})
    assert response.status_code == 403
    _in_layout(response, "You cannot do that")


def test_a_form_without_its_csrf_token_answers_the_styled_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "officer", "password": "x"})
    assert response.status_code == 403
    page = _in_layout(response, "The form was out of date")
    assert "CSRF" not in page  # Django's plain page names the mechanism, not what to do


def test_400_for_a_bad_host_is_the_styled_page():
    response = Client().get("/login/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    _in_layout(response, "Sorry, the request could not be understood")


def test_500_is_the_styled_page_for_a_signed_in_user(officer_client, monkeypatch):
    def broken(self):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(home.PlanListView, "get_queryset", broken)
    officer_client.raise_request_exception = False
    response = officer_client.get("/plans/")
    assert response.status_code == 500
    page = _in_layout(response, "Sorry, there is a problem with the service")
    assert "secret detail" not in page


def test_500_and_503_render_without_a_request_context_or_the_database(
    django_assert_num_queries,
):
    """The database (or what a context processor needs) may be what failed."""
    request = RequestFactory().get("/plans/")  # no session, no user, no workspace
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    assert response.status_code == 500
    _in_layout(response, "Sorry, there is a problem with the service")
    from django.db import OperationalError

    with django_assert_num_queries(0):
        try:
            raise OperationalError("database is locked")
        except OperationalError:
            busy = errors.server_error(request)
    assert busy.status_code == 503 and busy["Retry-After"] == "5"
    _in_layout(busy, "The service is busy")
