"""HTML to tagged PDF with WeasyPrint: the only module that imports it.

Safety: WeasyPrint fetches stylesheets, images and attachments through `SafeURLFetcher`, which
serves files from our own static files and nothing else (no file://, no http(s) to any host,
no `..`, redirects off). Documents link their print CSS as `STATIC_BASE + "reports/print.css"`.
User text reaches WeasyPrint only through Django's auto-escaping templates, and
`presentational_hints` stays off.

Bounds: a render runs in a forked child process with a wall-clock timeout and an address-space
limit, so one huge document cannot take a web or worker process down; the HTML's size is
checked first. A document assembled from sections has the timeout per step (each section's
layout, then the assembly) and REPORTS_PDF_TOTAL_SECONDS (75, inside gunicorn's 90 s) in
all: past that, a render still making progress goes on in its child, which keeps the parts
laid out, and the next request for it in the same process gets the result.
Settings (all optional): REPORTS_PDF_TIMEOUT_SECONDS (60),
REPORTS_PDF_MEMORY_MB (1024), REPORTS_PDF_MAX_HTML_BYTES (10 MB), REPORTS_PDF_ISOLATE (True
where the platform can fork).

WeasyPrint is imported lazily, once per process (~0.5 s), and warmed up before the first fork
so every child starts with it loaded.
"""

import logging
import mimetypes
import multiprocessing
import os
import posixpath
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation

logger = logging.getLogger(__name__)

#: A made-up origin (".invalid" can never resolve) that stands for our static files.
STATIC_HOST = "static.winterplan.invalid"
STATIC_BASE = f"https://{STATIC_HOST}/static/"
BASE_URL = f"https://{STATIC_HOST}/"
SERVED_TYPES = {
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}


class RenderError(Exception):
    """The PDF could not be produced."""

    #: What the person should do, shown under the error.
    advice = "Try again in a few minutes. If it keeps happening, tell your administrator."


class RenderTimeout(RenderError):
    """The render took longer than REPORTS_PDF_TIMEOUT_SECONDS and was stopped."""

    advice = (
        "Trying again straight away will take as long. Read it in the browser, download the "
        "Word copy where there is one (it has no time limit), or ask your administrator to "
        "raise the time limit."
    )


class RenderStillRunning(RenderTimeout):
    """A document assembled from sections passed REPORTS_PDF_TOTAL_SECONDS while still making
    progress: its renderer goes on, keeping every part laid out, and the next request for the
    same document in this process picks up the finished render."""

    advice = (
        "It is still being made: the parts made so far are kept. Try again in a minute or two."
    )


class DocumentTooLarge(RenderError):
    """The HTML is bigger than REPORTS_PDF_MAX_HTML_BYTES."""

    advice = (
        "Trying again will not help: the document is too large to make into a PDF. What makes "
        "it large is its longest texts (narratives, commentary, action descriptions, key "
        "issues). Read it in the browser instead, download the Word copy where there is one "
        "(it has no size limit), shorten those texts, or ask your administrator to raise the "
        "size limit."
    )


@dataclass
class PdfResult:
    content: bytes
    pages: int
    seconds: float
    #: Every URL WeasyPrint asked for, with whether it was served.
    fetched: list[tuple[str, bool]] = field(default_factory=list)
    #: The sections laid out for this render (the others came from the section cache).
    laid_out: list[str] = field(default_factory=list)
    #: Pages of an assembled document whose content was painted again (the others replayed
    #: what their section's earlier assembly painted; see reports.pagepaint).
    painted: int = 0


def _setting(name: str, default):
    return getattr(settings, name, default)


def static_roots() -> list[Path]:
    """The directories static files may be served from (resolved)."""
    roots = [Path(settings.STATIC_ROOT)] if settings.STATIC_ROOT else []
    for entry in settings.STATICFILES_DIRS:
        roots.append(Path(entry[1] if isinstance(entry, tuple | list) else entry))
    from django.apps import apps

    for config in apps.get_app_configs():
        roots.append(Path(config.path) / "static")
    return [root.resolve() for root in roots]


