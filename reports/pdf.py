"""HTML to tagged PDF with WeasyPrint: the only module that imports it.

Safety: WeasyPrint fetches stylesheets, images and attachments through `SafeURLFetcher`, which
serves files from our own static files and nothing else (no file://, no http(s) to any host,
no `..`, redirects off). Documents link their print CSS as `STATIC_BASE + "reports/print.css"`.
User text reaches WeasyPrint only through Django's auto-escaping templates, and
`presentational_hints` stays off.

Bounds: a render runs in a forked child process with a wall-clock timeout and an address-space
limit, so one huge document cannot take a web or worker process down; the HTML's size is
checked first. Settings (all optional): REPORTS_PDF_TIMEOUT_SECONDS (60),
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


class DocumentTooLarge(RenderError):
    """The HTML is bigger than REPORTS_PDF_MAX_HTML_BYTES."""

    advice = (
        "Trying again will not help: the document is too large to make into a PDF. Read it in "
        "the browser instead, shorten its longest texts (narratives, commentary, key issues), "
        "or ask your administrator to raise the size limit."
    )


@dataclass
class PdfResult:
    content: bytes
    pages: int
    seconds: float
    #: Every URL WeasyPrint asked for, with whether it was served.
    fetched: list[tuple[str, bool]] = field(default_factory=list)


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
