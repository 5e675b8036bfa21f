"""Out-of-range input is a field error or a sensible page, never a 500 nor a stored absurdity:
page numbers on every table, dates at the edges on every date query parameter and form, ids
too large for the database, and text past its limit."""

import datetime
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from actions.models import LocalKeyArea
from providers.models import BusinessContinuityPlan, DailyReturn, IcfAllocation, Provider
from reports.models import CommitteeReport
from winterplan.models import Team

pytestmark = pytest.mark.django_db
PLAN = "cheshire-east-2020-21"
CE = "/councils/cheshire-east/providers/"
TABLES = [f"/plans/{PLAN}/actions/", CE]
HUGE_ID = str(10**23)
IMPLAUSIBLE_DATE = "Enter a date between 01/01/2000 and 31/12/2100."
EDGE_DATES = ["01/01/0001", "0001-01-01", "31/12/9999", "9999-12-31", "31/12/1999",
              "01/01/2101"]
FEW = hypothesis_settings(max_examples=25, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture])


def _uk(day: datetime.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _plausible(day: datetime.date) -> bool:
    return datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31)


@pytest.mark.parametrize("url", TABLES)
@pytest.mark.parametrize("page", ["99999999999999999999", "100001", "-1", "0", "abc", "1.5",
                                  "9" * 5000, "2"])
def test_any_page_number_shows_a_page_of_the_table(officer_client, url, page):
    response = officer_client.get(f"{url}?page={quote(page)}")
    assert response.status_code == 200


@pytest.mark.parametrize("url", TABLES)
@FEW
@given(page=st.one_of(st.integers(min_value=-10**30, max_value=10**30).map(str), st.text()))
def test_no_page_parameter_answers_500(officer_client, url, page):
    assert officer_client.get(url, {"page": page}).status_code == 200


DATE_PAGES = [
    # (url, parameter): a date in the query string of a page everyone reads.
    (f"{CE}returns/", "date"),
    (f"{CE}highlight-report/", "week_ending"),
    (f"{CE}highlight-report.pdf", "week_ending"),
    (f"/plans/{PLAN}/documents/", "as_at"),
    (f"/plans/{PLAN}/documents/appendix-two/", "as_at"),
]


@pytest.mark.parametrize(("url", "name"), DATE_PAGES)
@pytest.mark.parametrize("value", EDGE_DATES)
def test_an_implausible_date_in_the_query_is_a_400_naming_the_range(
        officer_client, url, name, value):
    response = officer_client.get(url, {name: value})
    assert response.status_code == 400
    assert IMPLAUSIBLE_DATE in response.content.decode()


@pytest.mark.parametrize(("url", "name"), DATE_PAGES[:2])
@FEW
@given(day=st.dates())
def test_no_date_in_the_query_answers_500(officer_client, url, name, day):
    response = officer_client.get(url, {name: _uk(day)})
    assert response.status_code in (200, 400)
    if not _plausible(day):
        assert response.status_code == 400


@pytest.mark.parametrize("value", EDGE_DATES)
def test_the_risk_log_refuses_to_assess_as_at_an_implausible_date(officer_client, value):
    response = officer_client.post(f"{CE}risk-log/", {"as_at": value})
    assert response.status_code == 400
    assert IMPLAUSIBLE_DATE in response.content.decode()


def _home(council_slug="cheshire-east") -> Provider:
    return Provider.objects.filter(council__slug=council_slug,
                                   provider_type__startswith="care_home").order_by("pk").first()


def test_implausible_dates_are_never_stored(officer_client, manager_client):
    home = _home()
    year_one = "01/01/0001"
    response = officer_client.post(f"{CE}{home.pk}/continuity-plan/", {
        "received_on": year_one, "reviewed_on": "", "next_review_due": "31/12/9999"})
    assert response.status_code == 400
    assert not BusinessContinuityPlan.objects.filter(
        provider=home, received_on__lt=datetime.date(2000, 1, 1)).exists()

    response = officer_client.post(f"{CE}{home.pk}/returns/new/", {
        "date": year_one, "resident_cases": "0", "staff_cases": "0"})
    assert response.status_code == 400 and IMPLAUSIBLE_DATE in response.content.decode()
    response = officer_client.post(f"{CE}{home.pk}/returns/new/", {
        "date": "15/07/2020", "resident_cases": "1", "resident_cases_confirmed_on": year_one,
        "staff_cases": "0"})
    assert response.status_code == 400
    assert not DailyReturn.objects.filter(date__lt=datetime.date(2000, 1, 1)).exists()
    assert not DailyReturn.objects.filter(
        resident_cases_confirmed_on__lt=datetime.date(2000, 1, 1)).exists()

    tranche = f"{CE}funding/round-2/tranches/2/"
    officer_client.post(tranche + "allocate/")
    response = officer_client.post(tranche, {"paid_on": year_one, "reference": "x"})
    assert response.status_code == 400 and IMPLAUSIBLE_DATE in response.content.decode()
    assert not IcfAllocation.objects.filter(paid_on__lt=datetime.date(2000, 1, 1)).exists()

    report = CommitteeReport.objects.filter(local_plan__slug=PLAN).first()
    response = manager_client.post(
        f"/plans/{PLAN}/documents/committee-report/edit/details/",
        {"title": "Winter plan", "committee": "Scrutiny", "meeting_date": year_one,
         "version": report.version if report else ""})
    assert response.status_code == 400 and IMPLAUSIBLE_DATE in response.content.decode()
    assert not CommitteeReport.objects.filter(
        meeting_date__lt=datetime.date(2000, 1, 1)).exists()


