"""The DHSC confirmation letter: its content from data, key issues, and its workflow
(draft -> approved, frozen as a stored PDF -> sent)."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Compliance, LocalAction, RequirementAssessment
from providers.models import BusinessContinuityPlan, Provider
from reports import services
from reports.contexts import proposed_key_issues_for
from reports.models import DhscLetter
from reports.selectors import letter_state
from reports.services import EditConflict
from tests.reports.pdftools import pdf_text

pytestmark = pytest.mark.django_db

LETTER_URLS = ["dhsc-letter", "dhsc-letter-pdf", "letter-edit", "letter-approve", "letter-sent"]


def url(name, plan, **query):
    path = reverse(f"reports:{name}", args=[plan.slug])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def letter_pdf(client, plan, **query) -> bytes:
    response = client.get(url("dhsc-letter-pdf", plan, **query))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def approve(client, plan, dated="30/10/2020"):
    """Save the proposed letter as a draft, then approve that version, dated `dated`."""
    client.post(url("letter-edit", plan), {
        "reference": "ASC/2020/1", "key_issues": "\n".join(proposed_key_issues_for(plan)),
        "version": 0})
    version = DhscLetter.objects.get(local_plan=plan).version
    return client.post(url("letter-approve", plan), {"version": version, "dated": dated})


def review_plans_of(providers, day=datetime.date(2020, 10, 1)):
    for provider in providers:
        BusinessContinuityPlan.objects.update_or_create(
            provider=provider,
            defaults={"received_on": day, "reviewed_on": day, "outcome": "adequate"},
        )


def reviewed_count(council) -> int:
    return BusinessContinuityPlan.objects.filter(
        provider__council=council, reviewed_on__isnull=False).count()


def test_the_letter_confirms_the_plan_with_provider_figures_and_key_issues(manager_client, plan):
    council = plan.council
    review_plans_of(Provider.objects.filter(council=council).order_by("pk")[:3])
    providers = Provider.objects.filter(council=council).count()
    red = Provider.objects.filter(council=council, risk_rating="red").order_by("name")

    text = pdf_text(letter_pdf(manager_client, plan))

    assert "Cheshire East Council" in text
    assert "Westfields Middlewich Road Sandbach" in text
    assert "Department of Health and Social Care 39 Victoria Street" in text
    assert "Cheshire East Council has put in place a winter plan" in text
    assert "working with the care providers in our area on their business continuity plans" in text
    assert (f"we have reviewed the business continuity plans of {reviewed_count(council)} of our "
            f"{providers} care providers") in text
    assert "our plan considers the recommendations of the Winter Plan" in text
    assert "involved NHS and voluntary and community sector organisations" in text
    assert "second instalment of the Infection Control Fund" in text
    assert "Key issues" in text
    assert f"{red.count()} providers are rated red on our COVID-19 risk log" in text
    assert red.first().name in text
    assert (f"{providers - reviewed_count(council)} of our {providers} care providers do not yet "
            "have a reviewed business continuity plan") in text
    assert council.dass_name in text
    assert "Draft: not yet approved" in text


def test_the_provider_figures_follow_the_data(manager_client, plan):
    before = reviewed_count(plan.council)
    unreviewed = Provider.objects.filter(
        council=plan.council, business_continuity_plan__reviewed_on__isnull=True
    ).first() or Provider.objects.filter(council=plan.council,
                                         business_continuity_plan__isnull=True).first()
    review_plans_of([unreviewed])
    text = pdf_text(letter_pdf(manager_client, plan))
    assert f"we have reviewed the business continuity plans of {before + 1} of our" in text


def test_overdue_actions_and_unmet_requirements_are_proposed_as_key_issues(plan):
    action = LocalAction.objects.for_plan(plan).get(text__startswith="Collate a list of pharmacies")
    action.deadline = datetime.date(2020, 10, 1)
    action.save()
    assessment = RequirementAssessment.objects.filter(local_plan=plan).first()
    assessment.compliance = Compliance.NOT_MET
    assessment.save()

    issues = proposed_key_issues_for(plan)

    assert any("Collate a list of pharmacies" in issue and "was due 01/10/2020" in issue
               for issue in issues)
    assert any(issue.startswith(f"{assessment.requirement.key_area.title}: not yet met")
               for issue in issues)


def test_a_manager_edits_the_key_issues_and_they_are_printed(manager_client, plan):
    assert letter_state(plan) is None
    response = manager_client.post(url("letter-edit", plan), {
        "reference": "ASC/2020/17",
        "key_issues": "Care at home capacity in the south of the borough is fragile.\n\n"
                      "- Two homes are closed to admissions.",
        "version": 0,
    })
    assert response.status_code == 302

    letter = letter_state(plan)
    assert letter.state == "draft" and letter.get_state_display() == "Draft"
    assert letter.approved_at is None and letter.sent_on is None
    text = pdf_text(letter_pdf(manager_client, plan))
    assert "Care at home capacity in the south of the borough is fragile." in text
    assert "Two homes are closed to admissions." in text
    assert "ASC/2020/17" in text


def test_an_approved_letter_is_frozen_and_downloads_the_same_bytes(manager_client, plan):
    response = approve(manager_client, plan)
    assert response.status_code == 302
    letter = DhscLetter.objects.get(local_plan=plan)
    assert letter.state == "approved" and letter.approved_at is not None
    stored = bytes(letter.approved_pdf)
    assert hashlib.sha256(stored).hexdigest() == letter.approved_pdf_sha256
    assert "Draft" not in pdf_text(stored)
    assert "Date: 30/10/2020" in pdf_text(stored)

    first = letter_pdf(manager_client, plan)
    action = LocalAction.objects.for_plan(plan).get(text__startswith="Collate a list of pharmacies")
    action.status = "complete"
    action.save()
    Provider.objects.filter(council=plan.council).update(risk_rating="red")
    review_plans_of(Provider.objects.filter(council=plan.council)[:5])

    assert letter_pdf(manager_client, plan) == first == stored
    page = manager_client.get(url("dhsc-letter", plan)).content.decode()
    assert "the approved letter exactly as it was approved" in page
    assert "Draft: not yet approved" not in page


def test_an_approved_letter_cannot_be_changed(manager_client, plan):
    approve(manager_client, plan)
    version = DhscLetter.objects.get(local_plan=plan).version
    response = manager_client.post(url("letter-edit", plan), {
        "reference": "changed", "key_issues": "", "version": version})
    assert response.status_code == 400
    assert DhscLetter.objects.get(local_plan=plan).reference != "changed"


def test_the_sent_date_is_recorded_after_approval_only(manager_client, plan):
    response = manager_client.post(url("letter-sent", plan), {"sent_on": "30/10/2020"})
    assert response.status_code == 400  # not approved yet
    assert "Only an approved letter can be recorded as sent." in response.content.decode()
    assert letter_state(plan) is None

    approve(manager_client, plan, dated="31/10/2020")
    version = DhscLetter.objects.get(local_plan=plan).version
    early = manager_client.post(url("letter-sent", plan), {"sent_on": "30/10/2020",
                                                           "version": version})
    assert early.status_code == 400
    future = timezone.localdate() + datetime.timedelta(days=1)
    later = manager_client.post(url("letter-sent", plan), {"sent_on": f"{future:%d/%m/%Y}",
                                                           "version": version})
    assert later.status_code == 400

    today = timezone.localdate()
    response = manager_client.post(url("letter-sent", plan), {"sent_on": f"{today:%d/%m/%Y}",
                                                              "version": version})
    assert response.status_code == 302
    letter = letter_state(plan)
    assert (letter.state, letter.get_state_display(), letter.sent_on) == ("sent", "Sent", today)


def test_a_stale_edit_is_refused_with_the_other_change(plan, django_user_model):
    manager = django_user_model.objects.get(username="manager")
    services.letter_update(plan=plan, user=manager, data={"reference": "A"}, expected_version=0)
    services.letter_update(plan=plan, user=manager, data={"reference": "B"}, expected_version=1)
    with pytest.raises(EditConflict) as conflict:
        services.letter_update(plan=plan, user=manager, data={"reference": "C"},
                               expected_version=1)
    assert [(c.old, c.new) for c in conflict.value.changes] == [("A", "B")]


@pytest.mark.parametrize("name", LETTER_URLS)
@pytest.mark.parametrize("role_client", ["officer_client", "committee_client"])
def test_only_managers_see_or_change_the_letter(request, plan, name, role_client):
    client = request.getfixturevalue(role_client)
    assert client.get(url(name, plan)).status_code == 403
    assert client.post(url(name, plan), {"version": 0}).status_code == 403
    assert not DhscLetter.objects.filter(local_plan=plan).exists()


def test_another_councils_manager_gets_not_found(client, plan, django_user_model):
    client.force_login(django_user_model.objects.get(username="halton-manager"))
    assert client.get(url("dhsc-letter-pdf", plan)).status_code == 404


def test_providers_made_red_by_the_escalation_rules_are_key_issues():
    """Halton's sample returns make two homes red although the register rates them otherwise."""
    from providers.models import Provider
    from reports.selectors import provider_figures
    from winterplan.models import Council

    halton = Council.objects.get(slug="halton")
    red = provider_figures(halton).red
    assert {"Birch Manor", "Poplar Grange"} <= set(red)
    register = dict(Provider.objects.filter(
        name__in=["Birch Manor", "Poplar Grange"]
    ).values_list("name", "risk_rating"))
    assert "red" not in register.values()  # red only through the escalation rules


def test_the_sample_is_marked_once_on_the_letter_not_after_every_provider(manager_client, plan):
    text = pdf_text(letter_pdf(manager_client, plan))
    assert "(sample)" not in text
    assert text.count("are fictitious") == 1
