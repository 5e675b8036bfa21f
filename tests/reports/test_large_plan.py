"""A plan 32 times the sample (about 600 actions and 3,000 commentary bullets) renders within
the limits: the section cache lays out each key area on its own, each within the time limit,
and a render that passes the total limit while still making progress goes on and is picked up
by the next request instead of starting again."""

import pytest
from django.urls import reverse

from reports import documents
from reports import pdf as pdf_module
from reports.management.commands.bench_documents import _grow
from reports.pdf import RenderStillRunning

from .pdftools import reader


def _render_until_done(plan, attempts=20):
    """Ask for Appendix two as a user retrying would; (pdf, how many asks it took)."""
    for attempt in range(1, attempts + 1):
        try:
            built = documents.build(documents.get("appendix-two"), plan)
            return documents.render_pdf(built), attempt
        except RenderStillRunning:
            continue
    raise AssertionError(f"not rendered after {attempts} requests")


@pytest.mark.slow_render
def test_a_plan_32_times_the_sample_renders(plan):
    _grow(plan, 32)
    pdf, _ = _render_until_done(plan)
    assert not pdf.cached
    assert pdf.pages > 300
    assert len(reader(pdf.content).pages) == pdf.pages


@pytest.mark.slow_render
def test_a_render_past_the_total_limit_goes_on_and_the_next_request_gets_it(plan, settings):
    # A renderer that holds no section yet (another test in this process may have laid the
    # sample's out), and a plan twice the sample: too much to make in half a second.
    pdf_module._renderer.stop()
    _grow(plan, 2)
    settings.REPORTS_PDF_TOTAL_SECONDS = 0.5
    built = documents.build(documents.get("appendix-two"), plan)
    with pytest.raises(RenderStillRunning) as refused:
        documents.render_pdf(built)
    assert "Try again in a minute" in refused.value.advice

    settings.REPORTS_PDF_TOTAL_SECONDS = 75
    pdf = documents.render_pdf(documents.build(documents.get("appendix-two"), plan))
    # The render the first request started, finished: every section laid out once, in it.
    assert not pdf.cached and pdf.pages > 20
    assert len(pdf.laid_out) == len(documents.get("appendix-two").sections(built.context))
    again = documents.render_pdf(documents.build(documents.get("appendix-two"), plan),
                                 use_cache=False)
    assert again.laid_out == ()  # and this process's renderer kept them


@pytest.mark.slow_render
def test_a_download_past_the_total_limit_says_it_is_still_being_made(plan, settings,
                                                                     officer_client):
    pdf_module._renderer.stop()
    _grow(plan, 2)
    settings.REPORTS_PDF_TOTAL_SECONDS = 0.5
    url = reverse("reports:appendix-two-pdf", args=[plan.slug])

    response = officer_client.get(url)
    assert response.status_code == 503 and response["Retry-After"] == "60"
    body = response.content.decode()
    assert "is still being made" in body and "Try again in a minute or two" in body
    assert "could not be made" not in body
    assert reverse("reports:appendix-two-docx", args=[plan.slug]) in body

    settings.REPORTS_PDF_TOTAL_SECONDS = 75
    ready = officer_client.get(url)
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
