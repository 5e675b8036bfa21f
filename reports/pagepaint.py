"""Painted pages kept with their section's layout, so that assembling a document after one
edit paints only the pages that changed (used by `reports.pdf` only, inside its renderer).

WeasyPrint's `write_pdf` paints every page into its content stream: the page's background,
then the root element's stacking context (everything the section shows), then the margin
boxes ("Page x of y", the running header). Painting the root element is most of the time of
an assembly, and for a section that did not change it comes out the same every time. So the
first time a laid-out page is painted, what the root element's painting adds is recorded:

- the content-stream operators (as bytes),
- the marked-content entries for the PDF/UA structure tree (box, tag, MCID: the same boxes,
  since the section's page boxes are kept),
- the glyphs used from each font (widths and Unicode mapping, merged into the document's own
  fonts before they are subset), and the alpha graphics states it named,
- the stream's state before and after (graphics-state trackers, transformation matrix and
  the number of marked items), which a replay must find the same.

The next assembly replays the record in place of painting (margin boxes and the page's
background are painted live, so page numbers and headers are the new document's), and falls
back to painting whenever anything does not match. A page whose painting adds anything a
record cannot carry (images, patterns, shadings, transparency groups, form fields, glyphs
missing from a font) is never recorded and is painted every time. Fonts are painted into a
per-page set of fresh font objects (copies of pristine templates), so a record holds exactly
its own glyphs and a document's fonts are exactly the glyphs its pages use.

The equality of an assembled document with a whole render (text, pages, outline, structure
tree, links) is tested in tests/reports/test_sections.py; that replays happen in
tests/reports/test_page_paint.py.
"""

import copy
import re
import threading
import zlib
from dataclasses import dataclass

import pydyf

_ALPHA_STATE = re.compile(r"[aA][0-9.]+\Z")
_TRACKERS = ("_current_color", "_current_color_stroke", "_current_alpha",
             "_current_alpha_stroke", "_current_font", "_current_font_size", "_old_font",
             "_old_font_size")

#: Pristine font objects by WeasyPrint's font key (no glyphs recorded, file not subset).
_font_templates: dict = {}
_local = threading.local()
_installed = threading.Lock()
_original_draw = None


@dataclass
class Painted:
    """What painting one page's root element added to its content stream."""

    ops: bytes
    tags: list  # (box, tag, mcid)
    fonts: dict  # font key -> (widths, to_unicode)
    states: dict  # ExtGState name -> dictionary
    before: tuple
    after: tuple
    #: The operators Flate-compressed, made on first replay.
    compressed: bytes | None = None


class _Block(pydyf.Object):
    """A replayed record in a page's operator list; `_split_contents` makes it its own
    content stream, written from the record's compressed bytes."""

    def __init__(self, record: Painted, index: int):
        super().__init__()
        self.record, self.index = record, index

    @property
    def data(self):
        return self.record.ops


class _RecordedContent(pydyf.Stream):
    """A page's replayed content as a content stream of its own, compressed once per
    record (pydyf compresses every stream again on every write)."""

    def __init__(self, record: Painted, compress: bool):
        super().__init__(compress=compress)
        self.record = record

    @property
    def data(self):
        record = self.record
        if not self.compress:
            body, extra = record.ops, pydyf.Dictionary({"Length": len(record.ops)})
        else:
            if record.compressed is None:
                compressor = zlib.compressobj(level=9)
                record.compressed = compressor.compress(record.ops) + compressor.flush()
            body = record.compressed
            extra = pydyf.Dictionary({"Filter": "/FlateDecode", "Length": len(body)})
        return b"\n".join((extra.data, b"stream", body, b"endstream"))


#: A page that must be painted with the document's own fonts (see `_record`).
NEVER = "never"


class _Uncacheable(Exception):
    def __init__(self, job, reason):
        super().__init__(reason)
        self.job = job


def _fresh_font(font):
    fresh = copy.copy(font)
    fresh.widths, fresh.to_unicode, fresh.missing = {}, {}, {}
    fresh.variations = dict(font.variations)
    return fresh


class _PageFonts(dict):
    """The fonts one page's root element paints with: fresh copies of the templates, made on
    first use (WeasyPrint's `Stream.add_font` asks `key in fonts`, then creates and stores a
    new font itself when the answer is no)."""

    def __contains__(self, key):
        if dict.__contains__(self, key):
            return True
        template = _font_templates.get(key)
        if template is None:
            return False
        dict.__setitem__(self, key, _fresh_font(template))
        return True

    def __setitem__(self, key, font):
        if not (font.png or font.svg or font.colr):  # colour fonts keep borrowed pointers
            _font_templates.setdefault(key, _fresh_font(font))
        dict.__setitem__(self, key, font)


