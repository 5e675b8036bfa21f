"""A small layer over python-docx: the Word styles, page set-up and the pieces our documents
are made of (headings, numbered paragraphs, lists, tables, hyperlinks).

All text goes in as text: python-docx writes it into `w:t` nodes, which lxml escapes, so a
user's `<w:p>`, `{{ }}` or `=HYPERLINK()` stays the characters typed. Characters XML cannot
hold (control characters) are dropped. Hyperlinks are made only for http, https and mailto.
"""

import datetime
import io
import re

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.run import Run

LANGUAGE = "en-GB"
FONT = "Arial"
TEXT_COLOUR = RGBColor(0x0B, 0x0C, 0x0C)
LINK_COLOUR = RGBColor(0x1D, 0x70, 0xB8)
A4 = (Cm(21.0), Cm(29.7))
#: Paragraph style of a numbered paragraph (“5.11.<tab>text”, hanging indent).
NUMBERED = "Numbered Paragraph"
HEADING_SIZES = {1: 18, 2: 14, 3: 12}

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: A web address or e-mail address inside plain text (as Django's urlize finds most of them).
_URL = re.compile(
    r"(?P<url>(?:https?://|www\.)[^\s<>\"]+)|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
)
_TRAILING = ".,;:!?)]}’”'\""
LINK_SCHEMES = ("http://", "https://", "mailto:")


def clean(text) -> str:
    """The text as Word can hold it (control characters dropped)."""
    return _NOT_XML.sub("", str(text or ""))


class WordWriter:
    """One .docx being written: A4, British English, Arial, our styles."""

    def __init__(self, *, landscape: bool = False):
        self.document = new_document()
        self._styles()
        # Style ids by name, once: python-docx looks a name up by scanning every style.
        self.style_ids = {style.name: style.style_id for style in self.document.styles}
        self.page_setup(self.document.sections[0], landscape=landscape)

    # --- Set-up -----------------------------------------------------------------------------

    def _styles(self) -> None:
        styles = self.document.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(10)
        normal.font.color.rgb = TEXT_COLOUR
        normal.paragraph_format.space_after = Pt(4)
        for level in range(1, 7):
            style = styles[f"Heading {level}"]
            style.font.name = FONT
            style.font.bold = True
            style.font.italic = False
            style.font.color.rgb = TEXT_COLOUR
            style.font.size = Pt(HEADING_SIZES.get(level, 11))
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.space_before = Pt(10 if level <= 2 else 6)
            style.paragraph_format.space_after = Pt(4)
        for name in ("Header", "Footer"):
            styles[name].font.name = FONT
            styles[name].font.size = Pt(8)
        numbered = styles.add_style(NUMBERED, WD_STYLE_TYPE.PARAGRAPH)
        numbered.base_style = normal
        numbered.paragraph_format.left_indent = Cm(1.3)
        numbered.paragraph_format.first_line_indent = Cm(-1.3)
        numbered.paragraph_format.tab_stops.add_tab_stop(Cm(1.3))
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.color.rgb = LINK_COLOUR
        link.font.underline = True
        _language(styles.element)

    @staticmethod
    def page_setup(section, *, landscape: bool) -> None:
        width, height = A4
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = height, width
            section.top_margin, section.bottom_margin = Cm(2.2), Cm(1.8)
            section.left_margin = section.right_margin = Cm(1.4)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = width, height
            section.top_margin, section.bottom_margin = Cm(2.4), Cm(2.0)
            section.left_margin = section.right_margin = Cm(1.6)

    def landscape_section(self):
        """Start a new page in landscape (the header and footer carry on)."""
        section = self.document.add_section()
        self.page_setup(section, landscape=True)
        return section

    def header_and_footer(self, header: str) -> None:
        """The running header on every page and “Page x of y” at the bottom right."""
        section = self.document.sections[0]
        section.header.paragraphs[0].text = clean(header)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer.add_run("Page ")
        _field(footer, "PAGE")
        footer.add_run(" of ")
        _field(footer, "NUMPAGES")

    def properties(self, *, title: str, author: str, subject: str, category: str,
                   comments: str, created: datetime.datetime) -> None:
        core = self.document.core_properties
        core.title = clean(title)
        core.language = LANGUAGE
        core.author = clean(author)
        core.last_modified_by = "Winter Plan Tracker"
        core.subject = clean(subject)
        core.category = clean(category)
        core.comments = clean(comments)
        core.keywords = ""
        core.created = core.modified = created.replace(tzinfo=None, microsecond=0)
        core.revision = 1

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    # --- Blocks ---------------------------------------------------------------------------

    def new_paragraph(self, container=None, style: str | None = None):
        """An empty paragraph at the end of the document (or cell), in the named style."""
        paragraph = (container or self.document).add_paragraph()
        if style:
            paragraph._p.get_or_add_pPr().style = self.style_ids[style]
        return paragraph

    def heading(self, text: str, level: int, container=None):
        paragraph = self.new_paragraph(container, f"Heading {level}")
        paragraph.add_run(clean(text))
        return paragraph

    def paragraph(self, text: str = "", container=None, style=None, *, links: bool = True):
        """A paragraph of plain text; web and e-mail addresses in it become hyperlinks."""
        paragraph = self.new_paragraph(container, style)
        if text:
            self.inline(paragraph, text, links=links)
        return paragraph

    def numbered(self, number: str, text: str, container=None):
        """“10.1.<tab>text” with a hanging indent, as the PDF numbers its paragraphs."""
        paragraph = self.new_paragraph(container, NUMBERED)
        if number:
            paragraph.add_run(f"{clean(number)}.\t")
        self.inline(paragraph, text)
        return paragraph

    def bullet(self, text: str, level: int = 1, container=None):
        style = "List Bullet" if level <= 1 else f"List Bullet {min(level, 3)}"
        return self.paragraph(text, container, style)

    def inline(self, paragraph, text: str, *, links: bool = True, bold: bool = False) -> None:
        """Append plain text to a paragraph, its addresses as hyperlinks (line breaks kept)."""
        text = clean(text)
        position = 0
        if links:
            for match in _URL.finditer(text):
                found = match.group(0).rstrip(_TRAILING)
                if not found:
                    continue
                start = match.start()
                if start > position:
                    paragraph.add_run(text[position:start]).bold = bold or None
                if match.group("email"):
                    target = f"mailto:{found}"
                elif found.startswith("www."):
                    target = f"http://{found}"
                else:
                    target = found
                self.hyperlink(paragraph, target, found)
                position = start + len(found)
        if position < len(text):
            paragraph.add_run(text[position:]).bold = bold or None

    def hyperlink(self, paragraph, url: str, text: str) -> None:
        """A real Word hyperlink (w:hyperlink to an external relationship); an address of any
        other scheme is written as text."""
        url = clean(url).strip()
        if not url.lower().startswith(LINK_SCHEMES):
            paragraph.add_run(clean(text))
            return
        r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        element = OxmlElement("w:hyperlink")
        element.set(qn("r:id"), r_id)
        element.set(qn("w:history"), "1")
        run_element = OxmlElement("w:r")
        element.append(run_element)
        paragraph._p.append(element)
        run = Run(run_element, paragraph)
        run.text = clean(text)
        run._r.get_or_add_rPr().style = self.style_ids["Hyperlink"]

    def link_line(self, paragraph, title: str, url: str) -> None:
        """A titled link as the PDF prints it: “ title (address)”, the title clickable."""
        paragraph.add_run(" ")
        self.hyperlink(paragraph, url, title)
        paragraph.add_run(f" ({clean(url)})")

    def table(self, headings: list[str], widths_cm: list[float], *, caption: str = "",
              container=None):
        """A table whose first row is its header, repeated at the top of every page."""
        table = (container or self.document).add_table(rows=1, cols=len(headings))
        table.style = "Table Grid"
        table.autofit = False
        _set_widths(table, widths_cm)
        header = table.rows[0]
        repeat_header(header)
        for cell, heading in zip(header.cells, headings, strict=True):
            cell.paragraphs[0].add_run(clean(heading)).bold = True
        if caption:
            _table_caption(table, caption)
        return table

    def add_row(self, table, widths_cm: list[float]):
        row = table.add_row()
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
        return row


def tidy_cell(cell) -> None:
    """Drop the empty paragraph a new cell starts with, once something follows it."""
    paragraphs = cell.paragraphs
    if len(paragraphs) > 1 and not paragraphs[0].text and not paragraphs[0]._p.xpath(".//w:r"):
        paragraphs[0]._p.getparent().remove(paragraphs[0]._p)


def repeat_header(row) -> None:
    """Mark the row as the table's header row (w:tblHeader): Word repeats it on every page,
    and screen readers announce it as the header; it is never split across pages."""
    tr_pr = row._tr.get_or_add_trPr()
    for name in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(name)
        tr_pr.append(element)


def _set_widths(table, widths_cm: list[float]) -> None:
    grid = table._tbl.tblGrid
    for column, width in zip(grid.gridCol_lst, widths_cm, strict=True):
        column.w = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _table_caption(table, caption: str) -> None:
    """The table's title for assistive technology (w:tblCaption, Word's “Alt Text”)."""
    element = OxmlElement("w:tblCaption")
    element.set(qn("w:val"), clean(caption)[:255])
    table._tbl.tblPr.append(element)


def _field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _language(styles_element) -> None:
    """British English as the default language of all text (w:docDefaults/w:rPrDefault)."""
    defaults = styles_element.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles_element.insert(0, defaults)
    r_default = defaults.find(qn("w:rPrDefault"))
    if r_default is None:
        r_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, r_default)
    r_pr = r_default.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        r_default.append(r_pr)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    normal = styles_element.xpath('w:style[@w:styleId="Normal"]')[0]
    r_pr = normal.get_or_add_rPr()
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
