"""The pipeline other apps register documents with: registry, cache key, HTML and PDF."""

import datetime
from dataclasses import dataclass

import pytest

from reports import documents
from reports.contexts import Paragraph
from tests.reports.pdftools import pdf_text, reader
from winterplan.models import Council

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(documents, "_registry", dict(documents._registry))
    return documents._registry


@dataclass
class Figures:
    homes: int
    on: datetime.date


def make_council_document(registry):
    @documents.register
    class CouncilNote(documents.Document):
        slug = "council-note"
        title = "Council note"
        template_name = "reports/partials/_paragraph.html"

        def get_context(self, council, *, as_at):
            return {
                "paragraph": Paragraph("1.1", f"{council.name} oversees care homes."),
                "figures": Figures(92, datetime.date(2020, 10, 14)),
            }

    return documents.get("council-note")


def test_another_app_registers_a_document_and_gets_html_and_a_tagged_pdf(registry):
    document = make_council_document(registry)
    council = Council.objects.get(slug="cheshire-east")

    built = documents.build(document, council)
    html = documents.render_html(built)
    pdf = documents.render_pdf(built)

    assert '<html lang="en-GB">' in html and "reports/print.css" in html
    assert "Cheshire East Council oversees care homes." in pdf_text(pdf.content)
    assert reader(pdf.content).metadata.title == "Council note: Cheshire East Council"
    assert documents.render_pdf(built).cached
    assert document.filename(council, None) == "cheshire-east-council-note.pdf"


def test_a_slug_is_registered_once(registry):
    make_council_document(registry)

    class Other(documents.Document):
        slug = "council-note"
        template_name = "x.html"

    with pytest.raises(ValueError, match="two documents"):
        documents.register(Other)
    with pytest.raises(ValueError, match="template_name"):
        documents.register(type("NoTemplate", (documents.Document,), {"slug": "y"}))


def test_the_plan_documents_are_registered():
    assert {d.slug for d in documents.registered()} >= {
        "appendix-two", "committee-report", "dhsc-letter"}


def test_the_cache_key_is_the_data_and_refuses_what_it_cannot_see_into():
    assert documents.canonical({"b": [1, datetime.date(2020, 1, 2)], "a": {2, 1}}) == {
        "a": [1, 2], "b": [1, "2020-01-02"]}
    with pytest.raises(TypeError, match="plain data"):
        documents.canonical(object())
