"""Stream the rows of CQC's files, bounded before and while reading.

Each reader yields (row number, cell texts) for the data sheet or the CSV, header first, and
stops with a TableError at the first limit reached: the file's size (`IMPORT_CQC_MAX_UPLOAD_MB`),
its uncompressed parts, the rows read (`IMPORT_CQC_MAX_ROWS`) or the time
(`IMPORT_CQC_MAX_SECONDS`). Nothing holds the whole sheet: the .xlsx goes through openpyxl's
read-only parser (winterplan.spreadsheets), the .ods through the standard library's
incremental XML parser, row by row, each row dropped once read.
"""

import csv
import io
import time
import xml.etree.ElementTree as ET  # noqa: S405 - expat: no external entities, no DTD expansion
import zipfile
from collections.abc import Iterator

from django.conf import settings

from providers.cqc.layouts import (
    DIRECTORY_MAX_PREAMBLE_LINES,
    HSCA_SHEET_NAMES,
    is_hsca_sheet,
    unknown_layout_message,
)
from winterplan.spreadsheets import (
    MAX_XLSX_PARTS,
    MB,
    ImportRowError,
    SheetBounds,
    TableError,
    cell_text,
    upload_size_error,
    xlsx_sheet_rows,
)

#: Columns read of each row: CQC's workbook has 122; an edition may add some.
MAX_COLUMNS = 300
#: The data sheet's XML uncompressed (CQC's .ods content.xml is about 440 MB).
MAX_SHEET_PART_BYTES = 1024 * MB
#: The .xlsx shared text, which openpyxl holds in memory whole.
MAX_SHARED_STRINGS_BYTES = 128 * MB
MAX_WORKBOOK_XML_BYTES = 1 * MB

NumberedRows = Iterator[tuple[int, list[str]]]


def file_error(message: str, row: int = 1) -> TableError:
    return TableError(ImportRowError(row, "file", message))


def cqc_size_error(size: int) -> str | None:
    return upload_size_error(size, settings.IMPORT_CQC_MAX_UPLOAD_MB)


def row_limit() -> int:
    return settings.IMPORT_CQC_MAX_ROWS


class Clock:
    """The time a file may take to read (`IMPORT_CQC_MAX_SECONDS`)."""

    def __init__(self):
        self.seconds = settings.IMPORT_CQC_MAX_SECONDS
        self.deadline = time.monotonic() + self.seconds

    def check(self, row: int) -> None:
        if time.monotonic() > self.deadline:
            raise file_error(
                f"Reading the file took longer than {self.seconds} seconds (stopped at row "
                f"{row:,}): nothing was imported.", row)


def _zip_parts(content: bytes, what: str) -> list[zipfile.ZipInfo]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise file_error(f"The file is not a readable {what} workbook (it is not a zip "
                         "archive).") from None
    if len(parts) > MAX_XLSX_PARTS:
        raise file_error(f"The file is not a readable {what} workbook: it holds "
                         f"{len(parts):,} parts (at most {MAX_XLSX_PARTS}).")
    return parts


# --- .xlsx -----------------------------------------------------------------------------------

_SPREADSHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def xlsx_sheet_names(content: bytes) -> list[str] | None:
    """The workbook's sheet names from its xl/workbook.xml, or None if it is no workbook."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            info = archive.getinfo("xl/workbook.xml")
            if info.file_size > MAX_WORKBOOK_XML_BYTES:
                return None
            root = ET.fromstring(archive.read(info))  # noqa: S314 - bounded, no entities
    except (KeyError, zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            ET.ParseError):
        return None
    return [sheet.get("name") or "" for sheet in root.iter(f"{_SPREADSHEET_NS}sheet")]


class Rows:
    """A sheet's rows, header first; `want(positions)` after the header reads only those
    columns (0 is the first) of the rows after it (a national sheet has 122, we use 20)."""

    wanted: set[int] | None = None

    def want(self, positions: set[int]) -> None:
        self.wanted = positions


class XlsxRows(Rows):
    """The HSCA sheet's rows of an .xlsx workbook."""

    def __init__(self, content: bytes):
        self.content = content
        self.bounds = SheetBounds(width=MAX_COLUMNS, limit=row_limit())

    def want(self, positions: set[int]) -> None:
        self.bounds.wanted = {position + 1 for position in positions}

    def __iter__(self) -> NumberedRows:
        def choose(names):
            return next(name for name in names if is_hsca_sheet(name))

        for number, values in xlsx_sheet_rows(
                self.content, bounds=self.bounds, choose_sheet=choose,
                part_limit=MAX_SHEET_PART_BYTES, shared_strings_limit=MAX_SHARED_STRINGS_BYTES):
            last = len(values)
            while last and values[last - 1] is None:
                last -= 1
            yield number, [cell_text(value).strip() if value is not None else ""
                           for value in values[:last]]


# --- .ods ------------------------------------------------------------------------------------

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")


