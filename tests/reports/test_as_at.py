"""Documents “as at” a past moment are rebuilt from the change history."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from actions.models import Commentary, LocalAction
from reports.selectors import NotYetCreated, end_of_day, plan_snapshot
from tests.reports.conftest import render_now
from tests.reports.factories import LocalActionFactory, tiny_plan
from tests.reports.pdftools import pdf_text

pytestmark = pytest.mark.django_db

FLU_ACTION = "Collate a list of pharmacies available as a local vaccination venue."


@pytest.fixture
def history_two_days_old(plan):
    """The sample data's history, moved back two days; returns yesterday's date."""
    from django.apps import apps

    for label in ("actions.LocalPlan", "actions.LocalKeyArea", "actions.LocalAction",
                  "actions.ActionLink", "actions.Commentary", "actions.CommentaryLink",
                  "actions.RequirementAssessment", "reports.CommitteeReport",
                  "reports.ReportSection", "reports.AppendixLink", "providers.Provider",
                  "providers.BusinessContinuityPlan"):
        apps.get_model(label).history.update(
            history_date=F("history_date") - datetime.timedelta(days=2))
    return timezone.localdate() - datetime.timedelta(days=1)


def test_the_page_as_at_yesterday_shows_the_status_before_todays_change(
    officer_client, plan, history_two_days_old
):
    action = LocalAction.objects.for_plan(plan).get(text=FLU_ACTION)
    action.status = "complete"
    action.save()
    url = reverse("reports:appendix-two", args=[plan.slug])  # the working copy shows status

    now = officer_client.get(f"{url}?status=1").content.decode()
    then = officer_client.get(
        f"{url}?as_at={history_two_days_old:%d/%m/%Y}&status=1").content.decode()

    flu_then = then[then.index(FLU_ACTION):][:400]
    flu_now = now[now.index(FLU_ACTION):][:400]
    assert "Status: In progress" in flu_then
    assert "Complete" in flu_now and "Status: In progress" not in flu_now
    assert "rebuilt from the change history" in then
    assert f"{history_two_days_old:%Y-%m-%d}" in then  # the PDF link keeps the date


def test_a_pdf_as_at_a_moment_shows_the_old_status_and_the_old_bullets(db):
    plan = tiny_plan(commentary="A bullet that will be deleted later.")
    moment = timezone.now()
    action = LocalAction.objects.get(local_key_area__local_plan=plan)
    action.status = "complete"
    action.save()
    Commentary.objects.filter(local_key_area__local_plan=plan).delete()
    LocalActionFactory(local_key_area=action.local_key_area, position=2,
                       text="An action added afterwards.")

    then = pdf_text(render_now("appendix-two", plan, as_at=moment, options={"status"}))
    now = pdf_text(render_now("appendix-two", plan, options={"status"}))

    assert "Status: In progress" in then and "Complete" not in then
    assert "A bullet that will be deleted later." in then
    assert "An action added afterwards." not in then
    assert "rebuilt from the change history" in then
    assert "Complete" in now
    assert "A bullet that will be deleted later." not in now
    assert "An action added afterwards." in now


def test_overdue_is_judged_on_the_as_at_date(plan, history_two_days_old):
    live = plan_snapshot(plan)
    then = plan_snapshot(plan, as_at=end_of_day(history_two_days_old))
    flu_live = next(a for area in live.areas for a in area.actions if a.text == FLU_ACTION)
    flu_then = next(a for area in then.areas for a in area.actions if a.text == FLU_ACTION)
    assert live.reporting_date == datetime.date(2020, 10, 14) and not flu_live.overdue
    assert then.reporting_date == history_two_days_old and flu_then.overdue


def test_before_the_plan_existed_there_is_nothing_to_show(officer_client, plan):
    with pytest.raises(NotYetCreated):
        plan_snapshot(plan, as_at=end_of_day(datetime.date(2019, 1, 1)))
    url = reverse("reports:appendix-two-pdf", args=[plan.slug])
    response = officer_client.get(f"{url}?as_at=2019-01-01")
    assert response.status_code == 400
    assert b"has no record before the end of 01/01/2019" in response.content


@pytest.mark.parametrize("value", ["yesterday", "31/02/2020", "2999-01-01"])
def test_a_bad_or_future_date_is_refused(officer_client, plan, value):
    url = reverse("reports:appendix-two", args=[plan.slug])
    response = officer_client.get(f"{url}?as_at={value}")
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()


def test_the_command_renders_a_document_as_at_a_date(plan, history_two_days_old, tmp_path):
    output = tmp_path / "letter.pdf"
    call_command("render_document", "dhsc-letter", "--plan", plan.slug,
                 "--as-at", f"{history_two_days_old:%Y-%m-%d}", "-o", str(output))
    text = pdf_text(output.read_bytes())
    assert "Cheshire East Council has put in place a winter plan" in text
    assert f"Date: {history_two_days_old:%d/%m/%Y}" in text
