"""How the PDFs lay out: the letter's sign-off, the running header, each key area on a new
page."""

import pytest

from reports import documents
from reports.pdf import html_to_pdf
from tests.reports.pdftools import body_lines, reader, squash

pytestmark = pytest.mark.django_db

LAST_PARAGRAPH = "We will keep the plan under review"
SIGN_OFF = "Yours faithfully"


def page_of(pages: list[str], needle: str) -> int:
    found = [index for index, text in enumerate(pages) if needle in text]
    assert found, f"{needle!r} is on no page"
    return found[0]


def letter_pages(plan, key_issues: list[str]) -> list[str]:
    built = documents.build(documents.get("dhsc-letter"), plan)
    built.context["key_issues"] = key_issues
    content = html_to_pdf(documents.render_html(built)).content
    return [squash(page.extract_text() or "") for page in reader(content).pages]


@pytest.mark.parametrize("issues", range(0, 12, 2))
def test_the_sign_off_is_on_the_page_of_the_last_paragraph(plan, issues):
    lines = [f"Key issue {n}: a provider needs support with staffing this week and the next."
             for n in range(issues)]
    pages = letter_pages(plan, lines)
    assert page_of(pages, SIGN_OFF) == page_of(pages, LAST_PARAGRAPH)
    assert page_of(pages, plan.council.dass_name) == page_of(pages, LAST_PARAGRAPH)


def test_the_running_header_names_the_council_once(plan):
    """The sample plan's title starts with the council's name: the header does not repeat it."""
    built = documents.build(documents.get("committee-report"), plan)
    assert built.header == "Cheshire East Council COVID-19 Winter Plan 2020/21 · Committee report"


def test_the_running_header_names_the_council_when_the_title_does_not(plan):
    plan.title = "Winter plan 2020/21"
    built = documents.build(documents.get("appendix-two"), plan)
    assert built.header == "Cheshire East Council · Winter plan 2020/21 · Appendix two"


#: Appendix two's page margins (print.css, @page landscape).
TOP_MM, BOTTOM_MM = 22, 18


def appendix_two_pages(plan) -> tuple[list[list[tuple[float, str]]], set[str], list[str]]:
    built = documents.build(documents.get("appendix-two"), plan)
    content = html_to_pdf(documents.render_html(built)).content
    snapshot = built.context["plan"]
    starts = {area.title for area in snapshot.areas} | {t.title for t in snapshot.themes}
    pages = [body_lines(page, TOP_MM, BOTTOM_MM) for page in reader(content).pages]
    return pages, starts, [area.title for area in snapshot.areas]


@pytest.mark.parametrize("slug", ["cheshire-east-2020-21", "halton-2020"])
def test_every_key_area_starts_a_page_and_keeps_its_heading(slug):
    """Each key area after the first opens a page (it is rendered and cached on its own),
    under its part and theme headings; no page ends with a heading."""
    from actions.models import LocalPlan

    plan = LocalPlan.objects.select_related("council", "national_plan").get(slug=slug)
    pages, starts, areas = appendix_two_pages(plan)
    headings = {heading for area in documents.build(documents.get("appendix-two"), plan)
                .context["plan"].areas for heading in area.headings}
    for number, lines in enumerate(pages[:-1], start=1):
        last_text = lines[-1][1]
        assert last_text not in starts and last_text not in headings, (
            f"page {number} ends with a heading: {last_text}")
    openings = [[text for _, text in lines[:3]] for lines in pages]
    for title in areas[1:]:
        assert any(title in opening for opening in openings), f"“{title}” does not open a page"
