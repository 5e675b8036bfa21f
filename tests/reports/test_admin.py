"""The admin shows the documents' data; the letter's approval and the cache stay read-only."""

import pytest
from django.urls import reverse

from reports.models import CommitteeReport

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["committeereport", "reportsection", "dhscletter",
                                   "rendereddocument"])
def test_every_documents_model_has_an_admin_list(admin_client, model):
    assert admin_client.get(reverse(f"admin:reports_{model}_changelist")).status_code == 200


def test_the_committee_report_admin_shows_its_sections_inline(admin_client):
    report = CommitteeReport.objects.get(local_plan__slug="cheshire-east-2020-21")
    page = admin_client.get(reverse("admin:reports_committeereport_change", args=[report.pk]))
    assert "Legal Implications" in page.content.decode()
