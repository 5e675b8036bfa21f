"""Reading generated Word files back (python-docx and their XML)."""

import io
import re
import zipfile

import docx
from docx.oxml.ns import qn

from tests.reports.pdftools import squash

W_P, W_T, W_TAB, W_BR = qn("w:p"), qn("w:t"), qn("w:tab"), qn("w:br")


def open_docx(content: bytes):
    return docx.Document(io.BytesIO(content))


def paragraph_text(p_element) -> str:
    """A paragraph's text, hyperlinks' runs included, tabs and breaks as spaces."""
    parts = []
    for node in p_element.iter(W_T, W_TAB, W_BR):
        parts.append(node.text or "" if node.tag == W_T else " ")
    return "".join(parts)


def body_paragraphs(document) -> list[str]:
    """Every paragraph of the body in order, table cells included."""
    return [paragraph_text(p) for p in document.element.body.iter(W_P)]


def docx_text(content: bytes) -> str:
    return squash(" ".join(body_paragraphs(open_docx(content))))


def styled(document, prefix: str) -> list[tuple[str, str]]:
    """(style name, text) of the body's paragraphs whose style name starts with `prefix`."""
    return [(p.style.name, squash(p.text)) for p in document.paragraphs
            if p.style.name.startswith(prefix)]


def part_xml(content: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(name).decode()


def hyperlink_targets(document) -> list[tuple[str, str]]:
    """(text, target) of every w:hyperlink in the body, its target read from the part's
    external relationships."""
    part = document.part
    found = []
    for element in document.element.body.iter(qn("w:hyperlink")):
        relationship = part.rels[element.get(qn("r:id"))]
        assert relationship.is_external
        found.append((paragraph_text(element), relationship.target_ref))
    return found


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)