def static_file_for(url: str) -> Path:
    """The file under our static roots that `url` names; ValueError for anything else."""
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.netloc != STATIC_HOST:
        raise ValueError(f"refused: {url[:200]} is not one of our static files")
    path = unquote(parts.path)
    if not path.startswith("/static/"):
        raise ValueError(f"refused: {url[:200]} is outside /static/")
    relative = path.removeprefix("/static/")
    segments = relative.split("/")
    if (
        not relative
        or "\\" in relative
        or "\x00" in relative
        or any(segment in ("", ".", "..") for segment in segments)
        or posixpath.normpath(relative) != relative
    ):
        raise ValueError(f"refused: {url[:200]} is not a plain static path")
    suffix = posixpath.splitext(relative)[1].lower()
    if suffix not in SERVED_TYPES:
        raise ValueError(f"refused: {url[:200]} is not a stylesheet, image or font")
    candidates = []
    if settings.STATIC_ROOT:
        candidates.append(Path(settings.STATIC_ROOT) / relative)
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        found = None
    if found:
        candidates.append(Path(found))
    roots = static_roots()
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_file() and any(resolved.is_relative_to(root) for root in roots):
            return resolved
    raise ValueError(f"refused: {url[:200]} is not a static file")


@lru_cache(maxsize=1)
def _weasyprint():
    """Import WeasyPrint once per process and warm it up (fonts), before any fork."""
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeURLFetcher(URLFetcher):
        """Serves our static files only; refuses every other URL (and records each)."""

        def __init__(self):
            super().__init__(allowed_protocols={"https"}, allow_redirects=False, timeout=1)
            self.requested: list[tuple[str, bool]] = []

        def fetch(self, url, headers=None):
            try:
                path = static_file_for(url)
            except ValueError:
                self.requested.append((url, False))
                logger.warning("PDF render refused to fetch %s", url[:200])
                raise
            self.requested.append((url, True))
            content_type = SERVED_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(
                path.name
            )[0]
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    weasyprint.HTML(string="<p>warm-up</p>", url_fetcher=SafeURLFetcher()).write_pdf()
    return weasyprint, SafeURLFetcher


def safe_url_fetcher():
    """A new fetcher that only serves our static files (see SafeURLFetcher)."""
    return _weasyprint()[1]()


def _render_here(html: str) -> PdfResult:
    weasyprint, _ = _weasyprint()
    started = time.perf_counter()
    fetcher = safe_url_fetcher()
    document = weasyprint.HTML(
        string=html, base_url=BASE_URL, url_fetcher=fetcher, media_type="print"
    ).render(presentational_hints=False)
    # PDF/UA-1: a tagged structure tree, /MarkInfo, and the title and language in metadata.
    content = document.write_pdf(pdf_variant="pdf/ua-1")
    return PdfResult(
        content=content,
        pages=len(document.pages),
        seconds=time.perf_counter() - started,
        fetched=fetcher.requested,
    )


