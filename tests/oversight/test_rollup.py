"""The roll-up across councils: its figures, scope, bad input, export and query count."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Compliance, NationalPlan, RequirementAssessment
from providers.models import (
    BusinessContinuityPlan,
    IcfAllocation,
    IcfRound,
    IcfShare,
    IcfTranche,
    ProviderRisk,
)
from reports.models import DhscLetter
from tests.providers.factories import homes
from tests.reports.factories import (
    KeyAreaFactory,
    LocalActionFactory,
    LocalKeyAreaFactory,
    LocalPlanFactory,
    NationalPlanFactory,
    RequirementFactory,
    ThemeFactory,
)
from winterplan.models import Council, Region, User

pytestmark = pytest.mark.django_db

AS_AT = datetime.date(2020, 10, 20)
DAY = datetime.date(2020, 10, 14)


@pytest.fixture
def three_councils():
    """A region of three councils: Alpha with a full plan, Beta with a bare plan, Gamma with
    none; the national plan asks for the letter by 31/10/2020."""
    region = Region.objects.create(slug="test-region", name="Test Region")
    alpha, beta, gamma = (
        Council.objects.create(name=f"{name} Council", slug=name.lower(), region=region)
        for name in ("Alpha", "Beta", "Gamma")
    )
    national = NationalPlanFactory(slug="test-winter-plan",
                                   confirmation_deadline=datetime.date(2020, 10, 31))
    theme = ThemeFactory(national_plan=national)
    area_one = KeyAreaFactory(theme=theme, slug="one", title="One", position=1)
    area_two = KeyAreaFactory(theme=theme, slug="two", title="Two", position=2)
    asks = [RequirementFactory(key_area=area_one, position=n) for n in (1, 2, 3)]

    plan = LocalPlanFactory(council=alpha, national_plan=national, slug="alpha-plan",
                            title="Alpha winter plan")
    answered = LocalKeyAreaFactory(local_plan=plan, key_area=area_one)
    LocalKeyAreaFactory(local_plan=plan, key_area=area_two)  # no action
    LocalActionFactory(local_key_area=answered, status="complete", position=1)
    LocalActionFactory(local_key_area=answered, status="in_progress", position=2,
                       deadline=datetime.date(2020, 10, 16))  # overdue on 20/10
    LocalActionFactory(local_key_area=answered, status="not_started", position=3,
                       deadline=datetime.date(2020, 10, 30))
    LocalActionFactory(local_key_area=answered, status="ongoing", position=4, deadline=None,
                       deadline_ongoing=True)
    for ask, compliance in zip(asks, (Compliance.NOT_MET, Compliance.PARTIALLY_MET,
                                      Compliance.MET), strict=True):
        RequirementAssessment.objects.create(local_plan=plan, requirement=ask,
                                             compliance=compliance)
    DhscLetter.objects.create(local_plan=plan, reference="A/1", state="sent",
                              key_issues="Staff movement between homes\nPPE stock",
                              dated=datetime.date(2020, 10, 29), approved_pdf=b"%PDF-",
                              approved_at=datetime.datetime(2020, 10, 29, 12,
                                                            tzinfo=datetime.UTC),
                              sent_on=datetime.date(2020, 11, 2))
    red, amber = homes(alpha, 2)
    ProviderRisk.objects.create(provider=red, rag="red", since=DAY, assessed_on=DAY)
    ProviderRisk.objects.create(provider=amber, rag="amber", since=DAY, assessed_on=DAY)
    BusinessContinuityPlan.objects.create(provider=red, received_on=DAY, reviewed_on=DAY,
                                          outcome="adequate")
    icf = IcfRound.objects.create(council=alpha, name="Round 2", slug="round-2",
                                  allocation=Decimal("1000.00"))
    tranche = IcfTranche.objects.create(round=icf, number=1, amount=Decimal("1000.00"))
    share = IcfShare.objects.create(round=icf, position=1, name="Care homes",
                                    percent=Decimal("100"), basis="beds")
    IcfAllocation.objects.create(tranche=tranche, share=share, kind="provider", provider=red,
                                 amount=Decimal("250.00"), paid_on=DAY)
    IcfAllocation.objects.create(tranche=tranche, share=share, kind="provider",
                                 provider=amber, amount=Decimal("100.00"),
                                 paid_on=datetime.date(2020, 10, 25))  # after the day

    beta_plan = LocalPlanFactory(council=beta, national_plan=national, slug="beta-plan",
                                 title="Beta winter plan")
    LocalKeyAreaFactory(local_plan=beta_plan, key_area=area_one)
    DhscLetter.objects.create(local_plan=beta_plan, reference="B/1")
    return region


def _rows(client, query="", path="/oversight/test-region/"):
    response = client.get(f"{path}?national_plan=test-winter-plan&as_at=20/10/2020"
                          f"&_export=csv{query}")
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.getvalue().decode()))
    return {row["Council"]: row for row in rows}


def test_the_figures_of_three_councils(national_client, three_councils):
    rows = _rows(national_client)
    assert set(rows) == {"Alpha Council", "Beta Council", "Gamma Council"}
    alpha = rows["Alpha Council"]
    assert alpha["Plan"] == "Alpha winter plan"
    assert (alpha["Actions complete"], alpha["Open"], alpha["Overdue"]) == ("25.0", "2", "1")
    assert alpha["Key areas without an action"] == "1"
    assert (alpha["Requirements not met"], alpha["Partly met"]) == ("1", "1")
    assert (alpha["DHSC letter"], alpha["Sent"], alpha["By the deadline"]) == (
        "Sent", "2020-11-02", "No")
    assert (alpha["Providers red"], alpha["Amber"]) == ("1", "1")
    assert alpha["Continuity plans reviewed"] == "50.0"
    assert (alpha["Infection Control Fund allocated"], alpha["Paid"]) == ("1000.00", "250.00")
    beta = rows["Beta Council"]
    assert (beta["Plan"], beta["Actions complete"], beta["Open"]) == ("Beta winter plan", "", "0")
    assert (beta["Key areas without an action"], beta["DHSC letter"]) == ("1", "Draft")
    gamma = rows["Gamma Council"]
    assert (gamma["Plan"], gamma["DHSC letter"], gamma["Sent"]) == ("No plan started", "None", "—")


def test_the_region_summary_row_adds_up(national_client, three_councils):
    page = national_client.get("/oversight/test-region/?national_plan=test-winter-plan"
                               "&as_at=20/10/2020").getvalue().decode()
    summary = page[page.index("Summary by region"):page.index("Councils</h2>")]
    cells = [cell.split(">", 1)[1].split("<", 1)[0] for cell in summary.split(
        'govuk-table__cell govuk-table__cell--numeric"')[1:]]
    assert "Test Region" in summary
    # councils, with a plan, % complete, open, overdue, bare areas, not met, partly met,
    # letters sent, by the deadline, red, amber, reviewed, ICF allocated, paid
    assert cells == ["3", "2", "25%", "2", "1", "2", "1", "1", "1", "0", "1", "1", "50%",
                     "£1,000.00", "£250.00"]


def test_filters_no_plan_letter_state_and_late_letters(national_client, three_councils):
    assert set(_rows(national_client, "&plan=none")) == {"Gamma Council"}
    assert set(_rows(national_client, "&letter=draft")) == {"Beta Council"}
    assert set(_rows(national_client, "&late=on")) == {"Alpha Council", "Beta Council",
                                                         "Gamma Council"}
    assert set(_rows(national_client, "&overdue=on")) == {"Alpha Council"}


def test_sorting_by_overdue(national_client, three_councils):
    response = national_client.get("/oversight/test-region/?national_plan=test-winter-plan"
                                   "&as_at=20/10/2020&sort=-actions_overdue")
    page = response.getvalue().decode()
    assert page.index("Alpha Council") < page.index("Beta Council")


def test_a_north_west_reader_sees_their_councils_of_that_winter(regional_client):
    page = regional_client.get("/oversight/").getvalue().decode()
    assert "Cheshire East Council" in page and "Halton Borough Council" in page
    assert "Cumbria" in page and "Cumberland" not in page  # as at 31/10/2020
    assert "Camden" not in page and "No plan started" in page
    later = regional_client.get("/oversight/?as_at=01/05/2023").getvalue().decode()
    assert "Cumberland" in later and "Westmorland and Furness" in later


def test_regions_outside_the_scope_or_unknown_are_404(regional_client, national_client):
    assert regional_client.get("/oversight/north-west/").status_code == 200
    assert regional_client.get("/oversight/london/").status_code == 404
    assert national_client.get("/oversight/london/").status_code == 200
    assert national_client.get("/oversight/atlantis/").status_code == 404


def test_council_users_are_refused_the_rollup(committee_client, manager_client):
    assert committee_client.get("/oversight/").status_code == 403
    assert manager_client.get("/oversight/").status_code == 403


def test_a_date_that_does_not_parse_is_a_form_error(national_client):
    response = national_client.get("/oversight/?as_at=31/02/2020")
    assert response.status_code == 400
    assert "Enter a real date" in response.getvalue().decode()


def test_the_export_neutralises_formula_text(national_client, three_councils):
    Council.objects.filter(slug="gamma").update(name="=HYPERLINK(\"http://x\")")
    rows = _rows(national_client)
    assert "'=HYPERLINK(\"http://x\")" in rows
    response = national_client.get("/oversight/test-region/?national_plan=test-winter-plan"
                                   "&as_at=20/10/2020&_export=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {row[0].value: row[0].data_type for row in sheet.iter_rows(min_row=2)}
    assert cells['=HYPERLINK("http://x")'] == "s"  # a text cell, never a formula


def _queries(client, path):
    client.get(path)  # the session is renewed on a first request: not the page's cost
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_query_count_is_flat_for_2_and_152_councils(national_client, three_councils):
    """A region of two councils and one of 152 (England's councils of 14/10/2021, moved into
    it) cost the same number of queries."""
    path = "/oversight/test-region/?national_plan=test-winter-plan&as_at=14/10/2021"
    Council.objects.filter(slug="gamma").delete()
    two = _queries(national_client, path)
    Council.objects.filter(slug__in=["city-of-london", "hackney"]).delete()
    Council.objects.active_on(datetime.date(2021, 10, 14)).update(region=three_councils)
    assert Council.objects.filter(region=three_councils).count() == 152
    many = _queries(national_client, path)
    page = national_client.get(path).getvalue().decode()
    assert page.count("No plan started</strong>") == 152 - 2  # all but Alpha and Beta
    assert many == two <= 12


def test_letters_received_with_their_state_key_issues_and_the_approved_pdf(national_client,
                                                                            regional_client,
                                                                            three_councils):
    path = "/oversight/letters/?national_plan=test-winter-plan"
    page = national_client.get(path).getvalue().decode()
    table = page[page.index("<table"):]
    assert "Alpha Council" in table and "Beta Council" in table and "Gamma" not in table
    assert "<li>Staff movement between homes</li>" in table and "02/11/2020" in table
    assert table.count("/documents/dhsc-letter.pdf") == 1  # Alpha's; Beta's is a draft
    assert national_client.get("/plans/alpha-plan/documents/dhsc-letter.pdf").status_code == 200
    late = national_client.get(path + "&late=on&_export=csv").getvalue().decode()
    assert "Alpha Council" in late and "Beta Council" in late  # sent 02/11, and not sent
    sent = national_client.get(path + "&state=sent&_export=csv").getvalue().decode()
    assert "Alpha Council" in sent and "Beta Council" not in sent
    assert "Alpha Council" not in regional_client.get(path).getvalue().decode()  # not North West


def test_the_regional_summary_document_groups_key_issues_by_theme(national_client,
                                                                  regional_client,
                                                                  three_councils):
    response = national_client.get("/oversight/test-region/summary/?as_at=20/10/2020")
    assert response.status_code == 200
    page = response.getvalue().decode()
    assert "Winter plan assurance — Test Region, as at 20/10/2020" in page
    body = page[page.index("Key issues by theme"):]
    theme = "Preventing and Controlling the Spread of Infection in Care Settings"
    assert theme in body
    assert "Alpha Council: overdue since 16/10/2020" in body
    assert "Alpha Council: not met (One): " in body
    assert "Alpha Council: partially met (One): " in body
    assert regional_client.get("/oversight/london/summary/").status_code == 404
    assert regional_client.get("/oversight/test-region/summary/").status_code == 404


def test_the_regional_summary_pdf_is_tagged(national_client, three_councils):
    response = national_client.get("/oversight/test-region/summary.pdf?as_at=20/10/2020")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    from tests.reports.pdftools import pdf_text, reader, squash

    pdf = reader(content)
    assert "/StructTreeRoot" in pdf.trailer["/Root"]  # tagged
    assert pdf.metadata.title == "Winter plan assurance — Test Region, as at 20/10/2020"
    assert "Alpha Council: overdue since 16/10/2020" in squash(pdf_text(content))


def _table_rows(page: str) -> dict[str, list[str]]:
    """The councils table's body rows of a roll-up page: council name → its cells' text."""
    body = page[page.index("Councils</h2>"):]
    body = body[body.index('<tbody class="govuk-table__body">'):body.index("</tbody>")]
    rows = {}
    for row in body.split('<tr class="govuk-table__row">')[1:]:
        cells = [re.sub(r"<[^>]+>", "", cell.split("</td>", 1)[0]).strip()
                 for cell in row.split('<td class="govuk-table__cell">')[1:]]
        rows[cells[0]] = cells
    return rows


def test_each_figure_of_a_council_in_the_page(national_client, three_councils):
    """Alpha's row on the page, every cell against the fixture counted by hand."""
    page = national_client.get("/oversight/test-region/?national_plan=test-winter-plan"
                               "&as_at=20/10/2020").getvalue().decode()
    rows = _table_rows(page)
    assert rows["Alpha Council"] == [
        "Alpha Council", "—", "Test Region", "Alpha winter plan",
        "25%",  # 1 of 4 actions complete
        "2", "1",  # open: in progress and not started; overdue: 16/10 before 20/10
        "1",  # key area two has no action
        "1", "1",  # not met, partly met (the third is met)
        "Sent", "02/11/2020", "No",  # sent after the deadline of 31/10
        "1", "1",  # one red, one amber home
        "50%",  # one of two homes' continuity plans reviewed by 20/10
        "£1,000.00", "£250.00",  # paid by 20/10: 250 (100 is paid on 25/10)
    ]
    assert rows["Beta Council"][3:13] == ["Beta winter plan", "—", "0", "0", "1", "0", "0",
                                          "Draft", "—", "No"]
    assert rows["Gamma Council"][3:5] == ["No plan started", "—"]
    assert '<a class="govuk-link" href="/plans/alpha-plan/">Alpha Council</a>' in page