def _paragraph_text(element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{_TEXT}s":
            parts.append(" " * min(int(child.get(f"{_TEXT}c", "1") or 1), 1000))
        elif child.tag == f"{_TEXT}tab":
            parts.append("\t")
        elif child.tag == f"{_TEXT}line-break":
            parts.append("\n")
        else:
            parts.append(_paragraph_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _ods_cell(cell) -> str:
    kind = cell.get(f"{_OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        return cell_text(_number(cell.get(f"{_OFFICE}value", "")))
    if kind == "date":
        return (cell.get(f"{_OFFICE}date-value") or "")[:10]
    if kind == "boolean":
        return "yes" if cell.get(f"{_OFFICE}boolean-value") == "true" else "no"
    return "\n".join(_paragraph_text(p) for p in cell.iter(f"{_TEXT}p"))


def _number(text: str):
    try:
        return float(text)
    except ValueError:
        return text


def _ods_row(row, width: int, wanted: set[int] | None = None) -> list[str]:
    values: list[str] = []
    for cell in row:
        if cell.tag not in _CELLS:
            continue
        repeat = int(cell.get(f"{_TABLE}number-columns-repeated", "1") or 1)
        if wanted is None or repeat > 1 or len(values) in wanted:
            value = _ods_cell(cell).strip()
        else:
            value = ""
        values.extend([value] * max(1, min(repeat, width - len(values))))
        if len(values) >= width:
            break
    while values and not values[-1]:
        values.pop()
    return values


class OdsRows(Rows):
    """The HSCA sheet's rows of an .ods workbook, parsed incrementally from content.xml."""

    def __init__(self, content: bytes):
        self.content = content

    def __iter__(self) -> NumberedRows:
        return _ods_rows(self.content, self)


def _ods_rows(content: bytes, rows: Rows) -> NumberedRows:
    parts = {part.filename: part for part in _zip_parts(content, ".ods")}
    part = parts.get("content.xml")
    if part is None:
        raise file_error("The file is not a readable .ods workbook (it has no content.xml).")
    if part.file_size > MAX_SHEET_PART_BYTES:
        raise file_error(
            f"The workbook is too large to import: its content is {part.file_size / MB:,.0f} "
            f"MB uncompressed (at most {MAX_SHEET_PART_BYTES // MB} MB).")
    limit, seen = row_limit(), []
    with zipfile.ZipFile(io.BytesIO(content)) as archive, archive.open(part) as source:
        table, number = None, 0
        try:
            for event, element in ET.iterparse(source, events=("start", "end")):  # noqa: S314
                tag = element.tag
                if event == "start":
                    if tag == f"{_TABLE}table":
                        seen.append(element.get(f"{_TABLE}name") or "")
                        table = element if is_hsca_sheet(seen[-1]) else None
                        number = 0
                    continue
                if tag == f"{_TABLE}table-row" and table is not None:
                    repeat = int(element.get(f"{_TABLE}number-rows-repeated", "1") or 1)
                    values = _ods_row(element, MAX_COLUMNS, rows.wanted)
                    table.remove(element) if element in table else element.clear()
                    if not values:
                        number += repeat
                        continue
                    for _ in range(min(repeat, limit + 2)):
                        number += 1
                        if number > limit + 1:
                            raise _too_many(limit, number)
                        yield number, values
                elif tag == f"{_TABLE}table" and table is not None:
                    return
                elif tag == f"{_TABLE}table":
                    element.clear()
        except ET.ParseError as error:
            raise file_error(f"The workbook cannot be read after row {number:,} ({error}).",
                             number + 1) from None
    raise file_error(
        f"The workbook has no sheet named {HSCA_SHEET_NAMES[0]} (its sheets: "
        f"{', '.join(name[:40] for name in seen[:20]) or 'none'}). " + unknown_layout_message())


def _too_many(limit: int, number: int) -> TableError:
    return file_error(
        f"Too many rows: at most {limit:,} rows after the header can be read from one CQC "
        "file (reading stopped here).", number)


# --- .csv ------------------------------------------------------------------------------------

def encoding_of(content: bytes) -> str:
    """A CSV's text encoding: UTF-8 (with or without BOM), else Windows-1252, else Latin-1
    (CQC has published the care directory in each)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def csv_rows(content: bytes, encoding: str | None = None) -> NumberedRows:
    """A CSV's records as (record number, cells), decoded as it is read (a national file's
    text is never held whole), bounded in rows."""
    limit = row_limit() + DIRECTORY_MAX_PREAMBLE_LINES + 1
    text = io.TextIOWrapper(io.BytesIO(content), encoding=encoding or encoding_of(content),
                            newline="")
    try:
        for number, cells in enumerate(csv.reader(text), start=1):
            if number > limit:
                raise _too_many(row_limit(), number)
            yield number, [cell.strip() for cell in cells[:MAX_COLUMNS]]
    except (csv.Error, UnicodeDecodeError) as error:
        raise file_error(f"The file is not readable CSV ({error}).") from None
