"""Infection Control Fund allocations: both seeds' rules, exact to the penny."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from providers.models import AllocationKind, IcfAllocation, IcfSpendingReturn, IcfTranche
from providers.selectors import icf_tranche_totals
from providers.services.funding import (
    icf_payments_record,
    icf_spending_return_save,
    icf_tranche_allocate,
)
from providers.services.money import largest_remainder, to_pennies
from tests.providers.factories import homes

pytestmark = pytest.mark.django_db


def test_largest_remainder_gives_the_left_over_pennies_to_the_largest_fractions():
    assert largest_remainder(100, [1, 1, 1]) == [34, 33, 33]
    assert largest_remainder(1000, [Decimal("80"), Decimal("20")]) == [800, 200]
    assert largest_remainder(10, [3, 3, 4]) == [3, 3, 4]
    assert largest_remainder(7, [1, 2]) == [2, 5]  # 2.33 and 4.67: the .67 gets the penny


def test_largest_remainder_refuses_weights_that_share_nothing():
    with pytest.raises(ValueError):
        largest_remainder(100, [0, 0])


def test_fractions_of_a_penny_are_refused_not_rounded():
    with pytest.raises(ValidationError):
        to_pennies(Decimal("1.005"))


@given(
    total=st.integers(min_value=0, max_value=10**11),
    weights=st.lists(st.integers(min_value=0, max_value=10**4), min_size=1, max_size=60)
    .filter(any),
)
def test_largest_remainder_always_sums_exactly_and_stays_within_a_penny(total, weights):
    parts = largest_remainder(total, weights)
    assert sum(parts) == total
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - Fraction(total * weight, whole)) < 1


def _tranche(slug, round_slug, number):
    return IcfTranche.objects.select_related("round").get(
        round__council__slug=slug, round__slug=round_slug, number=number)


def test_cheshire_east_round_2_passes_on_80_and_20_percent_holding_back_5_percent_of_20():
    tranche = _tranche("cheshire-east", "round-2", 1)
    totals = icf_tranche_totals(tranche)
    assert tranche.amount == Decimal("2355000.00")
    assert totals.total == tranche.amount and totals.reconciles
    assert totals.held_back == Decimal("23550.00")  # 5% of the 20% (£471,000)
    assert totals.to_providers == Decimal("2331450.00")
    assert totals.unallocated == 0
    by_share = {}
    for allocation in tranche.allocations.select_related("share"):
        by_share.setdefault(allocation.share.position, Decimal("0"))
        by_share[allocation.share.position] += allocation.amount
    assert by_share == {0: Decimal("1884000.00"), 1: Decimal("471000.00")}
    assert totals.providers == 224  # every care home, care at home and complex care provider


def test_cheshire_east_pays_a_bed_and_a_person_supported_at_the_same_rate():
    tranche = _tranche("cheshire-east", "round-2", 1)
    rule = tranche.allocations.filter(share__position=0, kind=AllocationKind.PROVIDER)
    units = sum(rule.values_list("units", flat=True))
    for allocation in rule.select_related("provider")[:50]:
        exact = Fraction(188400000 * allocation.units, units)  # pennies
        assert abs(to_pennies(allocation.amount) - exact) < 1
        if allocation.provider.is_care_home:
            assert allocation.units == allocation.provider.registered_beds
        else:
            assert allocation.units == allocation.provider.people_supported


def test_halton_pays_75_percent_per_registered_bed_and_25_percent_to_home_care_and_supported_living(
    halton,
):
    homes(halton, 3, provider_type="care_at_home", people_supported=90)
    homes(halton, 2, provider_type="supported_living", people_supported=15)
    tranche = _tranche("halton", "round-1", 2)
    outcome = icf_tranche_allocate(tranche=tranche)
    assert outcome.written
    totals = icf_tranche_totals(tranche)
    assert totals.total == tranche.amount == Decimal("506000.00")
    assert totals.held_back == 0 and totals.unallocated == 0
    beds = tranche.allocations.filter(share__position=0)
    assert sum(a.amount for a in beds) == Decimal("379500.00")
    assert {a.provider.provider_type for a in beds} <= {"care_home_residential",
                                                        "care_home_nursing"}
    assert sum(a.units for a in beds) == 771
    community = tranche.allocations.filter(share__position=1).select_related("provider")
    assert sum(a.amount for a in community) == Decimal("126500.00")
    amounts = {a.provider.provider_type: a.amount for a in community}
    assert amounts["care_at_home"] == Decimal("126500.00") * 90 / 300
    assert amounts["supported_living"] == Decimal("126500.00") * 15 / 300


def test_halton_sample_keeps_the_discretionary_quarter_as_not_allocated():
    totals = icf_tranche_totals(_tranche("halton", "round-1", 2))
    assert totals.unallocated == Decimal("126500.00")
    assert totals.to_providers == Decimal("379500.00")
    assert totals.reconciles


def test_a_second_allocation_with_the_same_data_writes_nothing():
    tranche = _tranche("cheshire-east", "round-2", 1)
    ids = set(tranche.allocations.values_list("pk", flat=True))
    outcome = icf_tranche_allocate(tranche=tranche)
    assert not outcome.written
    assert set(tranche.allocations.values_list("pk", flat=True)) == ids


def test_a_paid_schedule_cannot_be_recalculated(halton):
    tranche = _tranche("halton", "round-1", 1)
    assert tranche.allocations.filter(paid_on__isnull=False).exists()
    homes(halton, 1)  # a new home would change the schedule
    with pytest.raises(ValidationError) as error:
        icf_tranche_allocate(tranche=tranche)
    assert "Payments are recorded" in error.value.messages[0]


def test_a_rule_that_does_not_add_up_to_100_percent_is_refused():
    tranche = _tranche("cheshire-east", "round-2", 2)
    share = tranche.round.shares.get(position=1)
    share.percent = Decimal("25")
    share.save()
    with pytest.raises(ValidationError) as error:
        icf_tranche_allocate(tranche=tranche)
    assert "105%" in error.value.messages[0]


def test_a_payment_run_cannot_be_dated_in_the_future_or_before_the_money_arrived():
    tranche = _tranche("cheshire-east", "round-2", 2)
    tranche.received_on = datetime.date(2020, 12, 1)
    tranche.save()
    icf_tranche_allocate(tranche=tranche)
    with pytest.raises(ValidationError) as error:
        icf_payments_record(tranche=tranche, paid_on=datetime.date(2099, 1, 1), reference="")
    assert "paid_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        icf_payments_record(tranche=tranche, paid_on=datetime.date(2020, 11, 1), reference="")
    paid = icf_payments_record(tranche=tranche, paid_on=datetime.date(2020, 12, 4),
                               reference="T2")
    assert paid == tranche.allocations.filter(kind=AllocationKind.PROVIDER).count()


def test_a_spending_return_cannot_claim_more_than_was_paid_nor_return_more_than_unspent():
    allocation = IcfAllocation.objects.filter(
        tranche__round__slug="round-1", tranche__round__council__slug="halton",
        paid_on__isnull=False).select_related("provider", "tranche__round").first()
    icf_round, provider = allocation.tranche.round, allocation.provider
    day = datetime.date(2020, 9, 28)
    with pytest.raises(ValidationError) as error:
        icf_spending_return_save(round=icf_round, provider=provider, data={
            "submitted_on": day, "spent": allocation.amount + 1})
    assert "spent" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        icf_spending_return_save(round=icf_round, provider=provider, data={
            "submitted_on": day, "spent": allocation.amount - 10, "returned": Decimal("11"),
            "returned_on": day})
    assert "returned" in error.value.message_dict
    saved = icf_spending_return_save(round=icf_round, provider=provider, data={
        "submitted_on": day, "spent": allocation.amount - 10, "returned": Decimal("10"),
        "returned_on": day, "restricted_staff_movement": True})
    assert IcfSpendingReturn.objects.get(pk=saved.pk).returned == Decimal("10.00")


def test_the_schedule_page_shows_totals_and_exports_csv_that_sums_to_the_tranche(officer_client):
    url = "/councils/cheshire-east/providers/funding/round-2/tranches/1/"
    page = officer_client.get(url)
    assert page.status_code == 200
    assert "Reconciles with the tranche" in page.getvalue().decode()
    export = officer_client.get(url + "?_export=csv")
    lines = export.getvalue().decode().strip().splitlines()
    amount_column = lines[0].split(",").index("Amount")
    import csv

    rows = list(csv.reader(lines[1:]))
    assert sum(Decimal(row[amount_column]) for row in rows) == Decimal("2355000.00")


def test_the_schedule_pdf_comes_from_the_documents_pipeline(officer_client):
    from io import BytesIO

    from pypdf import PdfReader

    response = officer_client.get(
        "/councils/cheshire-east/providers/funding/round-2/tranches/1/schedule.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert "Allocation schedule: tranche 1" in text
    assert "£2,355,000.00" in text


def test_a_committee_member_reads_the_schedule_but_cannot_allocate_or_pay(committee_client):
    base = "/councils/cheshire-east/providers/funding/round-2/tranches/1/"
    assert committee_client.get(base).status_code == 200
    assert committee_client.post(base + "allocate/").status_code == 403
    assert committee_client.post(base, {"paid_on": "01/11/2020"}).status_code == 403


def test_a_bad_payment_date_is_a_field_error(officer_client):
    base = "/councils/cheshire-east/providers/funding/round-2/tranches/2/"
    officer_client.post(base + "allocate/")
    response = officer_client.post(base, {"paid_on": "31/02/2020", "reference": "x"})
    assert response.status_code == 400
    assert "Enter a real date" in response.getvalue().decode()
