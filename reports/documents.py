"""The document pipeline: live data -> Django template -> HTML page and tagged PDF.

A document is a template plus a context builder. The same body template is shown in the
browser (inside the site's layout) and, wrapped in `reports/pdf.html` with the print CSS,
turned into an A4 PDF by `reports.pdf` (the only module that imports WeasyPrint). Rendered
PDFs are cached in the database (`RenderedDocument`) under a SHA-256 of the data the document
shows, so an unchanged document is served from cache by any process, and a changed one is
re-rendered in the background (`reports.tasks`).

Registering a document from another app (e.g. providers' weekly highlight report)::

    # providers/documents.py
    from reports.documents import Document, register
    from winterplan import permissions

    @register
    class WeeklyHighlightReport(Document):
        slug = "weekly-highlight-report"               # unique; used in the cache and URLs
        title = "COVID-19 weekly highlight report"
        title_in_sentence = ""                        # optional: the title mid-sentence
        template_name = "providers/documents/weekly_highlight_report.html"  # the body only
        read_roles = permissions.APPROVING_ROLES      # optional: who may read it (default all)
        orientation = "portrait"                      # or "landscape"

        def get_context(self, subject, *, as_at):
            # `subject` is what the document is about (here a Council); `as_at` is None for
            # the live data or an aware datetime to rebuild from history. Call selectors only,
            # and return plain data (dicts, lists, dataclasses, dates, numbers, strings):
            # everything returned is hashed into the cache key, so a change in it re-renders.
            return {"council": subject, "summary": highlight_summary(subject, as_at=as_at)}

        def running_header(self, subject, context):   # optional: the PDF's page header
            return f"{subject.name} · Weekly highlight report"

Import that module from the app's `AppConfig.ready()` so the registry knows the document.
The body template starts with one `<h1>` and may use GOV.UK classes (`govuk-table`...) and
our print classes (`static/reports/print.css`); never mark user text safe.

Then, in views, either subclass `reports.views.DocumentPageView` / `DocumentPdfView` (set
`document_slug`, implement `get_subject()`), or call the functions here::

    built = build(get("weekly-highlight-report"), council, as_at=None)
    html = render_html(built)          # standalone HTML, as the PDF sees it
    pdf = render_pdf(built)            # PdfDocument(content, pages, seconds, cached, key)
    response = pdf_response(built, pdf)
"""

import abc
import datetime
import decimal
import enum
import hashlib
import json
import logging
import time
from dataclasses import dataclass, fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.db import DatabaseError, IntegrityError, models, transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from winterplan import permissions

logger = logging.getLogger(__name__)

#: Raise to invalidate every cached render (the templates and CSS are hashed as well).
PIPELINE_VERSION = 1
#: Renders kept per document and subject (live and as-at ones together).
KEEP_RENDERS = 6


