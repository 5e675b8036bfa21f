"""Exports write dates as the site does: dd/mm/yyyy in CSV, real date cells in XLSX."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db
ACTIONS = reverse("actions:action-list", args=["cheshire-east-2020-21"])
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
SITE_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def test_actions_csv_writes_deadlines_dd_mm_yyyy(officer_client):
    rows = _csv(officer_client.get(ACTIONS, {"_export": "csv", "q": "pharmacies"}))
    deadline = rows[0].index("Deadline")
    assert [row[deadline] for row in rows[1:]] == ["16/10/2020"]
    everything = _csv(officer_client.get(ACTIONS, {"_export": "csv"}))
    deadlines = {row[deadline] for row in everything[1:]}
    assert all(SITE_DATE.match(value) or value == "Ongoing" for value in deadlines)
    assert not ISO_DATE.search(officer_client.get(ACTIONS, {"_export": "csv"}).getvalue().decode())


def test_actions_xlsx_keeps_deadlines_as_date_cells_shown_dd_mm_yyyy(officer_client):
    response = officer_client.get(ACTIONS, {"_export": "xlsx", "q": "pharmacies"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Deadline") + 1)
    assert cell.is_date
    assert cell.value.date() == datetime.date(2020, 10, 16)
    assert cell.number_format == "DD/MM/YYYY"


def test_risk_log_csv_writes_since_and_outbreak_dates_dd_mm_yyyy(halton_officer_client):
    response = halton_officer_client.get(
        reverse("providers:risk-log", args=["halton"]), {"_export": "csv"}
    )
    rows = _csv(response)
    since = rows[0].index("Since")
    dates = [row[since] for row in rows[1:] if row[since]]
    assert dates
    assert all(SITE_DATE.match(value) for value in dates)
    assert not ISO_DATE.search(response.getvalue().decode())
