"""One “today” per page: the plan's reporting date unless the user picks another with
`?as_at=`, said in the header, carried by the navigation and used by every part of the page."""

import datetime

import pytest

from actions.models import LocalPlan
from actions.selectors import parse_as_at, reporting_date

pytestmark = pytest.mark.django_db
PLAN = "cheshire-east-2020-21"


def squashed(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_rule_the_date_asked_for_else_the_plans_else_today():
    plan = LocalPlan.objects.get(slug=PLAN)
    assert reporting_date(plan=plan).date == datetime.date(2020, 10, 14)
    assert reporting_date(plan=plan).source == "plan"
    chosen = reporting_date(plan=plan, asked="31/10/2020")
    assert (chosen.date, chosen.chosen, chosen.query) == (
        datetime.date(2020, 10, 31), True, "as_at=31/10/2020")
    assert reporting_date(plan=plan, asked="2020-10-31").date == datetime.date(2020, 10, 31)
    refused = reporting_date(plan=plan, asked="not a date")
    assert (refused.date, refused.refused) == (datetime.date(2020, 10, 14), "not a date")
    assert parse_as_at("01/01/0001") is None  # out of range is no date, not an error
    assert reporting_date(plan=None).source == "clock"


@pytest.mark.parametrize("path", [
    f"/plans/{PLAN}/", f"/plans/{PLAN}/actions/", f"/plans/{PLAN}/areas/",
    f"/plans/{PLAN}/documents/appendix-two/", "/councils/cheshire-east/providers/",
    "/councils/cheshire-east/providers/risk-log/",
])
def test_every_page_says_its_reporting_date_in_the_header(officer_client, path):
    page = squashed(officer_client.get(path))
    assert ("Dates judged as at <strong>14/10/2020</strong> (the plan’s reporting date)"
            in page)
    assert 'name="as_at"' in page and "Change<span" in page


def test_a_chosen_date_is_said_used_and_carried_by_the_navigation(officer_client):
    response = officer_client.get(f"/plans/{PLAN}/?as_at=31/10/2020")
    page = squashed(response)
    assert "Dates judged as at <strong>31/10/2020</strong> (the date chosen)" in page
    assert f'href="/plans/{PLAN}/actions/?as_at=31/10/2020"' in page
    assert 'href="/councils/cheshire-east/providers/?as_at=31/10/2020"' in page
    overdue = response.context["dashboard"].overdue
    assert [a.deadline for a in overdue] == sorted(a.deadline for a in overdue)
    assert overdue and all(a.deadline < datetime.date(2020, 10, 31) for a in overdue)
    assert response.context["letter_panel"].days_left == 0


def test_a_date_that_is_not_one_is_said_and_the_plans_date_used(officer_client):
    page = squashed(officer_client.get(f"/plans/{PLAN}/?as_at=31/13/2020"))
    assert "“31/13/2020” is not a date." in page
    assert "Dates judged as at <strong>14/10/2020</strong>" in page