class Document(abc.ABC):
    """One kind of document. Subclass, set the attributes, implement get_context()."""

    slug: ClassVar[str] = ""
    title: ClassVar[str] = ""
    #: The title inside a sentence (“View the letter to DHSC”); the title itself if unset.
    title_in_sentence: ClassVar[str] = ""
    template_name: ClassVar[str] = ""
    pdf_template_name: ClassVar[str] = "reports/pdf.html"
    page_template_name: ClassVar[str] = "reports/document_page.html"
    orientation: ClassVar[str] = "portrait"
    read_roles: ClassVar[frozenset[str]] = frozenset(permissions.ROLES)
    #: Choices a reader may switch on (query `?<name>=1`), each with the words naming the
    #: copy it makes (“working copy”); they reach get_context() as `options`.
    options: ClassVar[dict[str, str]] = {}

    @abc.abstractmethod
    def get_context(self, subject, *, as_at: datetime.datetime | None) -> dict[str, Any]:
        """The data the document shows, from selectors only."""

    def available_for(self, subject) -> bool:
        """Whether the subject has this document at all (its pages answer 404 otherwise)."""
        return True

    @property
    def label(self) -> str:
        """The title as written inside a sentence (acronyms and proper names kept)."""
        return self.title_in_sentence or self.title

    def document_title(self, subject, context: dict[str, Any]) -> str:
        """The PDF's title (metadata) and the page's <title>."""
        return f"{self.title}: {subject}"

    def running_header(self, subject, context: dict[str, Any]) -> str:
        """The text printed at the top of every PDF page."""
        return str(subject)

    def filename(self, subject, as_at: datetime.datetime | None) -> str:
        stem = getattr(subject, "slug", None) or str(getattr(subject, "pk", "document"))
        when = f"-as-at-{timezone.localtime(as_at):%Y-%m-%d}" if as_at else ""
        return f"{stem}-{self.slug}{when}.pdf"

    def subject_ref(self, subject) -> str:
        return f"{subject._meta.label_lower}:{subject.pk}"

    def cache_key(self, subject, as_at: datetime.datetime | None, context: dict,
                  options: frozenset[str] = frozenset()) -> str:
        """SHA-256 of everything the document shows: its data, the moment, the options chosen,
        the templates and print styles. Override only to leave out data it does not print."""
        payload = {
            "pipeline": PIPELINE_VERSION,
            "assets": assets_fingerprint(),
            "document": self.slug,
            "subject": self.subject_ref(subject),
            "as_at": canonical(as_at),
            "options": sorted(options),
            "data": canonical(context),
        }
        return hashlib.sha256(
            json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
        ).hexdigest()

    def sections(self, context: dict[str, Any]) -> "list[Section] | None":
        """The parts the PDF is assembled from, each rendered and cached on its own (None: the
        document is rendered whole). Each must start a new page in the whole document too."""
        return None

    def version_councils(self, subject) -> list[int] | None:
        """The councils whose data versions (winterplan.versions) cover everything the document
        shows about `subject`; None: no such list, so every download rebuilds its data."""
        return None

    #: The parts of those versions (winterplan.versions.PARTS) that cover what it shows: both
    #: unless a document shows only one part (a provider document: "providers").
    version_parts: tuple[str, ...] = ("plan", "providers")

    def stored_pdf(self, subject, as_at: datetime.datetime | None) -> bytes | None:
        """Bytes that must be served instead of a render (e.g. an approved letter)."""
        return None

    def stored_docx(self, subject, as_at: datetime.datetime | None) -> bytes | None:
        """Word bytes that must be served instead of a new .docx (e.g. an approved letter)."""
        return None

    def stored_html(self, subject, as_at: datetime.datetime | None) -> str | None:
        """A body that must be shown instead of a render (e.g. an approved letter)."""
        return None

    def __repr__(self) -> str:
        return f"<Document {self.slug}>"


_registry: dict[str, Document] = {}


def register(document_class: type[Document]) -> type[Document]:
    """Class decorator: make the document known by its slug."""
    if not document_class.slug or not document_class.template_name:
        raise ValueError(f"{document_class.__name__} needs a slug and a template_name")
    existing = _registry.get(document_class.slug)
    if existing is not None and type(existing).__qualname__ != document_class.__qualname__:
        raise ValueError(f"two documents are registered as “{document_class.slug}”")
    _registry[document_class.slug] = document_class()
    return document_class


def get(slug: str) -> Document:
    """The registered document with that slug (KeyError if none)."""
    return _registry[slug]


def registered() -> list[Document]:
    return list(_registry.values())


# --- The cache key: a hash of the data shown ---------------------------------------------


