"""A plan 32 times the sample (about 600 actions and 3,000 commentary bullets) renders within
the limits: the section cache lays out each key area on its own."""

import pytest

from reports import documents
from reports.management.commands.bench_documents import _grow

from .pdftools import reader


@pytest.mark.slow_render
def test_a_plan_32_times_the_sample_renders(plan):
    _grow(plan, 32)
    pdf = documents.render_pdf(documents.build(documents.get("appendix-two"), plan))
    assert not pdf.cached
    assert pdf.pages > 300
    assert len(reader(pdf.content).pages) == pdf.pages
