"""The fictitious provider registers carry the seeds' counts; bad provider data is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum

from providers.models import Provider

pytestmark = pytest.mark.django_db


def _counts(slug):
    providers = Provider.objects.filter(council__slug=slug)
    rows = providers.values("provider_type").annotate(n=Count("id"))
    return {row["provider_type"]: row["n"] for row in rows}


def test_cheshire_east_counts_match_the_report():
    counts = _counts("cheshire-east")
    assert counts["care_home_residential"] + counts["care_home_nursing"] == 92
    assert counts["care_at_home"] == 59
    assert counts["complex_care"] == 73
    prime = Provider.objects.filter(council__slug="cheshire-east", prime_provider=True)
    assert prime.count() == 8
    assert set(prime.values_list("provider_type", flat=True)) == {"care_at_home"}


def test_halton_has_25_care_homes_with_771_beds():
    homes = Provider.objects.filter(council__slug="halton")
    assert homes.care_homes().count() == homes.count() == 25
    assert homes.aggregate(beds=Sum("registered_beds"))["beds"] == 771
    assert homes.filter(client_group="older_people").count() == 15
    assert homes.filter(client_group="specialist").count() == 10
    assert homes.filter(council_run=True).count() == 5


def test_the_sample_is_marked_fictitious_once_by_its_council_not_in_every_name():
    from winterplan.models import Council

    assert not Provider.objects.filter(name__contains="sample").exists()
    for council in Council.objects.filter(providers__isnull=False).distinct():
        assert "fictitious" in council.sample_notice


@pytest.mark.parametrize("cqc_id", ["12345", "1-", "1-12a", "2-123", " 1-123", "1-123\n"])
def test_a_malformed_cqc_location_id_is_refused(cqc_id):
    provider = Provider.objects.first()
    provider.cqc_location_id = cqc_id
    with pytest.raises(ValidationError) as error:
        provider.full_clean()
    assert "cqc_location_id" in error.value.message_dict


def test_negative_beds_are_refused_by_validation_and_by_the_database():
    home = Provider.objects.care_homes().first()
    home.registered_beds = -1
    with pytest.raises(ValidationError) as error:
        home.full_clean()
    assert "registered_beds" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        home.save()


def test_beds_on_a_care_at_home_provider_are_refused():
    agency = Provider.objects.filter(provider_type="care_at_home").first()
    agency.registered_beds = 10
    with pytest.raises(ValidationError) as error:
        agency.full_clean()
    assert "Only care homes" in str(error.value)


def test_every_halton_home_has_a_business_continuity_plan():
    homes = Provider.objects.filter(council__slug="halton")
    assert homes.filter(business_continuity_plan__received_on__isnull=False).count() == 25


def test_halton_has_a_week_of_daily_returns_with_the_seeds_fields():
    from providers.models import DailyReturn

    returns = DailyReturn.objects.filter(provider__council__slug="halton")
    dates = sorted(set(returns.values_list("date", flat=True)))
    assert [d.isoformat() for d in (dates[0], dates[-1])] == ["2020-07-09", "2020-07-15"]
    assert returns.count() == 25 * 7 - 3  # one home silent for two days, one late once
    assert returns.filter(resident_cases__gt=0).count() == 1
    assert not returns.exclude(provider__provider_type__startswith="care_home").exists()


def test_both_councils_have_an_infection_control_fund_round_with_a_rule_of_100_percent():
    from providers.models import IcfRound

    for icf_round in IcfRound.objects.all():
        assert sum(share.percent for share in icf_round.shares.all()) == 100
        assert sum(t.amount for t in icf_round.tranches.all()) == icf_round.allocation
    assert set(IcfRound.objects.values_list("council__slug", flat=True)) == {
        "cheshire-east", "halton"}


def test_halton_holds_the_issues_escalation_triggers_as_data():
    from providers.models import EscalationRule

    rules = EscalationRule.objects.filter(council__slug="halton")
    assert [(r.metric, r.comparison, r.threshold, r.outcome) for r in rules] == [
        ("ppe_days", "lt", 2, "amber"),
        ("ppe_days", "lt", 1, "red"),
        ("essential_service_impact", "yes", None, "red"),
        ("new_cases", "gte", 1, "outbreak"),
        ("days_without_return", "gte", 2, "amber"),
    ]
