"""Documents as Word (.docx), for the committee system: the only package that imports
python-docx.

A document is built once (`reports.documents.build`: the same context builder and data as
its PDF) and then either turned into HTML -> PDF or, here, written straight into Word by its
layout in `reports.docx.layouts`: headings as Word's Heading 1-6 styles (the navigation pane
and the committee system's outline), numbered paragraphs as the PDF numbers them (“10.1.”),
Appendix two's key areas as real tables whose header row repeats on every page
(w:tblHeader), links as hyperlinks (w:hyperlink, external relationship), the title, council
and language (en-GB) in the file's properties and styles, and the running header and
“Page x of y” in the page header and footer.

    built = documents.build(documents.get("committee-report"), plan, as_at=None)
    word = render_docx(built)              # DocxDocument(content, seconds, stored)
    response = docx_response(built, word)

A document whose subject keeps frozen bytes (an approved letter: `Document.stored_docx`) is
served those instead. Renders are not cached: the committee report takes a fraction of a
second (see README, “Documents”).
"""

import time
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone

from reports.docx.layouts import LAYOUTS
from reports.docx.writer import WordWriter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class NotKept(Exception):
    """The document has frozen bytes, but no Word copy was kept with them."""


@dataclass
class DocxDocument:
    content: bytes
    seconds: float
    stored: bool


def supports(document) -> bool:
    """Whether the document has a Word layout."""
    return document.slug in LAYOUTS


def _facts(built) -> tuple[str, str]:
    """The council's name and the “as at” words for the file's properties."""
    context = built.context
    plan = context.get("plan")
    if plan is not None:
        council, day = plan.council.name, plan.reporting_date
    else:
        council, day = context["council"].name, context["facts"].reporting_date
    words = f"As at {day:%d/%m/%Y}"
    if built.as_at:
        moment = timezone.localtime(built.as_at)
        words += f", rebuilt from the change history as at {moment:%d/%m/%Y %H:%M}"
    return council, words


def write_docx(built, *, created=None) -> bytes:
    """The built document as a new .docx (never the stored copy)."""
    writer = WordWriter(landscape=built.document.orientation == "landscape")
    council, as_at = _facts(built)
    writer.properties(
        title=built.title, author=council, subject=built.header,
        category=built.document.title, comments=as_at,
        created=created or timezone.now(),
    )
    writer.header_and_footer(built.header)
    LAYOUTS[built.slug](writer, built)
    return writer.to_bytes()


def render_docx(built) -> DocxDocument:
    """The document as Word: its frozen copy if it has one, else written now. Raises NotKept
    for frozen bytes without a Word copy (a letter approved before Word copies were kept)."""
    started = time.perf_counter()
    stored = built.document.stored_docx(built.subject, built.as_at)
    if stored is not None:
        return DocxDocument(stored, time.perf_counter() - started, True)
    if built.document.stored_pdf(built.subject, built.as_at) is not None:
        raise NotKept(built.document.slug)
    content = write_docx(built)
    return DocxDocument(content, time.perf_counter() - started, False)


def filename(built) -> str:
    """As the PDF is named, ending .docx (“…-appendix-two-working-copy.docx”)."""
    from reports.documents import copy_name

    stem = built.document.filename(built.subject, built.as_at).removesuffix(".pdf")
    if built.options:
        stem += "-" + copy_name(built.document, built.options).replace(" ", "-")
    return f"{stem}.docx"


def docx_response(built, word: DocxDocument) -> HttpResponse:
    response = HttpResponse(word.content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename(built)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
