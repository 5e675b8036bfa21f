"""The documents as Word: every Appendix-two phrase of the sample, Word's heading styles, real
tables with a repeated header row, hyperlinks, the title and language, escaped text."""

from collections import Counter
from html.parser import HTMLParser

import pytest
from docx.oxml.ns import qn

from actions.models import LocalPlan
from reports import documents
from reports.docx import write_docx
from tests.reports.conftest import SAMPLE_PLAN
from tests.reports.docxtools import (
    body_paragraphs,
    docx_text,
    hyperlink_targets,
    open_docx,
    part_xml,
    styled,
    words,
)
from tests.reports.factories import tiny_plan
from tests.reports.pdftools import squash
from tests.reports.test_appendix_two import KEY_AREAS, OUTBREAK_PLANS
from winterplan.templatetags.plain_text import text_blocks

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def sample(django_db_setup, django_db_blocker):
    """Each document of the untouched sample plan, built and written once per module."""
    made = {}

    def get(slug: str):
        if slug not in made:
            with django_db_blocker.unblock():
                plan = LocalPlan.objects.get(slug=SAMPLE_PLAN)
                built = documents.build(documents.get(slug), plan)
                made[slug] = (built, write_docx(built))
        return made[slug]

    return get


def appendix_phrases(snapshot) -> list[str]:
    """Every requirement text, action, commentary bullet and link of the plan, each line of a
    text that has “- ” sub-bullets as its own phrase."""
    phrases = []

    def add(text, links=()):
        for lead, bullets in text_blocks(text):
            phrases.extend(squash(part) for part in [lead, *bullets] if part.strip())
        for link in links:
            phrases.extend([squash(link.title), link.url])

    for area in snapshot.areas:
        phrases.append(area.title)
        if area.responsible_team:
            phrases.append(squash(area.responsible_team))
        for requirement in area.requirements:
            add(requirement.text, requirement.links)
        for action in area.actions:
            add(action.text, action.links)
        for item in area.commentary:
            add(item.text, item.links)
            for child in item.children:
                add(child.text, child.links)
    return phrases


@pytest.mark.parametrize("slug", ["appendix-two", "committee-report"])
def test_it_carries_every_appendix_two_phrase_of_the_sample(sample, slug):
    built, content = sample(slug)
    text = docx_text(content)
    phrases = appendix_phrases(built.context["plan"])
    assert len(phrases) > 250
    missing = [phrase for phrase in phrases if phrase not in text]
    assert not missing, missing[:5]
    assert "ACTION: Collate a list of pharmacies available as a local vaccination venue. " \
           "16/10/2020" in text


def test_appendix_two_uses_heading_styles_for_its_title_parts_themes_and_key_areas(sample):
    _, content = sample("appendix-two")
    document = open_docx(content)
    headings = styled(document, "Heading")
    assert headings[0] == ("Heading 1", "Adult Social Care: Our COVID-19 Winter Plan 2020/21")
    assert ("Heading 2", "Key Points - Summary of Key Local Authority Actions") in headings
    assert ("Heading 3", "Preventing and Controlling the Spread of Infection in Care Settings"
            ) in headings
    # A key area's heading sits under its theme's (or in its place where a theme has none).
    areas = [text for style, text in headings
             if style in ("Heading 3", "Heading 4") and text in KEY_AREAS]
    assert areas == KEY_AREAS
    assert ("Heading 4", "Seasonal Flu Vaccines") in headings
    first = squash(" ".join(body_paragraphs(document)[:3]))
    assert "Appendix two – Cheshire East Council COVID-19 Winter Plan 2020/21" in first
    assert "Cheshire East Council · as at 14/10/2020" in first


def test_each_key_area_is_a_word_table_whose_header_row_repeats(sample):
    built, content = sample("appendix-two")
    document = open_docx(content)
    areas = built.context["plan"].areas
    assert len(document.tables) == len(areas) == 27
    for table, area in zip(document.tables, areas, strict=True):
        header = table.rows[0]
        assert [squash(cell.text) for cell in header.cells] == area.headings
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None
                   for row in table.rows[1:])
        assert table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == area.title
    assert squash(document.tables[0].rows[0].cells[0].text) == "Actions"
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape


def test_links_are_real_hyperlinks_to_their_addresses(sample):
    _, content = sample("appendix-two")
    links = hyperlink_targets(open_docx(content))
    assert len(links) >= 10
    targets = {target for _, target in links}
    assert OUTBREAK_PLANS in targets
    assert all(target.startswith(("https://", "http://", "mailto:")) for target in targets)
    assert 'w:rStyle w:val="Hyperlink"' in part_xml(content, "word/document.xml")


