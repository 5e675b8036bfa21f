"""The loaded 2020/21 plan holds the seed's real content, in the seed's order."""

import datetime

import pytest

from actions.models import (
    Commentary,
    KeyArea,
    LocalAction,
    LocalKeyArea,
    LocalPlan,
    NationalPlan,
    Requirement,
)

pytestmark = pytest.mark.django_db

PLAN = "dhsc-asc-winter-plan-2020-21"

#: DOMAIN.md's list of Appendix two's 27 tables, by part and theme.
EXPECTED_TABLES = [
    ("local_authority", "Preventing and Controlling the Spread of Infection in Care Settings", [
        "Guidance on Infection Prevention and Outbreak Management",
        "Managing Staff Movement",
        "Personal Protective Equipment",
        "COVID-19 Testing",
        "Seasonal Flu Vaccines",
    ]),
    ("local_authority", "Collaboration across Health and Care Services", [
        "Safe Discharge from NHS settings and Preventing Avoidable Admissions",
        "Social Prescribing",
    ]),
    ("local_authority", "Supporting people who receive social care, the workforce, and carers "
     "(Supporting independence and quality of life)", [
        "Visiting Guidance",
        "Direct Payments",
        "Support for Unpaid Carers",
        "End-of-life Care",
        "Care Act Easements",
        "Supporting the workforce",
        "Supporting the wellbeing of the workforce",
        "Workforce Capacity",
        "Shielding and People who are Clinically Extremely Vulnerable",
        "Social Work and other Professional Leadership",
    ]),
    ("local_authority", "Supporting the System", [
        "Funding",
        "Market and Provider Sustainability",
        "CQC Support: Emergency Support Framework and Sharing Best Practice",
        "Local, Regional and National Oversight and Support",
    ]),
    ("nhs", "NHS Organisations Actions", [
        "Guidance on Infection Prevention and Outbreak Management",
        "COVID-19 Testing",
        "Seasonal Flu Vaccines",
        "Enhanced Health in Care Homes",
        "Technology and Digital Support",
        "Acute Hospital Admissions",
    ]),
]


def _actions(key_area_title: str, part: str = "local_authority"):
    return LocalAction.objects.filter(
        local_key_area__local_plan__slug="cheshire-east-2020-21",
        local_key_area__key_area__title=key_area_title,
        local_key_area__key_area__theme__part=part,
    ).order_by("position")


def test_national_plan_has_27_tables_in_the_seed_themes_and_order():
    plan = NationalPlan.objects.get(slug=PLAN)
    actual = [
        (theme.part, theme.title, [area.title for area in theme.key_areas.order_by("position")])
        for theme in plan.themes.order_by("position")
    ]
    assert actual == EXPECTED_TABLES
    assert KeyArea.objects.filter(national_plan=plan).count() == 27


def test_national_plan_facts():
    plan = NationalPlan.objects.get(slug=PLAN)
    assert plan.publisher == "Department of Health and Social Care"
    assert plan.published_on == datetime.date(2020, 9, 18)
    assert plan.confirmation_deadline == datetime.date(2020, 10, 31)
    assert plan.source_url.startswith("https://www.gov.uk/government/publications/")


def test_every_table_has_requirements_verbatim_under_their_audience_lines():
    requirements = Requirement.objects.filter(key_area__national_plan__slug=PLAN)
    assert not KeyArea.objects.filter(national_plan__slug=PLAN, requirements=None).exists()
    discharge = requirements.filter(key_area__slug="safe-discharge").order_by("position")
    assert discharge[0].audience == (
        "Local authorities and Clinical Commissioning Groups (CCGs) should work together to:"
    )
    assert discharge[0].text.startswith("Jointly commission care packages for those discharged")
    assert discharge.filter(audience="Local authorities additionally:").exists()
    visiting = requirements.get(key_area__slug="visiting-guidance", position=1)
    assert visiting.audience == "Directors of Public Health should:"
    oversight = requirements.get(key_area__slug="oversight-and-support", position=1)
    assert oversight.text.startswith("Write to Department for Health and Social Care by 31 October")
    assert "business continuity plans" in oversight.text
    assert requirements.filter(audience="PCNs should:").count() == 3


