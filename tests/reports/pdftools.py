"""Reading generated PDFs back: their text, links and tagging (pypdf)."""

import io
import re

from pypdf import PdfReader


def reader(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def pdf_text(content: bytes) -> str:
    """All pages' text with runs of whitespace collapsed to one space (and none after a slash,
    where the layout likes to break a line)."""
    pages = reader(content).pages
    return squash(" ".join(page.extract_text() or "" for page in pages)).replace("/ ", "/")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def no_spaces(text: str) -> str:
    """For URLs, which the layout may break across lines."""
    return re.sub(r"\s+", "", text)


def link_uris(content: bytes) -> set[str]:
    """The targets of every clickable link in the PDF."""
    uris = set()
    for page in reader(content).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and action.get("/URI"):
                uris.add(str(action["/URI"]))
    return uris


def assert_in_order(text: str, needles: list[str]) -> None:
    """Each needle occurs in `text` after the previous one."""
    position = 0
    for needle in needles:
        found = text.find(needle, position)
        assert found >= 0, f"“{needle}” missing after position {position}"
        position = found + len(needle)


MM = 72 / 25.4


def body_lines(page, top_margin_mm: float, bottom_margin_mm: float) -> list[tuple[float, str]]:
    """(height above the page's foot in mm, text) of each run of text between the page's
    running header and its footer, top to bottom."""
    height = float(page.mediabox.height)
    runs: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        y = tm[5] * cm[3] + cm[5] if cm[3] else tm[5]
        if text.strip() and bottom_margin_mm * MM <= y <= height - top_margin_mm * MM:
            runs.append((y / MM, text.strip()))

    page.extract_text(visitor_text=visit)
    return sorted(runs, key=lambda run: -run[0])