@pytest.mark.parametrize("slug", ["appendix-two", "committee-report", "dhsc-letter"])
def test_the_title_council_and_language_are_set(sample, slug):
    built, content = sample(slug)
    properties = open_docx(content).core_properties
    assert properties.title == built.title
    assert properties.language == "en-GB"
    assert properties.author == "Cheshire East Council"
    assert properties.comments == "As at 14/10/2020"
    styles = part_xml(content, "word/styles.xml")
    defaults = styles.split("</w:docDefaults>")[0]
    assert '<w:lang w:val="en-GB"' in defaults
    assert "en-US" not in styles.split("<w:latentStyles")[0]
    document = open_docx(content)
    assert document.sections[0].header.paragraphs[0].text == built.header
    footers = [part.blob.decode() for part in document.part.package.iter_parts()
               if "footer" in str(part.partname)]
    assert any("PAGE" in xml and "NUMPAGES" in xml for xml in footers)


def test_the_committee_report_numbers_its_paragraphs_under_heading_styles(sample):
    built, content = sample("committee-report")
    document = open_docx(content)
    headings = styled(document, "Heading")
    assert headings[0] == ("Heading 1", built.context["report"].title)
    level_two = [text for style, text in headings if style == "Heading 2"]
    assert level_two[0] == "1. Report Summary"
    assert "10. Access to Information" in level_two or any(
        text.startswith("10. ") for text in level_two)
    assert level_two[-1] == "Appendix two – Cheshire East Council COVID-19 Winter Plan 2020/21"
    assert ("Heading 3", "5.11. Guidance on Infection Prevention and Outbreak Management"
            ) in headings
    # Appendix two inside the report sits three levels down, as in the PDF (h3 ... h6).
    areas = [text for style, text in headings
             if style in ("Heading 5", "Heading 6") and text in KEY_AREAS]
    assert areas == KEY_AREAS
    numbered = [text for style, text in styled(document, "Numbered")]
    assert numbered[0].startswith("1.1. ")
    assert any(text.startswith("5.12. ") for text in numbered)
    assert any(text.startswith("10.1. ") for text in numbered)
    # The status table (its header repeated too) and Appendix two's 27 tables.
    assert len(document.tables) == 28
    status = document.tables[0]
    assert [squash(c.text) for c in status.rows[0].cells][:2] == ["Theme", "Complete"]
    assert squash(status.rows[-1].cells[0].text) == "All themes"
    assert status.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    # Appendix two starts a landscape section.
    first, last = document.sections[0], document.sections[-1]
    assert first.page_width < first.page_height and last.page_width > last.page_height


class _BodyText(HTMLParser):
    """The words the HTML body shows, leaving out the status chart (a figure in the PDF; the
    Word file has the table with the same figures)."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag == "figure"

    def handle_endtag(self, tag):
        self.skip -= tag == "figure"

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


@pytest.mark.parametrize("slug", ["appendix-two", "committee-report", "dhsc-letter"])
def test_the_word_file_says_every_word_the_pdf_says(sample, slug):
    """The Word layouts follow the body templates: no word of the HTML is missing."""
    built, content = sample(slug)
    parser = _BodyText()
    parser.feed(documents.render_body(built))
    missing = Counter(words(" ".join(parser.parts))) - Counter(words(docx_text(content)))
    assert not missing, missing.most_common(10)


def test_the_letter_is_on_the_councils_layout_with_its_sign_off(sample):
    built, content = sample("dhsc-letter")
    document = open_docx(content)
    text = docx_text(content)
    council = built.context["council"]
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    assert paragraphs[0].text.startswith("Draft: not yet approved")
    assert any(p.text == council.name and p.runs[0].bold for p in paragraphs)
    for line in council.address_lines:
        assert line in text
    assert "Department of Health and Social Care 39 Victoria Street" in text
    assert "(a) Cheshire East Council has put in place a winter plan" in text
    assert "(c) our plan considers the recommendations of the Winter Plan" in text
    assert styled(document, "Heading 1")[0][1].endswith(
        "confirmation from Cheshire East Council")
    sign_off = [p.text for p in paragraphs[-3:]]
    assert sign_off[1] == "Yours faithfully,"
    assert sign_off[2].startswith(council.dass_name)
    assert paragraphs[-2].paragraph_format.keep_with_next


def test_text_is_written_as_text_never_as_markup_or_a_formula(plan):
    hostile = ('<w:p><w:r><w:t>injected</w:t></w:r></w:p> =HYPERLINK("x","y") {{ secret }} '
               '{ DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe }\x07 & </w:t>')
    local_plan = tiny_plan(commentary=hostile)
    built = documents.build(documents.get("appendix-two"), local_plan)
    content = write_docx(built)
    document = open_docx(content)
    text = docx_text(content)
    assert hostile.replace("\x07", "") in text
    xml = part_xml(content, "word/document.xml")
    assert "&lt;w:p&gt;" in xml and "<w:p><w:r><w:t>injected" not in xml
    assert "instrText" not in xml and "fldSimple" not in xml and "fldChar" not in xml
    assert hyperlink_targets(document) == []