def canonical(value: Any) -> Any:
    """`value` as JSON-ready data, for hashing. Refuses types it cannot see into."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    if is_dataclass(value) and not isinstance(value, type):
        return {
            "__type__": type(value).__qualname__,
            **{f.name: canonical(getattr(value, f.name)) for f in fields(value)},
        }
    if isinstance(value, models.Model):
        return {
            "__model__": value._meta.label_lower,
            **{f.attname: canonical(getattr(value, f.attname)) for f in value._meta.concrete_fields
               if not isinstance(f, models.BinaryField)},
        }
    if isinstance(value, models.QuerySet):
        return [canonical(item) for item in value]
    if isinstance(value, dict):
        return {str(key): canonical(item) for key, item in sorted(value.items(), key=str)}
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((canonical(item) for item in value), key=json.dumps)
    if hasattr(value, "fingerprint_data"):
        return canonical(value.fingerprint_data())
    raise TypeError(
        f"cannot hash a {type(value).__name__} into a document's cache key; "
        "return plain data from get_context()"
    )


@lru_cache(maxsize=1)
def assets_fingerprint() -> str:
    """A hash of the templates and print styles (once per process: a deploy restarts it)."""
    digest = hashlib.sha256()
    roots = [Path(directory) for config in settings.TEMPLATES for directory in config["DIRS"]]
    roots.append(Path(settings.BASE_DIR) / "static" / "reports")
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def version_key(document: Document, subject, *, as_at: datetime.datetime | None = None,
                options=frozenset()) -> str | None:
    """SHA-256 of what decides the document without reading its data: the document, subject,
    moment (the as-at date, or today's date for the live one), options, the data versions of
    its councils (the parts it shows), the pipeline and the templates. None for a document
    without councils. Read before the data, so a render stored under it never shows older data
    than its version."""
    councils = document.version_councils(subject)
    if councils is None:
        return None
    from winterplan import versions

    payload = {
        "pipeline": PIPELINE_VERSION,
        "assets": assets_fingerprint(),
        "document": document.slug,
        "subject": document.subject_ref(subject),
        "as_at": canonical(as_at),
        "today": None if as_at else timezone.localdate().isoformat(),
        "options": sorted(options),
        "versions": sorted(versions.current_many(councils, document.version_parts).items()),
        "parts": list(document.version_parts),
    }
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


# --- Building and rendering ---------------------------------------------------------------


@dataclass
class Section:
    """One part of a document: the template variables that make the document show only this
    part (`overrides`), and the data that part shows (`data`, hashed into its cache key)."""

    name: str
    overrides: dict[str, Any]
    data: Any


@dataclass
class BuiltDocument:
    """A document's data for one subject at one moment, with its cache key."""

    document: Document
    subject: Any
    as_at: datetime.datetime | None
    context: dict[str, Any]
    key: str
    title: str
    header: str
    options: frozenset[str] = frozenset()
    #: The cheap key it is found by next time (`version_key`); blank: none.
    version_key: str = ""

    @property
    def slug(self) -> str:
        return self.document.slug

    def template_context(self) -> dict[str, Any]:
        from reports.pdf import STATIC_BASE

        return {
            **self.context,
            "pdf_static_base": STATIC_BASE,
            "document": self.document,
            "document_title": self.title,
            "running_header": self.header,
            "as_at": self.as_at,
            "options": self.options,
            "stored_html": self.document.stored_html(self.subject, self.as_at),
        }


def build(document: Document, subject, *, as_at: datetime.datetime | None = None,
          options=(), known_version_key: str | None = None, data_key: bool = True):
    """Gather the document's data (selectors only) and compute its cache keys; `options` are
    names from the document's `options` (ValueError for any other). `data_key=False` skips
    hashing the data (the PDF cache's key, blank then): for the web page, which is found by
    its version key alone."""
    chosen = frozenset(options)
    if unknown := chosen - set(document.options):
        raise ValueError(f"{document.slug} has no option {', '.join(sorted(unknown))}")
    vkey = known_version_key or version_key(document, subject, as_at=as_at, options=chosen)
    extra = {"options": chosen} if document.options else {}
    context = document.get_context(subject, as_at=as_at, **extra)
    key = document.cache_key(subject, as_at, context, chosen) if data_key else ""
    return BuiltDocument(
        document=document,
        subject=subject,
        as_at=as_at,
        context=context,
        key=key,
        title=document.document_title(subject, context),
        header=document.running_header(subject, context),
        options=chosen,
        version_key=vkey or "",
    )


#: Query values that switch a document's option on.
TRUE_VALUES = ("1", "true", "yes", "on")


def options_from(document: Document, query) -> frozenset[str]:
    """The document's options switched on in a query (`?status=1`); others are ignored."""
    return frozenset(
        name for name in document.options if query.get(name, "").strip().lower() in TRUE_VALUES
    )


def query_string(as_at: datetime.datetime | None, options) -> str:
    """“?as_at=YYYY-MM-DD&status=1” for a document's links (“” when neither is set)."""
    parts = [f"as_at={timezone.localtime(as_at):%Y-%m-%d}"] if as_at else []
    parts += [f"{name}=1" for name in sorted(options)]
    return "?" + "&".join(parts) if parts else ""


def copy_name(document: Document, options) -> str:
    """The words naming the copy the options make (“working copy”), or “”."""
    return " and ".join(document.options[name] for name in sorted(options))


def render_body(built: BuiltDocument) -> str:
    """The document's body alone (what the page shows inside the site's layout)."""
    return render_to_string(built.document.template_name, built.template_context())


def render_html(built: BuiltDocument) -> str:
    """The standalone HTML the PDF is made from (not the site's layout)."""
    return render_to_string(built.document.pdf_template_name, built.template_context())


def section_key(built: BuiltDocument, section: Section) -> str:
    """SHA-256 of what one section shows (its data, the document's title and header, the
    templates and styles): an unchanged section is not laid out again."""
    payload = {
        "pipeline": PIPELINE_VERSION,
        "assets": assets_fingerprint(),
        "document": built.slug,
        "section": section.name,
        "title": built.title,
        "header": built.header,
        "options": sorted(built.options),
        "data": canonical(section.data),
    }
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


class _SectionHtml:
    """Standalone HTML of sections by section key (which hashes everything the HTML is made
    from), least recently used dropped past `max_bytes`: after one edit only the edited
    section's template is rendered again. A cache of this process only: any process makes the
    same HTML from the same key."""

    def __init__(self, max_bytes: int):
        import threading
        from collections import OrderedDict

        self.entries: OrderedDict[str, str] = OrderedDict()
        self.size, self.max_bytes = 0, max_bytes
        self.lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self.lock:
            html = self.entries.get(key)
            if html is not None:
                self.entries.move_to_end(key)
            return html

    def put(self, key: str, html: str) -> None:
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = html
            self.size += len(html)
            while self.size > self.max_bytes and len(self.entries) > 1:
                _, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped)


