"""The register's business continuity plan column sorts by meaning (most attention first), in
SQL, with the same query count as any other sort."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from providers.tables import BCP_ORDER

pytestmark = pytest.mark.django_db
REGISTER = reverse("providers:provider-list", args=["cheshire-east"])


def _bcp_column(client, sort: str) -> list[str]:
    response = client.get(REGISTER, {"_export": "csv", "sort": sort})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    column = rows[0].index("Business continuity plan")
    return [row[column] for row in rows[1:]]


def test_the_continuity_plan_column_sorts_by_meaning_both_ways(officer_client):
    labels = [state.label for state in BCP_ORDER]
    ascending = _bcp_column(officer_client, "bcp")
    assert len(set(ascending)) >= 3
    assert ascending == sorted(ascending, key=labels.index)
    descending = _bcp_column(officer_client, "-bcp")
    assert descending == sorted(descending, key=labels.index, reverse=True)


def test_sorting_by_continuity_plan_costs_no_more_queries(officer_client,
                                                          django_assert_max_num_queries):
    officer_client.get(REGISTER, {"sort": "-name"})  # warm-up (another cached page)
    with CaptureQueriesContext(connection) as by_name:
        assert officer_client.get(REGISTER, {"sort": "name"})["X-Fragment-Cache"] == "miss"
    with django_assert_max_num_queries(len(by_name.captured_queries)):
        response = officer_client.get(REGISTER, {"sort": "bcp"})
    assert 'aria-sort="ascending"' in response.getvalue().decode()