def _state(stream) -> tuple:
    return (tuple(getattr(stream, name) for name in _TRACKERS),
            tuple(tuple(matrix.values) for matrix in stream._ctm_stack),
            len(stream._tags) if stream._tags is not None else -1)


def _merge_fonts(document_fonts: dict, used: dict) -> None:
    for key, (widths, to_unicode) in used.items():
        font = document_fonts.get(key)
        if font is None:
            font = document_fonts[key] = _fresh_font(_font_templates[key])
        font.widths.update(widths)
        for glyph, text in to_unicode.items():
            font.to_unicode.setdefault(glyph, text)


class _PageJob:
    """One page of an assembly: replay `record` if it fits, else paint and (when possible)
    leave a new record in `recorded`."""

    def __init__(self, record: Painted | None):
        self.record = record
        self.recorded: Painted | None = None
        self.replayed = False

    def paint_root(self, stream, paint) -> None:
        record = self.record
        if record is NEVER:
            paint()
            return
        if record is not None and _state(stream) == record.before:
            block = _Block(record, len(stream.stream))
            stream.stream.append(block)
            _local.blocks.append((stream, block))
            for box, tag, mcid in record.tags:
                stream._tags[box] = {"tag": tag, "mcid": mcid}
            _merge_fonts(stream._fonts, record.fonts)
            for name, value in record.states.items():
                stream._resources["ExtGState"].setdefault(name, value)
            for name, value in zip(_TRACKERS, record.after[0], strict=True):
                setattr(stream, name, value)
            self.replayed = True
            return
        self.recorded = _record(self, stream, paint)


def _record(job, stream, paint) -> "Painted | None":
    before = _state(stream)
    resources = stream._resources
    counts = {kind: len(resources[kind]) for kind in ("XObject", "Pattern", "Shading")}
    states = set(resources["ExtGState"])
    start, tags_start = len(stream.stream), len(stream._tags or ())
    document_fonts, stream._fonts = stream._fonts, _PageFonts()
    try:
        paint()
    finally:
        page_fonts, stream._fonts = stream._fonts, document_fonts
    used = {key: (dict(font.widths), dict(font.to_unicode)) for key, font in page_fonts.items()}
    if any(font.missing or font.png or font.svg or font.colr for font in page_fonts.values()):
        # Stand-in glyph ids for missing characters are numbered per font object (they would
        # differ between the page's fonts and the document's); colour fonts paint from
        # pointers a template cannot keep. The document is written again, this page painted
        # with the document's fonts.
        raise _Uncacheable(job, "a font lacks some characters or is a colour font")
    _merge_fonts(document_fonts, used)
    try:
        if stream._tags is None or any(font.used_in_forms for font in page_fonts.values()):
            return None
        if any(len(resources[kind]) != count for kind, count in counts.items()):
            return None
        added = {name: resources["ExtGState"][name]
                 for name in resources["ExtGState"] if name not in states}
        if any(not _ALPHA_STATE.match(name) for name in added):
            return None
        from pydyf import _to_bytes

        ops = b"\n".join(_to_bytes(item) for item in stream.stream[start:])
        tags = [(box, entry["tag"], entry["mcid"])
                for box, entry in list(stream._tags.items())[tags_start:]]
        return Painted(ops=ops, tags=tags, fonts=used, states=added, before=before,
                       after=_state(stream))
    except (KeyError, TypeError, AttributeError):
        return None


def _draw_stacking_context(stream, stacking_context):
    job = getattr(_local, "job", None)
    box = stacking_context.box
    if job is None or job is _DONE or not box.is_for_root_element:
        return _original_draw(stream, stacking_context)
    _local.job = _DONE  # the root element's own descendants paint normally

    def paint():
        context = stacking_context
        if getattr(context, "hollow", False):  # not replayed after all: the real context
            context = _original_from_box.__func__(type(context), box, context.page)
        _original_draw(stream, context)

    try:
        job.paint_root(stream, paint)
    finally:
        _local.job = job