_section_html = _SectionHtml(max_bytes=48 * 1024 * 1024)


def section_sources(built: BuiltDocument, sections: list[Section]) -> list[tuple[str, str]]:
    """(key, standalone HTML) of each section: the whole document's page with only that
    section's content (rendered only for keys this process has not rendered before)."""
    context = None
    template = built.document.pdf_template_name
    sources = []
    for section in sections:
        key = section_key(built, section)
        html = _section_html.get(key)
        if html is None:
            if context is None:
                context = built.template_context()
            html = render_to_string(template, {**context, **section.overrides})
            _section_html.put(key, html)
        sources.append((key, html))
    return sources


@dataclass
class PdfDocument:
    content: bytes
    pages: int
    seconds: float
    cached: bool
    key: str
    #: The keys of the sections laid out for this render (empty when cached or whole).
    laid_out: tuple[str, ...] = ()


def cached_pdf(built: BuiltDocument) -> "PdfDocument | None":
    """The stored render for exactly this data, if there is one (then found by the built
    version key from now on)."""
    from reports.models import RenderedDocument

    row = (
        RenderedDocument.objects.filter(
            document=built.slug, subject=built.document.subject_ref(built.subject), key=built.key
        )
        .only("pk", "content", "pages", "render_seconds", "version_key")
        .first()
    )
    if row is None:
        return None
    if built.version_key and row.version_key != built.version_key:
        try:
            RenderedDocument.objects.filter(pk=row.pk).update(version_key=built.version_key)
        except DatabaseError:
            logger.warning("Could not record the version key of %s", built.slug, exc_info=True)
    return PdfDocument(bytes(row.content), row.pages, row.render_seconds, True, built.key)


def cached_by_version(document: Document, subject, key: str | None) -> "PdfDocument | None":
    """The stored render found by its version key (one query; no data is read)."""
    from reports.models import RenderedDocument

    if not key:
        return None
    row = (
        RenderedDocument.objects.filter(
            document=document.slug, subject=document.subject_ref(subject), version_key=key)
        .only("content", "pages", "render_seconds", "key").order_by().first()
    )
    if row is None:
        return None
    return PdfDocument(bytes(row.content), row.pages, row.render_seconds, True, row.key)


@dataclass
class Wanted:
    """A document asked for (what a download's name and headers need), before any build."""

    document: Document
    subject: Any
    as_at: datetime.datetime | None
    options: frozenset[str] = frozenset()


