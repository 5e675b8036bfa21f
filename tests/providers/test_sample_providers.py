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


def test_sample_providers_are_marked_fictitious():
    assert not Provider.objects.exclude(name__endswith="(sample)").exists()


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
