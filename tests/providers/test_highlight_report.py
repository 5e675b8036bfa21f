"""The weekly highlight report's figures come from the data, by care domain."""

import datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from providers.models import BusinessContinuityPlan, EscalationRule
from providers.selectors import highlight_report
from providers.services.escalation import escalations_evaluate
from tests.providers.factories import CouncilFactory, DailyReturnFactory, ProviderFactory

pytestmark = pytest.mark.django_db
END = datetime.date(2020, 7, 15)


def _day(offset: int) -> datetime.date:
    return END - datetime.timedelta(days=offset)


@pytest.fixture
def council():
    council = CouncilFactory()
    EscalationRule.objects.create(council=council, position=0, name="PPE low", metric="ppe_days",
                                  comparison="lt", threshold=3, outcome="amber")
    EscalationRule.objects.create(council=council, position=1, name="Case",
                                  metric="new_cases", comparison="gte", threshold=1,
                                  outcome="outbreak", lasts_days=28)
    a = ProviderFactory(council=council, name="A Home", registered_beds=10)
    b = ProviderFactory(council=council, name="B Home", registered_beds=20,
                        provider_type="care_home_nursing")
    ProviderFactory(council=council, name="C Home", registered_beds=30)
    for kind, name in [("care_at_home", "D Care"), ("care_at_home", "E Care"),
                       ("complex_care", "F Support"), ("supported_living", "G Living")]:
        ProviderFactory(council=council, name=name, provider_type=kind, registered_beds=None)
    red = ProviderFactory(council=council, name="H Extra Care", registered_beds=None,
                          provider_type="extra_care_housing", risk_rating="red")
    for offset in range(7):
        DailyReturnFactory(provider=a, date=_day(offset), vacant_beds=offset + 1,
                           ppe_gloves_days=2 if offset == 0 else 7)
    for offset in range(5):
        DailyReturnFactory(provider=b, date=_day(offset), vacant_beds=4,
                           resident_cases=2 if offset == 3 else 0,
                           resident_cases_confirmed_on=_day(3) if offset == 3 else None,
                           staff_cases=1 if offset == 3 else 0,
                           staff_cases_confirmed_on=_day(3) if offset == 3 else None)
    DailyReturnFactory(provider=b, date=_day(8), resident_cases=5,
                       resident_cases_confirmed_on=_day(8))  # the week before: not counted
    BusinessContinuityPlan.objects.create(provider=a, received_on=_day(20))
    BusinessContinuityPlan.objects.create(provider=b, received_on=_day(90), reviewed_on=_day(80),
                                          outcome="adequate", next_review_due=_day(2))
    BusinessContinuityPlan.objects.create(provider=red, received_on=_day(90),
                                          reviewed_on=_day(80), outcome="adequate",
                                          next_review_due=_day(-30))
    escalations_evaluate(council=council, as_at=END)
    return council


def test_the_figures_by_care_domain_come_from_the_data(council):
    report = highlight_report(council=council, week_ending=END)
    assert report.week_start == datetime.date(2020, 7, 9)
    domains = {d.name: d for d in report.domains}
    homes = domains["Accommodation with Care"]
    assert homes.providers == 3 and homes.registered_beds == 60
    assert homes.homes_reporting_cases == 1
    assert (homes.resident_cases, homes.staff_cases) == (2, 1)
    assert homes.outbreaks == 1
    assert homes.ppe_shortages == 1  # A's latest return: gloves 2 days, under 3
    assert homes.vacant_beds == 1 + 4  # A's latest (15/07) and B's latest
    assert (homes.returns_expected, homes.returns_received) == (21, 12)
    assert homes.returns_missing == 9
    assert homes.amber == 2 and homes.red == 0  # A for PPE, B for its outbreak
    assert homes.bcp_reviews_due == 2  # A awaits review; B's review falls due in the week
    assert domains["Care At Home"].providers == 2
    assert domains["Complex Care & Supported Living Network"].providers == 2
    extra = domains["Extra Care Housing"]
    assert extra.providers == 1 and extra.red == 1 and extra.bcp_reviews_due == 0
    assert not extra.sends_returns
    assert report.total.providers == 8 and report.total.red == 1
    assert [item.provider.name for item in report.red_providers] == ["H Extra Care"]
    assert [item.provider.name for item in report.outbreaks] == ["B Home"]
    assert report.ppe_shortages[0].detail == "gloves 2 days"
    missing = {item.provider.name: item.detail for item in report.missing_returns}
    assert missing == {"B Home": "2 of 7 missing", "C Home": "7 of 7 missing"}


def test_a_council_that_collects_no_returns_shows_no_missing_returns(cheshire_east):
    report = highlight_report(council=cheshire_east, week_ending=datetime.date(2020, 10, 14))
    assert not report.total.sends_returns
    assert report.missing_returns == [] and report.total.returns_expected == 0
    assert report.total.providers == 224


def test_the_report_page_and_its_pdf_come_through_the_documents_pipeline(halton_officer_client):
    page = halton_officer_client.get("/councils/halton/providers/highlight-report/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "COVID-19 weekly highlight report: week ending 15/07/2020" in body
    assert "Accommodation with Care" in body
    pdf = halton_officer_client.get("/councils/halton/providers/highlight-report.pdf",
                                    {"week_ending": "15/07/2020"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "halton-highlight-report-2020-07-15.pdf" in pdf["Content-Disposition"]
    text = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    assert "week ending 15/07/2020" in text and "Poplar Grange" in "".join(
        p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)


def test_a_bad_week_is_a_field_error(halton_officer_client):
    page = halton_officer_client.get("/councils/halton/providers/highlight-report/",
                                     {"week_ending": "40/07/2020"})
    assert page.status_code == 400 and "Enter a real date" in page.content.decode()
    pdf = halton_officer_client.get("/councils/halton/providers/highlight-report.pdf",
                                    {"week_ending": "nope"})
    assert pdf.status_code == 400