def pdf_for(document: Document, subject, *, as_at: datetime.datetime | None = None,
            options=()) -> "tuple[PdfDocument, BuiltDocument | Wanted]":
    """The download path: the render found by its version key (a couple of small queries, no
    data read); else build and `render_pdf`. Raises what build() and render_pdf() raise."""
    chosen = frozenset(options)
    key = version_key(document, subject, as_at=as_at, options=chosen)
    if (hit := cached_by_version(document, subject, key)) is not None:
        return hit, Wanted(document, subject, as_at, chosen)
    built = build(document, subject, as_at=as_at, options=chosen, known_version_key=key)
    return render_pdf(built), built


#: The page body cache (settings CACHES: shared by every process, never process memory).
PAGE_CACHE_SECONDS = 24 * 60 * 60


@dataclass
class PageBody:
    """What a document's web page shows of it, cached under its version key."""

    title: str
    body: str
    stored: bool


def page_body(document: Document, subject, *, as_at: datetime.datetime | None = None,
              options=()) -> PageBody:
    """The body the document's page shows: from the cache by its version key when nothing
    changed, else built, rendered and cached. Raises what build() raises."""
    from django.core.cache import cache

    chosen = frozenset(options)
    key = version_key(document, subject, as_at=as_at, options=chosen)
    # One entry per page (document, subject, date, options) holding the version key it was
    # built at: a new version overwrites it instead of adding an entry per edit (which filled
    # the database cache and made it cull other pages' entries).
    cache_key = None
    if key:
        cache_key = "document-page:" + hashlib.sha256(json.dumps(
            [document.slug, document.subject_ref(subject), canonical(as_at),
             timezone.localdate().isoformat(), sorted(chosen)], default=str).encode()
        ).hexdigest()
        entry = cache.get(cache_key)
        if (isinstance(entry, tuple) and len(entry) == 2 and entry[0] == key
                and isinstance(entry[1], PageBody)):
            return entry[1]
    built = build(document, subject, as_at=as_at, options=chosen, known_version_key=key,
                  data_key=False)
    stored = document.stored_html(subject, as_at)
    page = PageBody(built.title, stored if stored is not None else render_body(built),
                    stored is not None)
    if cache_key:
        cache.set(cache_key, (key, page), PAGE_CACHE_SECONDS)
    return page


class BeingPrepared(Exception):
    """Another process is rendering this document; it was not ready within the wait."""

    def __init__(self, retry_after: int):
        super().__init__("the document is being prepared")
        self.retry_after = retry_after


def render_pdf(built: BuiltDocument, *, use_cache: bool = True,
               wait_seconds: float | None = None) -> PdfDocument:
    """The document as PDF: stored bytes if it has them, else the cache, else a new render
    (which is then cached). One render at a time per document: a request for a render under
    way (in any process) waits for its result up to `wait_seconds`
    (REPORTS_PREPARING_WAIT_SECONDS), then raises BeingPrepared."""
    stored = built.document.stored_pdf(built.subject, built.as_at)
    if stored is not None:
        return PdfDocument(stored, 0, 0.0, True, built.key)
    if use_cache and (hit := cached_pdf(built)) is not None:
        return hit
    if not use_cache:
        return _render_and_store(built)
    subject_ref = built.document.subject_ref(built.subject)
    wait = wait_seconds if wait_seconds is not None else preparing_wait_seconds()
    deadline = timezone.now() + datetime.timedelta(seconds=wait)
    while True:
        if _lease_take(built.slug, subject_ref, built.key):
            try:
                if (hit := cached_pdf(built)) is not None:
                    return hit  # stored while we waited for the lease
                return _render_and_store(built)
            finally:
                _lease_release(built.slug, subject_ref, built.key)
        # Another process is rendering exactly this: wait for its result.
        time.sleep(LEASE_POLL_SECONDS)
        if (hit := cached_pdf(built)) is not None:
            return hit
        if timezone.now() > deadline:
            raise BeingPrepared(retry_after=PREPARING_RETRY_SECONDS)


def preparing_wait_seconds() -> float:
    """How long a download waits for another process's render before the “being prepared”
    page (REPORTS_PREPARING_WAIT_SECONDS, 10)."""
    return float(getattr(settings, "REPORTS_PREPARING_WAIT_SECONDS", 10))


