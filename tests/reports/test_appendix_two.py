"""Appendix two as PDF: the seed's structure, the sample's content, links and tagging."""

import pytest

from tests.reports.pdftools import (
    assert_in_order,
    link_uris,
    no_spaces,
    pdf_text,
    reader,
)

pytestmark = pytest.mark.django_db

#: Appendix two's tables in the seed's order (shared/DOMAIN.md).
KEY_AREAS = [
    "Guidance on Infection Prevention and Outbreak Management",
    "Managing Staff Movement",
    "Personal Protective Equipment",
    "COVID-19 Testing",
    "Seasonal Flu Vaccines",
    "Safe Discharge from NHS settings and Preventing Avoidable Admissions",
    "Social Prescribing",
    "Visiting Guidance",
    "Direct Payments",
    "Support for Unpaid Carers",
    "End-of-life Care",
    "Care Act Easements",
    "Supporting the workforce",
    "Supporting the wellbeing of the workforce",
    "Workforce Capacity",
    "Shielding and People who are Clinically Extremely Vulnerable",
    "Social Work and other Professional Leadership",
    "Funding",
    "Market and Provider Sustainability",
    "CQC Support: Emergency Support Framework and Sharing Best Practice",
    "Local, Regional and National Oversight and Support",
    "Guidance on Infection Prevention and Outbreak Management",
    "COVID-19 Testing",
    "Seasonal Flu Vaccines",
    "Enhanced Health in Care Homes",
    "Technology and Digital Support",
    "Acute Hospital Admissions",
]
OUTBREAK_PLANS = (
    "https://www.cheshireeast.gov.uk/pdf/covid-19/cec-covid-outbreak-doc-4-digital-lres-final.pdf"
)


@pytest.fixture(scope="module")
def appendix(sample_pdf):
    content = sample_pdf("appendix-two")
    return content, pdf_text(content)


def test_it_has_the_seed_structure_with_every_key_area_in_order(appendix):
    _, text = appendix
    assert_in_order(text, [
        "Appendix two – Cheshire East Council COVID-19 Winter Plan 2020/21",
        "Adult Social Care: Our COVID-19 Winter Plan 2020/21",
        "Key Points - Summary of Key Local Authority Actions",
        "Preventing and Controlling the Spread of Infection in Care Settings",
        KEY_AREAS[0],
        "Actions",
        "Local Authority Key Area/Responsible Officer",
        "Commentary on Actions & links to any associated documents",
    ])
    assert_in_order(text, KEY_AREAS)
    assert_in_order(text, [
        "Collaboration across Health and Care Services",
        "Supporting the System",
        "Key Points - Summary of NHS Organisations Actions",
        "NHS Key Area/Responsible Officer",
    ])


def test_the_flu_action_shows_its_deadline_under_the_team_line(appendix):
    _, text = appendix
    assert_in_order(text, [
        "Seasonal Flu Vaccines",
        "Public Health",
        "ACTION: Collate a list of pharmacies available as a local vaccination venue. 16/10/2020",
        "Social Prescribing",
    ])


def test_requirements_sit_under_their_audience_lines(appendix):
    _, text = appendix
    assert_in_order(text, [
        "PCNs should:",
        "Nominate a clinical lead and ensure that partner care homes are informed",
    ])


def test_commentary_and_its_links_are_printed_and_clickable(appendix):
    content, text = appendix
    assert "The authority’s Outbreak Prevention Plans are posted via:" in text
    assert OUTBREAK_PLANS in no_spaces(text)
    uris = link_uris(content)
    assert OUTBREAK_PLANS in uris
    contain_framework = (
        "https://www.gov.uk/government/publications/containing-and-managing-local-coronavirus-"
        "covid-19-outbreaks/covid-19-contain-framework-a-guide-for-local-decision-makers"
    )
    assert any(uri.startswith(contain_framework) for uri in uris)


def test_every_page_has_the_running_header_and_page_x_of_y(appendix):
    content, _ = appendix
    pages = reader(content).pages
    assert len(pages) > 10
    for number in (1, len(pages) // 2, len(pages)):
        page_text = pages[number - 1].extract_text()
        assert "Cheshire East Council COVID-19 Winter Plan 2020/21 · Appendix two" in page_text
        assert "Cheshire East Council · Cheshire East Council" not in page_text
        assert f"Page {number} of {len(pages)}" in page_text
    width, height = pages[0].mediabox.width, pages[0].mediabox.height
    assert width > height  # A4 landscape: three columns of text


def test_the_pdf_is_tagged_with_its_title_and_language(appendix):
    content, _ = appendix
    pdf = reader(content)
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert pdf.metadata.title == "Appendix two: Cheshire East Council COVID-19 Winter Plan 2020/21"
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