def test_every_key_area_of_the_local_plan_has_its_team_line():
    areas = LocalKeyArea.objects.filter(local_plan__slug="cheshire-east-2020-21")
    assert areas.count() == 27
    assert not areas.filter(responsible_team="").exists()
    assert areas.get(key_area__slug="managing-staff-movement").responsible_team == (
        "Quality Assurance/Finance/Audit"
    )
    assert areas.get(key_area__slug="oversight-and-support").responsible_team == (
        "Care Home Resilience Group/ Quality Assurance"
    )


def test_seasonal_flu_has_the_pharmacies_action_due_16_october_owned_by_public_health():
    (action,) = _actions("Seasonal Flu Vaccines")
    assert action.text == "Collate a list of pharmacies available as a local vaccination venue."
    assert action.deadline == datetime.date(2020, 10, 16)
    assert not action.deadline_ongoing
    assert action.team.name == "Public Health"
    assert action.local_key_area.responsible_team == "Public Health"


def test_safe_discharge_has_four_actions_with_their_deadlines():
    deadlines = [action.deadline_display for action in _actions(
        "Safe Discharge from NHS settings and Preventing Avoidable Admissions")]
    assert deadlines == ["31/10/2020", "31/10/2020", "30/11/2020", "30/10/2020"]


def test_oversight_has_the_action_to_write_to_dhsc_by_31_october():
    (action,) = _actions("Local, Regional and National Oversight and Support")
    assert action.text.startswith("Write to Department for Health and Social Care to confirm")
    assert action.deadline == datetime.date(2020, 10, 31)


def test_local_plan_has_the_seed_actions_and_deadlines():
    actions = LocalAction.objects.filter(local_key_area__local_plan__slug="cheshire-east-2020-21")
    assert actions.count() == 19
    dates = {a.deadline for a in actions if not a.deadline_ongoing}
    october = {datetime.date(2020, 10, day) for day in (16, 30, 31)}
    assert dates == october | {datetime.date(2020, 11, 30)}
    assert actions.filter(deadline_ongoing=True).count() == 8


def test_commentary_bullets_and_links_sit_in_the_right_table():
    ce = Commentary.objects.filter(local_key_area__local_plan__slug="cheshire-east-2020-21")
    flu = ce.filter(local_key_area__key_area__slug="seasonal-flu-vaccines").order_by("position")
    assert flu[0].text.startswith("All staff will be eligible for their flu vaccine")
    discharge = ce.filter(local_key_area__key_area__slug="safe-discharge")
    sub_bullet = "Weekly multi agency rapid discharge"
    assert discharge.filter(indent=1, text__startswith=sub_bullet).exists()
    wellbeing = ce.get(local_key_area__key_area__slug="wellbeing-of-the-workforce", position=1)
    assert "https://www.cheshireeast.gov.uk/livewell/" in wellbeing.text
    contain = Requirement.objects.get(key_area__slug="infection-prevention-outbreak-management",
                                      key_area__national_plan__slug=PLAN, position=2)
    assert contain.links.get().url.startswith(
        "https://www.gov.uk/government/publications/containing-and-managing-local-coronavirus")


def test_narrative_per_area_comes_from_the_report():
    flu = LocalKeyArea.objects.get(
        local_plan__slug="cheshire-east-2020-21", key_area__slug="seasonal-flu-vaccines"
    )
    assert flu.narrative.startswith("The policy paper places emphasis on the importance")
    with_narrative = LocalKeyArea.objects.filter(
        local_plan__slug="cheshire-east-2020-21"
    ).exclude(narrative="")
    assert with_narrative.count() == 23


def test_halton_forward_plan_items_are_ongoing_actions_without_invented_dates():
    plan = LocalPlan.objects.get(slug="halton-2020")
    assert plan.council.slug == "halton"
    areas = [area.key_area.title for area in plan.key_areas.select_related("key_area")]
    assert areas == [
        "Infection Prevention and Control",
        "NHS Clinical Support",
        "Testing",
        "Oversight & Compliance",
        "Workforce",
        "Funding",
    ]
    actions = LocalAction.objects.for_plan(plan)
    assert actions.count() == 24
    assert not actions.filter(deadline_ongoing=False).exists()
    assert not actions.filter(deadline__isnull=False).exists()
