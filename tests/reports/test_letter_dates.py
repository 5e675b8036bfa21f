"""The DHSC letter's dates: dated on the plan's reporting date unless its manager dates it,
approved only as the draft version read, sent on or after its date; sending completes the
plan's action that answers the ask for the letter."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionStatus, LocalAction, LocalPlan
from reports.contexts import proposed_key_issues_for
from reports.models import DhscLetter
from tests.reports.pdftools import pdf_text
from winterplan.models import User

pytestmark = pytest.mark.django_db


def url(name, plan):
    return reverse(f"reports:{name}", args=[plan.slug])


def save_draft(client, plan, **extra):
    response = client.post(url("letter-edit", plan), {
        "reference": "ASC/2020/1", "key_issues": "\n".join(proposed_key_issues_for(plan)),
        "version": 0, **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    return DhscLetter.objects.get(local_plan=plan)


def approved(client, plan, dated="30/10/2020"):
    letter = save_draft(client, plan)
    response = client.post(url("letter-approve", plan), {"version": letter.version,
                                                         "dated": dated})
    assert response.status_code == 302, response.content.decode()[:2000]
    return DhscLetter.objects.get(local_plan=plan)


def field_value(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page).group(1)


def letter_action(plan):
    return LocalAction.objects.for_plan(plan).get(requirements__asks_for_letter=True)


def test_an_approval_without_the_version_read_is_refused(manager_client, plan):
    save_draft(manager_client, plan)
    response = manager_client.post(url("letter-approve", plan), {"dated": "30/10/2020"})
    assert response.status_code == 409
    assert "did not say which version of the letter was read" in response.content.decode()
    assert DhscLetter.objects.get(local_plan=plan).state == DhscLetter.State.DRAFT


def test_a_letter_never_saved_as_a_draft_cannot_be_approved_unseen(manager_client, plan):
    response = manager_client.post(url("letter-approve", plan), {"version": 0,
                                                                 "dated": "30/10/2020"})
    assert response.status_code in (302, 400, 409)
    assert not DhscLetter.objects.filter(local_plan=plan).exists()
    page = manager_client.get(url("letter-approve", plan))
    assert page.status_code == 302 and page["Location"] == url("letter-edit", plan)


def test_a_draft_is_dated_on_the_plans_reporting_date_not_the_day_it_is_viewed(manager_client,
                                                                              plan):
    page = " ".join(manager_client.get(url("dhsc-letter", plan)).content.decode().split())
    assert "14/10/2020" in page
    assert f"{timezone.localdate():%d/%m/%Y}" not in page
    form = manager_client.get(url("letter-edit", plan)).content.decode()
    assert field_value(form, "dated") == "14/10/2020"


def test_the_manager_dates_the_letter(manager_client, plan):
    save_draft(manager_client, plan, dated="20/10/2020")
    text = pdf_text(manager_client.get(url("dhsc-letter-pdf", plan)).content)
    assert "Date: 20/10/2020" in text


def test_approval_records_the_date_given_for_a_past_winter(manager_client, plan):
    letter = approved(manager_client, plan, dated="30/10/2020")
    assert letter.state == DhscLetter.State.APPROVED
    assert letter.dated.strftime("%d/%m/%Y") == "30/10/2020"
    assert "Date: 30/10/2020" in pdf_text(bytes(letter.approved_pdf))
    form = manager_client.get(url("letter-sent", plan)).content.decode()
    assert field_value(form, "sent_on") == "30/10/2020"  # its date, not today, unless told


def test_a_letter_cannot_be_dated_in_the_future(manager_client, plan):
    letter = save_draft(manager_client, plan)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    response = manager_client.post(url("letter-approve", plan), {
        "version": letter.version, "dated": f"{tomorrow:%d/%m/%Y}"})
    assert response.status_code == 400
    assert "cannot be dated in the future" in response.content.decode()
    assert DhscLetter.objects.get(local_plan=plan).state == DhscLetter.State.DRAFT


def test_the_sent_date_cannot_be_before_the_letters_date(manager_client, plan):
    letter = approved(manager_client, plan, dated="30/10/2020")
    early = manager_client.post(url("letter-sent", plan), {"sent_on": "29/10/2020",
                                                           "version": letter.version})
    assert early.status_code == 400
    assert "before its date (30/10/2020)" in early.content.decode()
    on_time = manager_client.post(url("letter-sent", plan), {"sent_on": "30/10/2020",
                                                             "version": letter.version})
    assert on_time.status_code == 302


def test_sending_the_letter_completes_its_action_with_history(manager_client, plan):
    action = letter_action(plan)
    assert action.text.startswith("Write to Department for Health and Social Care")
    assert action.status == ActionStatus.IN_PROGRESS
    letter = approved(manager_client, plan)
    manager_client.post(url("letter-sent", plan), {"sent_on": "30/10/2020",
                                                   "version": letter.version})

    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETE
    latest = action.history.order_by("-history_date", "-history_id").first()
    assert latest.status == ActionStatus.COMPLETE
    assert latest.history_user == User.objects.get(username="manager")


def test_the_dashboard_counts_down_to_the_deadline_until_the_letter_is_sent(manager_client,
                                                                            plan):
    dashboard = reverse("actions:dashboard", args=[plan.slug])
    page = " ".join(manager_client.get(dashboard).content.decode().split())
    assert "Due 31/10/2020: <strong>17 days left</strong>" in page

    letter = approved(manager_client, plan)
    page = " ".join(manager_client.get(dashboard).content.decode().split())
    assert "days left" not in page and "Approved" in page and "dated 30/10/2020" in page

    manager_client.post(url("letter-sent", plan), {"sent_on": "30/10/2020",
                                                   "version": letter.version})
    page = " ".join(manager_client.get(dashboard).content.decode().split())
    assert "days left" not in page
    assert "Sent</strong> on 30/10/2020" in page


def test_a_plan_whose_framework_asks_for_no_letter_has_no_letter_panel(client):
    client.force_login(User.objects.get(username="halton-manager"))
    halton = LocalPlan.objects.get(slug="halton-2020")
    page = client.get(reverse("actions:dashboard", args=[halton.slug])).content.decode()
    assert "Letter to DHSC" not in page
    assert "confirmation letter deadline" not in page
