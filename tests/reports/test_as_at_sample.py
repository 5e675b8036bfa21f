"""The sample's history is dated when it was true, so its documents read as at its own dates;
a date before any history gets a page that says from when the plan can be shown."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from actions.models import LocalAction
from providers.models import BusinessContinuityPlan, DailyReturn, Provider
from reports.models import CommitteeReport
from winterplan.history import day_start

pytestmark = pytest.mark.django_db

PLAN_DAY = datetime.date(2020, 10, 14)


def _url(name, plan, as_at=None):
    url = reverse(f"reports:{name}", args=[plan.slug])
    return f"{url}?as_at={as_at}" if as_at else url


@pytest.mark.parametrize("as_at", ["14/10/2020", "31/10/2020", "2020-10-14"])
@pytest.mark.parametrize("name, says", [
    ("appendix-two", "rebuilt from the change history"),
    ("committee-report", "rebuilt from the change history"),
    ("dhsc-letter", "Cheshire East Council has put in place a winter plan"),
])
def test_every_document_page_reads_as_at_the_samples_own_dates(manager_client, plan, name,
                                                                says, as_at):
    response = manager_client.get(_url(name, plan, as_at))
    assert response.status_code == 200, response.content[:500]
    assert says in " ".join(response.content.decode().split())


def test_the_letter_as_at_the_plans_date_counts_the_providers_of_that_date(manager_client, plan):
    providers = Provider.objects.filter(council=plan.council).count()
    page = manager_client.get(_url("dhsc-letter", plan, "14/10/2020")).content.decode()
    assert f"of our {providers} care providers" in " ".join(page.split())


def test_render_document_as_at_the_plans_date(plan, tmp_path):
    out = tmp_path / "appendix.html"
    call_command("render_document", "appendix-two", "--plan", plan.slug,
                 "--as-at", "2020-10-14", "-o", str(out))
    assert "Seasonal Flu Vaccines" in out.read_text(encoding="utf-8")


def test_the_samples_history_is_dated_when_it_was_true(plan):
    first_action = LocalAction.objects.for_plan(plan).order_by("pk").first()
    assert first_action.history.earliest("history_date").history_date == day_start(PLAN_DAY)
    report = CommitteeReport.objects.get(local_plan=plan)
    assert report.history.earliest("history_date").history_date == day_start(PLAN_DAY)
    halton_home = Provider.objects.filter(council__slug="halton").first()
    assert halton_home.history.earliest("history_date").history_date == day_start(
        datetime.date(2020, 5, 1))
    review = BusinessContinuityPlan.objects.filter(reviewed_on__isnull=False).first()
    assert review.history.earliest("history_date").history_date == day_start(review.reviewed_on)
    daily_return = DailyReturn.objects.order_by("date").first()
    assert daily_return.history.earliest("history_date").history_date == day_start(
        daily_return.date)


def test_a_date_before_the_history_is_a_page_saying_from_when(officer_client, plan):
    response = officer_client.get(_url("appendix-two", plan, "13/10/2020"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "It can be shown as at 14/10/2020 or any later date" in page
    assert "?as_at=14/10/2020" in page
    assert '<html lang="en-GB"' in page  # the site's layout, not a bare error


def test_a_pdf_before_the_history_is_a_styled_page_too(officer_client, plan):
    response = officer_client.get(_url("appendix-two-pdf", plan, "01/09/2020"))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "It can be shown as at 14/10/2020 or any later date" in page
    assert "govuk-heading-l" in page


def test_render_document_before_the_history_says_from_when(plan, tmp_path):
    with pytest.raises(CommandError, match="14/10/2020"):
        call_command("render_document", "appendix-two", "--plan", plan.slug,
                     "--as-at", "2020-10-13", "-o", str(tmp_path / "a.html"))


def test_an_imported_return_is_history_from_its_own_day():
    from providers.services.returns_import import REQUIRED_COLUMNS, daily_returns_import

    halton = Provider.objects.filter(council__slug="halton", provider_type__startswith="care_home")
    home = halton.first()
    cells = dict.fromkeys(REQUIRED_COLUMNS, "")
    cells.update({"cqc_location_id": home.cqc_location_id, "date": "2020-07-20"})
    content = (",".join(REQUIRED_COLUMNS) + "\n" + ",".join(cells[c] for c in REQUIRED_COLUMNS)
               + "\n").encode()
    daily_returns_import(council=home.council, filename="day.csv", content=content)

    stored = DailyReturn.objects.get(provider=home, date=datetime.date(2020, 7, 20))
    assert stored.history.get().history_date == day_start(datetime.date(2020, 7, 20))
    assert stored.history.get().history_date < timezone.now()