def _limit_memory(budget_bytes: int) -> None:
    """Cap this (child) process's address space at its current size plus `budget_bytes`."""
    import resource

    with open("/proc/self/status") as status:
        size = next(
            (int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:")), 0
        )
    limit = size + budget_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash must not write a core file


def _child(connection, html: str, memory_bytes: int) -> None:
    try:
        if memory_bytes and os.path.exists("/proc/self/status"):
            _limit_memory(memory_bytes)
        result = _render_here(html)
        connection.send(("ok", result.pages, result.seconds, result.fetched))
        connection.send_bytes(result.content)
    except MemoryError:
        connection.send(("error", "the document needed more memory than a render may use"))
    except BaseException as error:  # noqa: BLE001 - reported to the parent, never raised here
        connection.send(("error", f"{type(error).__name__}: {error}"[:500]))
    finally:
        connection.close()


_fork_lock = threading.Lock()


def _render_isolated(html: str, timeout: float, memory_bytes: int) -> PdfResult:
    _weasyprint()  # imported and warmed in the parent, so the child inherits it
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    receiver, sender = context.Pipe(duplex=False)
    with _fork_lock:
        child = context.Process(target=_child, args=(sender, html, memory_bytes), daemon=True)
        child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise RenderTimeout(f"the render took longer than {timeout:g} seconds")
        try:
            header = receiver.recv()
            if header[0] != "ok":
                raise RenderError(header[1])
            remaining = max(0.1, timeout - (time.perf_counter() - started))
            if not receiver.poll(remaining):
                raise RenderTimeout(f"the render took longer than {timeout:g} seconds")
            content = receiver.recv_bytes()
        except EOFError:
            raise RenderError(
                "the render stopped without a result (it probably ran out of memory)"
            ) from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    _, pages, _, fetched = header
    return PdfResult(
        content=content, pages=pages, seconds=time.perf_counter() - started, fetched=fetched
    )


def can_isolate() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def html_to_pdf(
    html: str, *, timeout: float | None = None, memory_mb: int | None = None
) -> PdfResult:
    """Render standalone HTML to a tagged PDF (PDF/UA-1), bounded in time, memory and size."""
    limit = _setting("REPORTS_PDF_MAX_HTML_BYTES", 10 * 1024 * 1024)
    if len(html.encode("utf-8")) > limit:
        raise DocumentTooLarge(f"the document is larger than {limit // 1024} KB of HTML")
    timeout = timeout if timeout is not None else _setting("REPORTS_PDF_TIMEOUT_SECONDS", 60)
    memory_mb = memory_mb if memory_mb is not None else _setting("REPORTS_PDF_MEMORY_MB", 1024)
    if _setting("REPORTS_PDF_ISOLATE", True) and can_isolate():
        return _render_isolated(html, timeout, memory_mb * 1024 * 1024)
    return _render_here(html)


# --- Sections: rendered once, assembled into the whole document ------------------------------
#
# WeasyPrint lays a section out as its own HTML document (the same <head>, running header and
# print CSS; only the part's content). Its page boxes are kept, with the layout context that
# made them and each page's counter state. A document is assembled by re-making each page's
# margin boxes (“Page x of y”, the running header) with the page's number in the whole
# document and the whole document's page count, then `Document` of all pages -> write_pdf.
# Tags, bookmarks, links and named destinations are made by write_pdf from the page boxes,
# page by page, so they come out as a whole render's. Sections must start new pages (CSS
# `break-before: page`) so that their layout does not depend on each other. What painting a
# page's content put in its content stream is kept with the section too, and replayed by the
# next assembly instead of painting it again (reports.pagepaint).


@dataclass
class _LaidOut:
    pages: list
    states: list
    context: object
    metadata: object
    #: Per page, what painting its content recorded (reports.pagepaint), None before.
    painted: list = field(default_factory=list)
    #: Per page, ((number, total), margin boxes) of its last assembly, None before.
    margins: list = field(default_factory=list)


class _SectionCache:
    """Laid-out sections of this process, least recently used dropped past `max_pages`."""

    def __init__(self, max_pages: int):
        from collections import OrderedDict

        self.entries: OrderedDict[str, _LaidOut] = OrderedDict()
        self.max_pages = max_pages

    def get(self, key: str) -> "_LaidOut | None":
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: str, entry: _LaidOut, keep: set[str]) -> None:
        self.entries[key] = entry
        total = sum(len(e.pages) for e in self.entries.values())
        for old in list(self.entries):
            if total <= self.max_pages:
                break
            if old not in keep:
                total -= len(self.entries.pop(old).pages)

    def clear(self) -> None:
        self.entries.clear()


_sections = _SectionCache(max_pages=4000)


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _lay_out(html: str) -> _LaidOut:
    import copy

    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.css.counters import CounterStyle
    from weasyprint.document import Document, DocumentMetadata
    from weasyprint.formatting_structure.build import build_formatting_structure
    from weasyprint.html import get_html_metadata
    from weasyprint.layout import layout_document

    weasyprint, _ = _weasyprint()
    source = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=safe_url_fetcher(),
                             media_type="print")
    options = {**DEFAULT_OPTIONS, "presentational_hints": False}
    counter_style = CounterStyle()
    context = Document._build_layout_context(source, _font_config(), counter_style, {}, options)
    root_box = build_formatting_structure(
        source.etree_element, context.style_for, context.get_image_from_uri, source.base_url,
        context.target_collector, counter_style, context.footnotes)
    pages = list(layout_document(source, root_box, context))
    states = [copy.deepcopy(context.page_maker[number][3]) for number in range(1, len(pages) + 1)]
    return _LaidOut(pages, states, context, DocumentMetadata(**get_html_metadata(source)),
                    painted=[None] * len(pages), margins=[None] * len(pages))


