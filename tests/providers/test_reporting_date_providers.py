"""Provider pages judge dates on the same reporting date as the plan pages: the register's
plan reviews, a provider's plan, the returns screen's day and the highlight report's week."""

import datetime

import pytest
from django.utils import timezone

from providers.models import BusinessContinuityPlan

pytestmark = pytest.mark.django_db
REGISTER = "/councils/cheshire-east/providers/"


def overdue_on(day) -> int:
    return BusinessContinuityPlan.objects.filter(
        provider__council__slug="cheshire-east", next_review_due__lt=day).count()


def test_the_register_judges_reviews_overdue_on_the_reporting_date(officer_client):
    plan_day = datetime.date(2020, 10, 14)
    assert overdue_on(plan_day) < overdue_on(timezone.localdate())  # the dates differ

    response = officer_client.get(REGISTER)
    assert response.context["bcp"].overdue == overdue_on(plan_day)
    overdue = officer_client.get(REGISTER + "?bcp=review_overdue")
    assert overdue.context["filter"].qs.count() == overdue_on(plan_day)

    today = officer_client.get(REGISTER + "?as_at=today")
    assert today.context["bcp"].overdue == overdue_on(timezone.localdate())


def test_a_providers_plan_is_overdue_as_at_the_reporting_date(officer_client):
    plan = BusinessContinuityPlan.objects.filter(
        provider__council__slug="cheshire-east", next_review_due__gt=datetime.date(2020, 10, 14),
        received_on__isnull=False).first()
    url = f"{REGISTER}{plan.provider_id}/"
    assert officer_client.get(url).context["plan_state"] != "review_overdue"
    assert officer_client.get(url + "?as_at=today").context["plan_state"] == "review_overdue"


def test_the_returns_screen_opens_on_the_latest_day_with_returns(halton_officer_client):
    response = halton_officer_client.get("/councils/halton/providers/returns/")
    assert response.status_code == 200
    assert response.context["date"] == datetime.date(2020, 7, 15)
    assert response.context["received"] > 0


def test_a_council_without_returns_opens_on_its_reporting_date(officer_client):
    response = officer_client.get("/councils/cheshire-east/providers/returns/")
    assert response.context["date"] == datetime.date(2020, 10, 14)
    report = officer_client.get("/councils/cheshire-east/providers/highlight-report/")
    assert report.context["report"].week_ending == datetime.date(2020, 10, 14)
