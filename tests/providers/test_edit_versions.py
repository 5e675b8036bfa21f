"""Optimistic locking on the providers' edit forms cannot be skipped: a missing or blank version
is a form error and a second editor of a provider's first continuity plan gets a conflict."""

import datetime

import pytest
from django.test import Client

from providers.models import AllocationKind, BusinessContinuityPlan, IcfTranche, Provider
from providers.services.funding import icf_tranche_allocate
from winterplan.models import User

pytestmark = pytest.mark.django_db
CE = "/councils/cheshire-east/providers/"
REVIEW = {"received_on": "01/10/2020", "reviewed_on": "05/10/2020", "outcome": "adequate",
          "next_review_due": "05/11/2020"}


def _client(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _without_plan():
    return Provider.objects.filter(council__slug="cheshire-east",
                                   business_continuity_plan__isnull=True).order_by("pk").first()


def test_two_editors_recording_a_providers_first_plan_the_second_gets_a_conflict():
    provider = _without_plan()
    url = f"{CE}{provider.pk}/continuity-plan/"
    officer, manager = _client("officer"), _client("manager")
    # Both open the form while the provider has no plan: it says so (version 0).
    for client in (officer, manager):
        assert client.get(url).context["form"].initial["version"] == 0
    assert officer.post(url, {**REVIEW, "version": 0}).status_code == 302
    response = manager.post(url, {**REVIEW, "outcome": "needs_revision", "version": 0})
    assert response.status_code == 409
    assert "after you opened the page" in response.content.decode()
    plan = BusinessContinuityPlan.objects.get(provider=provider)
    assert plan.outcome == "adequate" and plan.reviewer.username == "officer"
    assert plan.history.count() == 1


@pytest.mark.parametrize("version", [None, "", "x", "-1"])
def test_a_plan_review_without_its_version_is_refused(officer_client, version):
    provider = _without_plan()
    data = dict(REVIEW) if version is None else {**REVIEW, "version": version}
    response = officer_client.post(f"{CE}{provider.pk}/continuity-plan/", data)
    assert response.status_code == 400
    assert "did not say which version" in response.content.decode()
    assert not BusinessContinuityPlan.objects.filter(provider=provider).exists()


def test_a_plan_review_of_a_stored_plan_with_a_blank_version_does_not_overwrite(officer_client):
    plan = BusinessContinuityPlan.objects.filter(
        provider__council__slug="cheshire-east").order_by("pk").first()
    before = (plan.outcome, plan.version)
    response = officer_client.post(f"{CE}{plan.provider_id}/continuity-plan/",
                                   {**REVIEW, "outcome": "needs_revision", "version": ""})
    assert response.status_code == 400
    plan.refresh_from_db()
    assert (plan.outcome, plan.version) == before


def _provider_data(provider, **changes):
    return {
        "name": provider.name, "provider_type": provider.provider_type,
        "client_group": provider.client_group, "cqc_location_id": provider.cqc_location_id,
        "registered_beds": provider.registered_beds or "",
        "people_supported": provider.people_supported or "",
        "prime_provider": "on" if provider.prime_provider else "",
        "council_run": "on" if provider.council_run else "",
        "risk_rating": provider.risk_rating, **changes,
    }


@pytest.mark.parametrize("version", [None, ""])
def test_a_provider_edit_without_its_version_is_refused(officer_client, version):
    provider = Provider.objects.filter(council__slug="cheshire-east").order_by("pk").first()
    data = _provider_data(provider, name="Renamed without a version (sample)")
    if version is not None:
        data["version"] = version
    response = officer_client.post(f"{CE}{provider.pk}/edit/", data)
    assert response.status_code == 400
    assert "did not say which version" in response.content.decode()
    provider.refresh_from_db()
    assert provider.name != "Renamed without a version (sample)"
    # With the version it was opened at, the same edit is saved.
    data["version"] = provider.version
    assert officer_client.post(f"{CE}{provider.pk}/edit/", data).status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Renamed without a version (sample)"


def test_a_new_provider_needs_no_version(officer_client):
    response = officer_client.post(f"{CE}new/", {
        "name": "Brand New Agency (sample)", "provider_type": "care_at_home",
        "client_group": "mixed", "cqc_location_id": "1-555000777", "risk_rating": "green"})
    assert response.status_code == 302


@pytest.fixture
def unpaid_tranche():
    tranche = IcfTranche.objects.select_related("round").get(
        round__council__slug="cheshire-east", round__slug="round-2", number=2)
    tranche.received_on = datetime.date(2020, 12, 1)
    tranche.save()
    icf_tranche_allocate(tranche=tranche)
    return tranche


def _unpaid(tranche):
    return tranche.allocations.filter(kind=AllocationKind.PROVIDER, paid_on__isnull=True).count()


def test_a_payment_run_without_what_the_payer_saw_is_refused(officer_client, unpaid_tranche):
    url = f"{CE}funding/round-2/tranches/2/"
    before = _unpaid(unpaid_tranche)
    response = officer_client.post(url, {"paid_on": "04/12/2020", "reference": "T2"})
    assert response.status_code == 400
    assert "did not say which version" in response.content.decode()
    assert _unpaid(unpaid_tranche) == before > 0


def test_a_payment_run_on_a_schedule_changed_meanwhile_is_refused(officer_client,
                                                                  unpaid_tranche):
    url = f"{CE}funding/round-2/tranches/2/"
    seen = officer_client.get(url).context["payment_form"].initial["unpaid"]
    # Someone else changes what is unpaid: one allocation is paid on its own.
    first = unpaid_tranche.allocations.filter(kind=AllocationKind.PROVIDER).first()
    first.paid_on = datetime.date(2020, 12, 2)
    first.save()
    before = _unpaid(unpaid_tranche)
    response = officer_client.post(url, {"paid_on": "04/12/2020", "unpaid": seen})
    assert response.status_code == 400
    assert "changed after you opened the page" in response.content.decode()
    assert _unpaid(unpaid_tranche) == before
    # The page now carries the schedule as it is: saving again pays what is unpaid now.
    fresh = response.context["payment_form"]["unpaid"].value()
    assert fresh != seen
    response = officer_client.post(url, {"paid_on": "04/12/2020", "unpaid": fresh})
    assert response.status_code == 302
    assert _unpaid(unpaid_tranche) == 0
