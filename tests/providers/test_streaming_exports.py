"""CSV exports stream: the answer is a StreamingHttpResponse, its queries do not grow with the
rows, and it holds every row (not only the first page)."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import LocalAction
from providers.models import Provider
from winterplan.models import Council

pytestmark = pytest.mark.django_db

REGISTER = "/councils/cheshire-east/providers/"
ACTIONS = "/plans/cheshire-east-2020-21/actions/"


def _export(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"_export": "csv"})
        body = b"".join(response.streaming_content).decode()
    return response, list(csv.reader(io.StringIO(body))), len(queries.captured_queries)


def _add_providers(number):
    council = Council.objects.get(slug="cheshire-east")
    Provider.objects.bulk_create(
        Provider(council=council, name=f"Streamed Home {index}", provider_type="care_at_home",
                 cqc_location_id=f"1-8{index:08d}", people_supported=10)
        for index in range(number)
    )


def test_provider_export_streams_every_row_with_flat_queries(officer_client):
    _export(officer_client, REGISTER)  # the first request of a session reads a little more
    response, rows, queries = _export(officer_client, REGISTER)
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    before = len(rows)
    assert before - 1 == Provider.objects.filter(council__slug="cheshire-east").count()

    _add_providers(300)
    _, rows, queries_after = _export(officer_client, REGISTER)

    assert len(rows) == before + 300
    assert queries_after == queries
    assert "Streamed Home 299" in {row[0] for row in rows}


def test_provider_export_neutralises_formulas_and_writes_site_dates(officer_client):
    council = Council.objects.get(slug="cheshire-east")
    Provider.objects.create(council=council, name="=HYPERLINK(\"http://x\")",
                            provider_type="care_at_home", cqc_location_id="1-812345678",
                            people_supported=3)
    _, rows, _ = _export(officer_client, REGISTER)
    assert "'=HYPERLINK(\"http://x\")" in {row[0] for row in rows}


def test_action_export_streams_with_its_requirement_refs(officer_client):
    response, rows, queries = _export(officer_client, ACTIONS)
    assert response.streaming
    assert len(rows) - 1 == LocalAction.objects.filter(
        local_key_area__local_plan__slug="cheshire-east-2020-21").count()
    assert "Requirement refs" in rows[0]
