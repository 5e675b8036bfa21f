"""CSV and XLSX exports of the actions table: filtered rows, formulas neutralised."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Commentary, LocalAction

pytestmark = pytest.mark.django_db
PLAN = "cheshire-east-2020-21"
FORMULA = '=HYPERLINK("http://evil.example/","click")'


@pytest.fixture
def formula_action():
    action = LocalAction.objects.get(text__startswith="Collate a list of pharmacies")
    action.text = FORMULA
    action.save()
    return action


def test_csv_export_has_the_filtered_rows_and_neutralises_formulas(officer_client,
                                                                   formula_action):
    url = reverse("actions:action-list", args=[PLAN])
    response = officer_client.get(url, {"_export": "csv", "team": formula_action.team_id})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8"))))
    assert rows[0] == ["Key area", "Action", "Team", "Owner", "Deadline", "Status",
                       "Requirement refs"]
    assert all(row[2] == "Public Health" for row in rows[1:])
    texts = [row[1] for row in rows[1:]]
    assert "'" + FORMULA in texts
    assert FORMULA not in texts


def test_xlsx_export_writes_formula_text_as_a_text_cell_and_dates_as_dates(officer_client,
                                                                           formula_action):
    url = reverse("actions:action-list", args=[PLAN])
    response = officer_client.get(url, {"_export": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    cells = {cell.value: cell for cell in sheet["B"]}
    cell = cells[FORMULA]  # the text itself, not a formula
    assert cell.data_type == "s"
    deadlines = [row[4].value for row in sheet.iter_rows(min_row=2)]
    assert "Ongoing" in deadlines
    assert any(hasattr(value, "year") for value in deadlines)


def test_commentary_starting_with_equals_stays_text_in_exports():
    from winterplan.exports import neutralise

    bullet = Commentary.objects.first()
    bullet.text = "=1+1"
    assert neutralise(bullet.text) == "'=1+1"
    for start in ("+", "-", "@"):
        assert neutralise(start + "x").startswith("'")
    assert neutralise("plain") == "plain"