def _from_box(cls, box, page, child_contexts=None):
    """A page's stacking contexts: for the root element of a page that will be replayed, an
    empty one (finding every descendant's place in the paint order is a fifth of painting)."""
    job = getattr(_local, "job", None)
    if (job is None or job is _DONE or child_contexts is not None
            or not box.is_for_root_element or not isinstance(job.record, Painted)):
        return _original_from_box.__func__(cls, box, page, child_contexts)
    context = cls(box, [], [], [], {}, page)
    context.hollow = True
    return context


def _add_tags(pdf, *args, **kwargs):
    """WeasyPrint's add_tags with the page references listed once (pydyf makes the list
    again on every look-up: quadratic in pages)."""
    references, original = pdf.page_references, pdf.__class__
    pdf.__class__ = _ListedPages
    pdf.__dict__["_page_references"] = references
    try:
        return _original_add_tags(pdf, *args, **kwargs)
    finally:
        pdf.__class__ = original
        pdf.__dict__.pop("_page_references", None)


def _generate_pdf(*args, **kwargs):
    pdf = _original_generate(*args, **kwargs)
    if blocks := getattr(_local, "blocks", None):
        _split_contents(pdf, blocks)
    return pdf


def _split_contents(pdf, blocks) -> None:
    """Each page with a replayed record gets three content streams (PDF allows an array,
    read as one): the live operators before the record, the record's own (compressed once),
    and the live ones after it (the margin boxes)."""
    pages = {obj["Contents"]: obj for obj in pdf.objects
             if isinstance(obj, dict) and obj.get("Type") == "/Page"}
    for stream, block in blocks:
        page = pages[stream.reference]
        assert stream.stream[block.index] is block
        after = pydyf.Stream(stream.stream[block.index + 1:], compress=stream.compress)
        del stream.stream[block.index:]
        recorded = _RecordedContent(block.record, stream.compress)
        pdf.add_object(recorded)
        pdf.add_object(after)
        page["Contents"] = pydyf.Array([stream.reference, recorded.reference, after.reference])


_DONE = object()
_original_from_box = _original_add_tags = _ListedPages = _original_generate = None


def _install() -> None:
    """Route WeasyPrint's painting of stacking contexts and its tagging through this module
    (inert unless a page job is set on this thread)."""
    global _original_draw, _original_from_box, _original_add_tags, _ListedPages
    global _original_generate
    with _installed:
        if _original_draw is not None:
            return
        from weasyprint import document as weasy_document
        from weasyprint import draw
        from weasyprint import pdf as weasy_pdf
        from weasyprint.stacking import StackingContext

        class ListedPages(pydyf.PDF):
            @property
            def page_references(self):
                return self.__dict__["_page_references"]

        _ListedPages = ListedPages
        _original_generate = weasy_document.generate_pdf
        weasy_document.generate_pdf = _generate_pdf
        _original_add_tags = weasy_pdf.add_tags
        weasy_pdf.add_tags = _add_tags
        _original_from_box = StackingContext.__dict__["from_box"]
        StackingContext.from_box = classmethod(_from_box)
        _original_draw = draw.draw_stacking_context
        draw.draw_stacking_context = _draw_stacking_context


def write_pdf(document, records: list, **options) -> tuple[bytes, list, int]:
    """`document.write_pdf(**options)`, replaying `records` (one `Painted`, None or NEVER per
    page) where they fit. Returns the PDF, the new records (one per page: the replayed or new
    record, NEVER, or None) and how many pages were replayed. A page whose glyphs the
    document's fonts must number themselves is marked NEVER and the document written again
    (once per such page, the first time only: the mark is kept with the records)."""
    _install()
    records = list(records)
    while True:
        jobs = [_PageJob(record) for record in records]
        for page, job in zip(document.pages, jobs, strict=True):
            page.paint = _job_paint(page, job)
        _local.blocks = []
        try:
            content = document.write_pdf(**options)
            break
        except _Uncacheable as refused:
            records[jobs.index(refused.job)] = NEVER
            document.fonts.clear()
        finally:
            _local.blocks = None
            for page in document.pages:
                page.__dict__.pop("paint", None)
    kept = [job.record if job.replayed or job.record is NEVER else job.recorded for job in jobs]
    return content, kept, sum(job.replayed for job in jobs)


def _job_paint(page, job):
    paint = type(page).paint

    def painted(stream, scale=1):
        _local.job = job
        try:
            paint(page, stream, scale)
        finally:
            _local.job = None

    return painted