def _assemble(parts: list[_LaidOut]) -> tuple[bytes, int]:
    """The whole document's PDF from its laid-out parts, and how many pages were painted."""
    import copy

    from weasyprint.document import Document, Page
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.background import layout_backgrounds, layout_box_backgrounds
    from weasyprint.layout.page import make_margin_boxes

    from reports import pagepaint

    total = sum(len(part.pages) for part in parts)
    pages, number = [], 0
    for part in parts:
        for index, page_box in enumerate(part.pages):
            number += 1
            margins = part.margins[index]
            if margins is None or margins[0] != (number, total):
                # The margin boxes show the page's number and the document's page count.
                part.context.current_page = index + 1
                state = copy.deepcopy(part.states[index])
                state[1]["page"] = [number]
                state[1]["pages"] = [total]
                kept = [child for child in page_box.children
                        if not isinstance(child, boxes.MarginBox)]
                made = list(make_margin_boxes(part.context, page_box, state))
                page_box.children = tuple(kept + made)
                if margins is None:  # the content's backgrounds, once: they do not change
                    layout_backgrounds(page_box, part.context.get_image_from_uri)
                else:
                    for box in made:
                        layout_box_backgrounds(page_box, box, part.context.get_image_from_uri)
                part.margins[index] = ((number, total), made)
            pages.append(Page(page_box))
    first = parts[0]
    document = Document(pages, first.metadata, safe_url_fetcher(), _font_config(), {}, None)
    records = [record for part in parts for record in part.painted]
    content, records, replayed = pagepaint.write_pdf(document, records, pdf_variant="pdf/ua-1")
    start = 0
    for part in parts:
        part.painted = records[start:start + len(part.pages)]
        start += len(part.pages)
    return content, len(pages) - replayed


def _render_sections_here(sections: list[tuple[str, str]], progress=None) -> PdfResult:
    """Assemble the document from `sections`, (key, html) pairs, laying out only the keys
    this process does not hold yet; `progress()` is called after each section laid out."""
    started = time.perf_counter()
    keys = {key for key, _ in sections}
    parts, laid_out = [], []
    for key, html in sections:
        part = _sections.get(key)
        if part is None:
            part = _lay_out(html)
            _sections.put(key, part, keys)
            laid_out.append(key)
            if progress is not None:
                progress()
        parts.append(part)
    content, painted = _assemble(parts)
    return PdfResult(content=content, pages=sum(len(p.pages) for p in parts),
                     seconds=time.perf_counter() - started, laid_out=laid_out, painted=painted)


def _serve(connection, memory_bytes: int) -> None:
    """The section renderer's loop: one long-lived child per process, which keeps the laid-out
    sections between renders; it exits when its parent goes or its memory runs out."""
    if memory_bytes and os.path.exists("/proc/self/status"):
        _limit_memory(memory_bytes)
    while True:
        try:
            sections = connection.recv()
        except (EOFError, OSError):
            return
        try:
            result = _render_sections_here(sections,
                                           progress=lambda: connection.send(("progress",)))
            connection.send(("ok", result.pages, result.seconds, result.laid_out,
                             result.painted))
            connection.send_bytes(result.content)
        except MemoryError:
            _sections.clear()
            connection.send(("error", "the document needed more memory than a render may use"))
            return
        except BaseException as error:  # noqa: BLE001 - reported to the parent
            connection.send(("error", f"{type(error).__name__}: {error}"[:500]))


