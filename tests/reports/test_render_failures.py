"""A render that succeeded is served even when caching it fails; a render refused for its size
says what to do instead of "try again"."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from reports.models import RenderedDocument

pytestmark = pytest.mark.django_db


def test_a_failed_cache_write_still_serves_the_rendered_pdf(manager_client, plan, monkeypatch):
    def locked(self, *args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(RenderedDocument, "save", locked)
    response = manager_client.get(reverse("reports:dhsc-letter-pdf", args=[plan.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert not RenderedDocument.objects.exists()


def test_a_document_over_the_size_limit_says_what_to_do_not_to_retry(
    committee_client, plan, settings,
):
    settings.REPORTS_PDF_MAX_HTML_BYTES = 1000
    response = committee_client.get(reverse("reports:appendix-two-pdf", args=[plan.slug]))
    assert response.status_code == 503
    page = response.content.decode()
    assert "too large" in page
    assert "Try again in a few minutes" not in page
    assert "Read it in the browser instead" in page
    assert "the Word copy has no size limit" in page
    assert reverse("reports:appendix-two-docx", args=[plan.slug]) in page


def test_a_render_past_the_time_limit_says_what_to_do_instead(committee_client, plan, settings):
    settings.REPORTS_PDF_TIMEOUT_SECONDS = 0.01
    response = committee_client.get(reverse("reports:committee-report-pdf", args=[plan.slug]))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Try again in a few minutes" not in page
    assert "took longer than" in page
    assert "written without the PDF’s time limit" in page
    assert reverse("reports:committee-report-docx", args=[plan.slug]) in page
    assert reverse("reports:committee-report", args=[plan.slug]) in page
