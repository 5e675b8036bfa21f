"""The councils fixture as data: every English council with adult social care
responsibilities, its ONS code, ADASS region and lifetime."""

import datetime
import re
from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from winterplan.models import Council, Region

pytestmark = pytest.mark.django_db

TODAY_BY_REGION = {
    "north-east": 12, "north-west": 24, "yorkshire-and-the-humber": 15, "east-midlands": 10,
    "west-midlands": 14, "eastern": 11, "london": 33, "south-east": 19, "south-west": 15,
}


def _by_region(day):
    return Counter(Council.objects.active_on(day).values_list("region__slug", flat=True))


def test_there_are_the_nine_adass_regions():
    assert set(Region.objects.values_list("slug", flat=True)) == set(TODAY_BY_REGION)


def test_153_councils_today_by_region():
    assert _by_region(datetime.date(2026, 12, 2)) == TODAY_BY_REGION
    assert Council.objects.active_on(datetime.date(2026, 12, 2)).count() == 153


def test_151_councils_on_the_2020_21_reporting_date():
    """14/10/2020: Cumbria and Northamptonshire, not their successors (151, the Isles of Scilly
    and the City of London included: Bournemouth, Poole and Dorset became two councils in
    2019 and Buckinghamshire one in 2020)."""
    on = datetime.date(2020, 10, 14)
    active = set(Council.objects.active_on(on).values_list("slug", flat=True))
    assert len(active) == 151
    assert {"cumbria", "northamptonshire", "buckinghamshire"} <= active
    assert not active & {"cumberland", "westmorland-and-furness", "north-northamptonshire",
                         "west-northamptonshire"}
    assert _by_region(on) == TODAY_BY_REGION | {"north-west": 23, "east-midlands": 9}


def test_152_councils_between_the_northamptonshire_and_cumbria_reorganisations():
    assert Council.objects.active_on(datetime.date(2021, 4, 1)).count() == 152
    assert Council.objects.active_on(datetime.date(2023, 3, 31)).count() == 152
    assert Council.objects.active_on(datetime.date(2023, 4, 1)).count() == 153


def test_codes_are_unique_well_formed_and_every_council_has_a_region():
    codes = list(Council.objects.values_list("gss_code", flat=True))
    assert len(codes) == len(set(codes)) == 155
    assert all(re.fullmatch(r"E(06|08|09|10)\d{6}", code) for code in codes)
    assert not Council.objects.filter(region__isnull=True).exists()


def test_the_sample_councils_keep_their_details_and_carry_their_codes():
    cheshire_east = Council.objects.get(slug="cheshire-east")
    assert (cheshire_east.gss_code, cheshire_east.region.name) == ("E06000049", "North West")
    assert cheshire_east.name == "Cheshire East Council" and cheshire_east.dass_name
    halton = Council.objects.get(gss_code="E06000006")
    assert halton.slug == "halton" and halton.region.slug == "north-west"


def test_a_council_without_a_plan_has_no_invented_address():
    london = Council.objects.get(gss_code="E09000001")
    assert (london.name, london.address, london.dass_name) == ("City of London", "", "")
    assert not london.local_plans.exists()


def test_a_bad_code_or_an_end_before_the_start_is_refused():
    council = Council(name="Nowhere", slug="nowhere", gss_code="E07000001")
    with pytest.raises(ValidationError) as error:
        council.full_clean()
    assert "gss_code" in error.value.message_dict
    council = Council(name="Nowhere", slug="nowhere", started_on=datetime.date(2023, 4, 1),
                      ended_on=datetime.date(2023, 3, 31))
    with pytest.raises(ValidationError):
        council.full_clean()


def test_second_load_with_update_writes_no_council(django_db_blocker):
    from winterplan.sample_data import sample_data_load

    report = sample_data_load(update=True, demo_users=True)
    assert report.written.get("councils", 0) == 0 and report.written.get("regions", 0) == 0