class _SectionRenderer:
    """The parent's handle on its section-rendering child (started on first use, restarted
    after a timeout or a crash, which loses its laid-out sections)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.child = None
        self.connection = None
        self.owner = None
        #: The section keys of a render sent to the child whose result is not read yet.
        self.pending = None

    def _start(self, memory_bytes: int) -> None:
        _weasyprint()
        context = multiprocessing.get_context("fork")
        parent_end, child_end = context.Pipe(duplex=True)
        with _fork_lock:
            self.child = context.Process(target=_serve, args=(child_end, memory_bytes),
                                         daemon=True)
            self.child.start()
        child_end.close()
        self.connection, self.owner = parent_end, os.getpid()

    def stop(self) -> None:
        if self.connection is not None:
            self.connection.close()
        if self.child is not None and self.owner == os.getpid():
            if self.child.is_alive():
                self.child.kill()
            self.child.join(5)
        self.child = self.connection = self.owner = self.pending = None

    def render(self, sections, timeout: float, memory_bytes: int,
               total: float | None = None) -> PdfResult:
        """The assembled document. Each step (a section's layout, the assembly) has `timeout`
        seconds: a step that takes longer stops the child. Past `total` seconds a render that
        is still making progress raises RenderStillRunning and goes on in the child; the next
        request for the same sections waits for it (a different one waits for it first)."""
        keys = [key for key, _ in sections]
        with self.lock:
            if self.owner != os.getpid() or self.child is None or not self.child.is_alive():
                self.child = self.connection = self.pending = None
                self._start(memory_bytes)
            started = time.perf_counter()
            deadline = started + (total if total is not None else float("inf"))
            try:
                if self.pending is not None and self.pending != keys:
                    try:
                        self._result(timeout, float("inf"))  # finish (and drop) the other one
                    except RenderError:
                        self.stop()
                        self._start(memory_bytes)
                if self.pending is None:
                    self.connection.send(sections)
                    self.pending = keys
                header, content = self._result(timeout, deadline)
            except (EOFError, OSError):
                self.stop()
                raise RenderError(
                    "the render stopped without a result (it probably ran out of memory)"
                ) from None
            except RenderStillRunning:
                raise
            except RenderError:
                self.stop()
                raise
        _, pages, _, laid_out, painted = header
        return PdfResult(content=content, pages=pages, seconds=time.perf_counter() - started,
                         laid_out=laid_out, painted=painted)

    def _result(self, timeout: float, deadline: float):
        """Wait for the pending render's result, each step within `timeout`."""
        while True:
            wait = min(timeout, max(deadline - time.perf_counter(), 0.0))
            if not self.connection.poll(wait):
                if time.perf_counter() >= deadline:
                    raise RenderStillRunning("the render is still going on after the time "
                                             "allowed (REPORTS_PDF_TOTAL_SECONDS)")
                raise RenderTimeout(f"a part of the render took longer than {timeout:g} seconds")
            message = self.connection.recv()
            if message[0] == "progress":
                continue
            self.pending = None
            if message[0] != "ok":
                raise RenderError(message[1])
            return message, self.connection.recv_bytes()


_renderer = _SectionRenderer()


def sections_to_pdf(sections: list[tuple[str, str]], *, timeout: float | None = None,
                    memory_mb: int | None = None) -> PdfResult:
    """Assemble a tagged PDF (PDF/UA-1) from sections, (cache key, standalone HTML) pairs,
    laying out only the sections not laid out before; bounded like html_to_pdf."""
    limit = _setting("REPORTS_PDF_MAX_HTML_BYTES", 10 * 1024 * 1024)
    size = max((len(html.encode("utf-8")) for _, html in sections), default=0)
    if size > limit:
        raise DocumentTooLarge(f"one part of the document is larger than {limit // 1024} KB "
                               "of HTML")
    timeout = timeout if timeout is not None else _setting("REPORTS_PDF_TIMEOUT_SECONDS", 60)
    memory_mb = memory_mb if memory_mb is not None else _setting(
        "REPORTS_PDF_SECTIONS_MEMORY_MB", 2048)
    if _setting("REPORTS_PDF_ISOLATE", True) and can_isolate():
        return _renderer.render(sections, timeout, memory_mb * 1024 * 1024,
                                total=_setting("REPORTS_PDF_TOTAL_SECONDS", 75))
    return _render_sections_here(sections)


def warm_up() -> None:
    """Import and warm WeasyPrint now (a web or worker process starting), not on a first
    render."""
    _weasyprint()
