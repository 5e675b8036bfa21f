"""A streamed CSV export has exactly the cells of django-tables2's own export (the XLSX,
made cell by cell by `BoundRow.get_cell_value`), for every list page that streams its CSV:
the CSV reads each column's value with its look-ups done once per column."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from providers.models import IcfRound
from winterplan.exports import XLSX_DATE_FORMAT, neutralise, site_date
from winterplan.models import User


def cells(cell) -> str:
    value = cell.value
    if isinstance(value, datetime.datetime) and cell.number_format == XLSX_DATE_FORMAT:
        value = value.date()  # openpyxl reads a date cell back as a datetime
    value = neutralise(site_date(value))
    return "" if value is None else str(value)


def number_or_text(text: str) -> str:
    """XLSX keeps numbers as floating point (22426.9 for the Decimal 22426.90)."""
    try:
        return repr(float(text))
    except ValueError:
        return text


def exports(username: str, url: str) -> tuple[list, list]:
    client = Client()
    client.force_login(User.objects.get(username=username))
    streamed = client.get(url, {"_export": "csv"})
    assert streamed.status_code == 200 and streamed.streaming
    rows = list(csv.reader(io.StringIO(b"".join(streamed.streaming_content).decode("utf-8-sig"))))
    made = client.get(url, {"_export": "xlsx"})
    assert made.status_code == 200
    sheet = load_workbook(io.BytesIO(made.content)).active
    expected = [[cells(cell) for cell in row] for row in sheet.iter_rows()]
    normal = [[number_or_text(value) for value in row] for row in rows]
    return normal, [[number_or_text(value) for value in row] for row in expected]


def pages():
    round_ = IcfRound.objects.filter(council__slug="cheshire-east").order_by("pk").first()
    return [
        ("officer", reverse("actions:action-list", args=["cheshire-east-2020-21"])),
        ("officer", reverse("providers:provider-list", args=["cheshire-east"])),
        ("officer", reverse("providers:risk-log", args=["cheshire-east"])),
        ("officer", reverse("providers:icf-tranche", args=["cheshire-east", round_.slug, 1])),
        ("national", reverse("oversight:rollup")),
    ]


@pytest.mark.django_db
def test_every_streamed_csv_has_the_cells_of_django_tables2s_own_export():
    for username, url in pages():
        rows, expected = exports(username, url)
        assert len(rows) > 2, url
        assert rows == expected, url