def test_an_action_deadline_must_be_plausible(officer_client):
    area = LocalKeyArea.objects.filter(local_plan__slug=PLAN).select_related("key_area").first()
    team = Team.objects.filter(council__slug="cheshire-east").first()
    response = officer_client.post(
        f"/plans/{PLAN}/areas/{area.key_area.slug}/actions/new/",
        {"text": "Check every plan", "team": team.pk, "deadline_type": "date",
         "deadline": "01/01/0001", "status": "not_started"})
    assert response.status_code == 400
    assert IMPLAUSIBLE_DATE in response.content.decode()


@pytest.mark.parametrize("name", ["requirements", "team", "owner"])
def test_an_id_too_large_for_the_database_is_a_field_error_in_the_action_form(
        officer_client, name):
    area = (LocalKeyArea.objects.filter(local_plan__slug=PLAN, key_area__requirements__isnull=False)
            .select_related("key_area").first())
    team = Team.objects.filter(council__slug="cheshire-east").first()
    data = {"text": "Check every plan", "team": team.pk, "deadline_type": "ongoing",
            "status": "not_started", name: HUGE_ID}
    response = officer_client.post(
        f"/plans/{PLAN}/areas/{area.key_area.slug}/actions/new/", data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("name", ["team", "owner", "theme", "key_area"])
def test_an_id_too_large_for_the_database_in_a_filter_shows_the_table(officer_client, name):
    assert officer_client.get(f"/plans/{PLAN}/actions/", {name: HUGE_ID}).status_code == 200


@pytest.mark.parametrize("home", [HUGE_ID, "-1", "1e5"])
def test_a_returns_page_naming_a_home_id_too_large_is_refused_not_a_500(officer_client, home):
    response = officer_client.post(f"{CE}returns/?date=15/07/2020", {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-home": home})
    assert response.status_code == 302
    assert not DailyReturn.objects.filter(date=datetime.date(2020, 7, 15),
                                          provider__council__slug="cheshire-east",
                                          updated_at__date=datetime.date.today()).exists()


def test_a_100000_character_narrative_is_refused(officer_client):
    area = LocalKeyArea.objects.filter(local_plan__slug=PLAN).select_related("key_area").first()
    response = officer_client.post(
        f"/plans/{PLAN}/areas/{area.key_area.slug}/edit/",
        {"narrative": "x" * 100_000, "responsible_team": "Quality Assurance",
         "version": area.version})
    assert response.status_code == 400
    assert "at most 10000 characters" in response.content.decode().replace(",", "")
    area.refresh_from_db()
    assert len(area.narrative) < 100_000


def test_a_daily_returns_text_past_its_limit_is_a_row_error():
    from providers.services.imports import ImportRefused
    from providers.services.returns_import import REQUIRED_COLUMNS, daily_returns_import

    home = _home("halton")
    cells = dict.fromkeys(REQUIRED_COLUMNS, "") | {
        "cqc_location_id": home.cqc_location_id, "date": "01/06/2020", "resident_cases": "0",
        "staff_cases": "0"}
    header = [*REQUIRED_COLUMNS, "issues"]
    content = (",".join(header) + "\n" + ",".join(cells[c] for c in REQUIRED_COLUMNS)
               + "," + "x" * 5000 + "\n").encode()
    with pytest.raises(ImportRefused) as refused:
        daily_returns_import(council=home.council, filename="d.csv", content=content)
    assert [(e.row, e.field) for e in refused.value.result.errors] == [(2, "issues")]


@pytest.mark.parametrize("value", ["01/01/0001", "31/12/9999"])
def test_an_imported_return_dated_implausibly_is_a_row_error(value):
    from providers.services.imports import ImportRefused
    from providers.services.returns_import import REQUIRED_COLUMNS, daily_returns_import

    home = _home("halton")
    cells = dict.fromkeys(REQUIRED_COLUMNS, "") | {
        "cqc_location_id": home.cqc_location_id, "date": value, "resident_cases": "0",
        "staff_cases": "0"}
    content = (",".join(REQUIRED_COLUMNS) + "\n" + ",".join(cells[c] for c in REQUIRED_COLUMNS)
               + "\n").encode()
    with pytest.raises(ImportRefused) as refused:
        daily_returns_import(council=home.council, filename="d.csv", content=content)
    assert [(e.row, e.field) for e in refused.value.result.errors] == [(2, "date")]


def test_a_form_body_over_the_request_limit_answers_400_before_the_view(officer_client):
    area = LocalKeyArea.objects.filter(local_plan__slug=PLAN).select_related("key_area").first()
    response = officer_client.post(
        f"/plans/{PLAN}/areas/{area.key_area.slug}/edit/",
        {"narrative": "x" * 3_000_000, "version": area.version})
    assert response.status_code == 400
    assert "10000 characters" not in response.content.decode().replace(",", "")


def test_a_form_with_too_many_fields_answers_400(officer_client):
    response = officer_client.post(f"{CE}returns/?date=15/07/2020",
                                   {f"field-{n}": "1" for n in range(2100)})
    assert response.status_code == 400