#: How often a request waiting for another process's render looks for its result.
LEASE_POLL_SECONDS = 0.2
#: How many times a lease is asked for while the database answers "locked" (SQLite).
LEASE_LOCKED_TRIES = 25
#: The Retry-After of the “being prepared” page.
PREPARING_RETRY_SECONDS = 5


def lease_seconds() -> float:
    return getattr(settings, "REPORTS_PDF_TIMEOUT_SECONDS", 60) + 30


def _lease_take(document_slug: str, subject_ref: str, key: str) -> bool:
    """Take the render lease for this exact render (a database row, so it holds across
    processes); an expired lease (its renderer died) is taken over."""
    from reports.models import RenderLease

    for attempt in range(LEASE_LOCKED_TRIES):
        now = timezone.now()
        expires = now + datetime.timedelta(seconds=lease_seconds())
        try:
            with transaction.atomic():
                RenderLease.objects.create(document=document_slug, subject=subject_ref,
                                           key=key, expires_at=expires)
            return True
        except IntegrityError:
            try:
                return bool(RenderLease.objects.filter(
                    document=document_slug, subject=subject_ref, key=key, expires_at__lt=now
                ).update(expires_at=expires))
            except DatabaseError as error:
                failure = error
        except DatabaseError as error:
            failure = error
        if "locked" not in str(failure) or attempt == LEASE_LOCKED_TRIES - 1:
            break
        # SQLite: another process's write holds the database for a moment (its own render
        # storing its result, often): ask again rather than render the same thing twice.
        time.sleep(LEASE_POLL_SECONDS)
    logger.warning("Could not take the render lease; rendering anyway", exc_info=failure)
    return True


def _lease_release(document_slug: str, subject_ref: str, key: str) -> None:
    from reports.models import RenderLease

    try:
        RenderLease.objects.filter(document=document_slug, subject=subject_ref, key=key).delete()
    except DatabaseError:
        logger.warning("Could not release the render lease", exc_info=True)


def _render_and_store(built: BuiltDocument) -> PdfDocument:
    from reports.models import RenderedDocument
    from reports.pdf import html_to_pdf, sections_to_pdf

    parts = built.document.sections(built.context)
    if parts:
        result = sections_to_pdf(section_sources(built, parts))
    else:
        result = html_to_pdf(render_html(built))
    subject_ref = built.document.subject_ref(built.subject)
    try:
        with transaction.atomic():
            RenderedDocument.objects.create(
                document=built.slug,
                subject=subject_ref,
                key=built.key,
                version_key=built.version_key,
                as_at=built.as_at,
                content=result.content,
                pages=result.pages,
                render_seconds=result.seconds,
            )
            _prune(built.slug, subject_ref)
    except IntegrityError:
        pass  # another process stored the same render first
    except DatabaseError:  # e.g. "database is locked": the render is still good, serve it
        logger.warning("Could not cache %s of %s; serving it uncached", built.slug, subject_ref,
                       exc_info=True)
    logger.info("Rendered %s of %s: %d pages in %.2f s", built.slug, subject_ref, result.pages,
                result.seconds)
    return PdfDocument(result.content, result.pages, result.seconds, False, built.key,
                       tuple(result.laid_out))


def _prune(document_slug: str, subject_ref: str) -> None:
    from reports.models import RenderedDocument

    rows = RenderedDocument.objects.filter(document=document_slug, subject=subject_ref)
    keep = list(rows.order_by("-created_at", "-pk").values_list("pk", flat=True)[:KEEP_RENDERS])
    rows.exclude(pk__in=keep).delete()


def has_live_render(document: Document, subject) -> bool:
    """Whether the live document was ever downloaded (then it is worth keeping warm)."""
    from reports.models import RenderedDocument

    return RenderedDocument.objects.filter(
        document=document.slug, subject=document.subject_ref(subject), as_at__isnull=True
    ).exists()


def pdf_response(built: "BuiltDocument | Wanted", pdf: PdfDocument) -> HttpResponse:
    """The PDF as a download, named after the subject, the document and any as-at date."""
    response = HttpResponse(pdf.content, content_type="application/pdf")
    filename = built.document.filename(built.subject, built.as_at)
    if built.options:
        suffix = copy_name(built.document, built.options).replace(" ", "-")
        filename = f"{filename.removesuffix('.pdf')}-{suffix}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Document-Cache"] = "hit" if pdf.cached else "miss"
    return response