def test_the_figures_follow_the_day_judged_on(national_client, three_councils):
    """Overdue, reviewed and paid are judged on the chosen day."""
    def alpha(day):
        page = national_client.get("/oversight/test-region/?national_plan=test-winter-plan"
                                   f"&as_at={day}").getvalue().decode()
        row = _table_rows(page)["Alpha Council"]
        return row[6], row[15], row[17]  # overdue, continuity plans reviewed, paid

    assert alpha("13/10/2020") == ("0", "0%", "£0.00")
    assert alpha("17/10/2020") == ("1", "50%", "£250.00")
    assert alpha("31/10/2020") == ("2", "50%", "£350.00")  # 30/10 passed too; 25/10 paid


def test_the_no_letter_filter_and_filters_together(national_client, three_councils):
    """"No letter" keeps the councils without one; filters on the figures combine."""
    assert set(_rows(national_client, "&letter=none")) == {"Gamma Council"}
    assert set(_rows(national_client, "&letter=sent")) == {"Alpha Council"}
    assert set(_rows(national_client, "&plan=started&overdue=on")) == {"Alpha Council"}
    assert set(_rows(national_client, "&plan=none&overdue=on")) == set()
    assert set(_rows(national_client, "&q=beta&late=on")) == {"Beta Council"}


def test_the_page_body_is_the_cells_django_tables2_renders(rf, three_councils):
    """The roll-up builds its table body itself; it is the same as django-tables2's own
    rendering of the table with the project template."""
    from django.template import Context, Template

    from actions.oversight.selectors import rollup_councils
    from actions.oversight.tables import RollupTable

    Council.objects.filter(slug="gamma").update(name='Gamma <b>&</b> "Co"')  # escaped alike
    national = NationalPlan.objects.get(slug="test-winter-plan")
    rows = rollup_councils(Council.objects.filter(region=three_councils),
                           national_plan=national, as_at=AS_AT)
    request = rf.get("/oversight/test-region/")
    request.user = User.objects.get(username="national")

    def rendered(template_name):
        table = RollupTable(rows, national_plan=national, template_name=template_name)
        html = Template("{% load django_tables2 %}{% render_table table %}").render(
            Context({"table": table, "request": request}))
        return re.sub(r"\s+", "", html)

    ours = rendered("oversight/partials/_rollup_table.html")
    assert ours == rendered("django_tables2/govuk.html")
    assert ours.count('<trclass="govuk-table__row">') == 4  # header and three councils
    assert "Gamma&lt;b&gt;&amp;&lt;/b&gt;&quot;Co&quot;" in ours
