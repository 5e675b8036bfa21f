"""Read a CSV or XLSX file as a table, bounded before and while reading.

Shared by every import (the provider register, daily returns, national plans). A spreadsheet
formula is never evaluated: an XLSX formula cell is read as its text. Reading is bounded by
settings `IMPORT_MAX_UPLOAD_MB`, `IMPORT_MAX_ROWS` (or the caller's `max_rows`) and
`IMPORT_MAX_SECONDS`: the file's size, an XLSX's uncompressed parts and its sheet's declared
dimension are checked before any row is parsed; only the header's columns are read; reading
stops at the first row past the limit or when the time is up; a damaged cell is an error
naming its cell, never an exception.
"""

import csv
import datetime
import io
import time
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

MB = 1024 * 1024
#: An XLSX part (a sheet's XML) uncompressed, and the shared strings, which openpyxl holds in
#: memory whole: a 297 KB workbook with one huge shared string once took 571 MB.
MAX_XLSX_PART_BYTES = 64 * MB
MAX_XLSX_SHARED_STRINGS_BYTES = 16 * MB
MAX_XLSX_PARTS = 500
#: Header cells read beyond the known columns (so unknown ones can be named).
EXTRA_HEADER_COLUMNS = 10


#: One row of a file: its row number in the file (the header is 1) and its cells by column.
Row = tuple[int, dict[str, str]]


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS



@dataclass
class ImportRowError:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, {self.field}: {self.message}"



class TableError(ValidationError):
    """The file cannot be read as a table; `errors` name the rows and cells (row 1: the file)."""

    def __init__(self, *errors: ImportRowError):
        self.errors = list(errors)
        super().__init__([str(error) for error in self.errors])


def _file_error(message: str, row: int = 1) -> TableError:
    return TableError(ImportRowError(row, "file", message))



def upload_size_error(size: int, limit_mb: int | None = None) -> str | None:
    """Why a file of `size` bytes is too large to import (at most `limit_mb`, else
    `IMPORT_MAX_UPLOAD_MB`), or None."""
    limit = settings.IMPORT_MAX_UPLOAD_MB if limit_mb is None else limit_mb
    if size <= limit * MB:
        return None
    return (f"The file is {size / MB:.1f} MB: at most {limit} MB can be imported at once. "
            "Split it into smaller files.")



def read_table(
    filename: str,
    content: bytes,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    *,
    row_limit: int | None = None,
) -> list[Row]:
    """The non-blank rows of a CSV (UTF-8, with or without BOM, CRLF or LF) or XLSX file, each
    with its row number and its text by column (at most `row_limit` rows after the header,
    else `IMPORT_MAX_ROWS`). Raises TableError naming the rows and cells."""
    too_large = upload_size_error(len(content))
    if too_large:
        raise _file_error(too_large)
    reader = _Rows(required, optional, row_limit)
    if filename.lower().endswith(".xlsx"):
        return reader.read(_xlsx_rows(content, reader))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _file_error(
            f"The file is not UTF-8 text (byte {error.start}): save it as “CSV UTF-8”."
        ) from None
    if "\x00" in text:
        # PostgreSQL cannot store it in text (the upload's rows, or the rows themselves).
        position = content.index(b"\x00")
        raise _file_error(f"The file holds a NUL character (byte {position}): save it again "
                          "as “CSV UTF-8”.")
    try:
        return reader.read(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
    except csv.Error as error:
        raise _file_error(f"The file is not readable CSV ({error}).") from None


class _Rows:
    """Turns a file's rows (number, cell values) into checked rows: header first, then at most
    `row_limit` (else `IMPORT_MAX_ROWS`) non-blank rows read within `IMPORT_MAX_SECONDS`."""

    def __init__(self, required, optional, row_limit=None):
        self.required, self.optional = required, optional
        self.width = len(required) + len(optional) + EXTRA_HEADER_COLUMNS
        self.header: list[str] | None = None
        self.limit = row_limit if row_limit is not None else max_rows()
        self.seconds = settings.IMPORT_MAX_SECONDS
        self.deadline = time.monotonic() + self.seconds

    def read(self, numbered_rows) -> list[Row]:
        table: list[Row] = []
        for number, values in numbered_rows:
            cells = [_cell_text(value).strip() if value is not None else ""
                     for value in values[:self.width]]
            if self.header is None:
                # The header is row 1: a file whose first row is further down has none.
                self.header = cells if number == 1 else []
                _check_header(self.header, self.required, self.optional)
                continue
            if time.monotonic() > self.deadline:
                raise _file_error(
                    f"Reading the file took longer than {self.seconds} seconds (stopped at row "
                    f"{number:,}): nothing was imported. Split it into smaller files.", number)
            if not any(cells):
                continue
            if len(table) == self.limit:
                raise _file_error(
                    f"Too many rows: at most {self.limit:,} rows after the header can be "
                    "imported from one file (reading stopped here). Split it into smaller "
                    "files.", number)
            row = {name: cells[index] if index < len(cells) else ""
                   for index, name in enumerate(self.header) if name}
            table.append((number, row))
        if self.header is None:
            _check_header([], self.required, self.optional)
        return table

    def column_name(self, column: int) -> str:
        """The header's name of a column (1 is A), or its letter."""
        from openpyxl.utils import get_column_letter

        if self.header and column <= len(self.header) and self.header[column - 1]:
            return self.header[column - 1]
        return f"column {get_column_letter(column)}"


class SheetBounds:
    """What a caller outside this module reads a sheet with: its first `width` columns, at most
    `limit` rows after the header (the sheet's declared dimension is checked against it), and
    once the caller knows them, only the `wanted` columns (1 is A) of the rows after."""

    header = None
    wanted: set[int] | None = None

    def __init__(self, *, width: int, limit: int):
        self.width, self.limit = width, limit

    column_name = _Rows.column_name


def xlsx_sheet_rows(content: bytes, *, bounds: SheetBounds, choose_sheet,
                    part_limit: int = MAX_XLSX_PART_BYTES,
                    shared_strings_limit: int = MAX_XLSX_SHARED_STRINGS_BYTES):
    """The rows (row number, values) of the sheet `choose_sheet(sheet names)` names, read as
    the register's XLSX is (read-only, formulas as text, damaged cells named) but with the
    caller's bounds. The caller checks the file's size and the time taken."""
    return _xlsx_rows(content, bounds, choose_sheet=choose_sheet, part_limit=part_limit,
                      shared_strings_limit=shared_strings_limit)


def _xlsx_rows(content: bytes, reader, *, choose_sheet=None,
               part_limit: int = MAX_XLSX_PART_BYTES,
               shared_strings_limit: int = MAX_XLSX_SHARED_STRINGS_BYTES):
    """The first (or the chosen) sheet's rows as (row number, values), reading only the
    header's columns, after checking the workbook's parts and the sheet's declared size."""
    from openpyxl import load_workbook

    unreadable = "The file is not a readable XLSX workbook"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _file_error(f"{unreadable} (it is not a zip archive). Save it as .xlsx or CSV.") \
            from None
    if len(parts) > MAX_XLSX_PARTS:
        raise _file_error(f"{unreadable}: it holds {len(parts):,} parts (at most "
                          f"{MAX_XLSX_PARTS}).")
    for part in parts:
        shared = part.filename.lower().endswith("sharedstrings.xml")
        limit = shared_strings_limit if shared else part_limit
        if part.file_size > limit:
            what = "its shared text" if shared else f"its part {part.filename[:60]}"
            raise _file_error(
                f"The workbook is too large to import: {what} is {part.file_size / MB:,.0f} MB "
                f"uncompressed (at most {limit // MB} MB). Save it as CSV, or split it.")
    try:
        # Not data_only: a formula cell comes back as its text and is never evaluated.
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        sheet = (workbook[choose_sheet(workbook.sheetnames)] if choose_sheet
                 else workbook.worksheets[0])
    except TableError:
        raise
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise _file_error(f"{unreadable} ({str(error)[:200]}).") from None
    declared_rows = sheet.max_row
    if declared_rows is not None and declared_rows > reader.limit + 1:
        dimension = f"{sheet.min_row}:{declared_rows}"
        raise _file_error(
            f"The sheet declares {declared_rows:,} rows (rows {dimension}): at most "
            f"{reader.limit + 1:,} (the header and {reader.limit:,} rows) can be imported. "
            "Delete the empty rows below the data, or split the file.")
    yield from _SheetRows(workbook, sheet, reader).rows()


class _UnreadableCell(Exception):
    def __init__(self, row: int, column: int | None, coordinate: str, error: Exception):
        self.row, self.column, self.coordinate, self.error = row, column, coordinate, error


class _SheetRows:
    """openpyxl's read-only sheet parser, reading the first `reader.width` columns only (the
    declared width is ignored: A1:XFD… once built 16,384 empty cells a row) and turning a cell
    it cannot read into an error naming the cell."""

    def __init__(self, workbook, sheet, reader: _Rows):
        self.workbook, self.sheet, self.reader = workbook, sheet, reader

    def rows(self):
        from openpyxl.utils import get_column_letter
        from openpyxl.utils.cell import coordinate_to_tuple
        from openpyxl.worksheet._reader import FORMULA_TAG as FORMULA
        from openpyxl.worksheet._reader import WorkSheetParser

        reader, damaged = self.reader, []
        width = reader.width

        class Parser(WorkSheetParser):
            def parse_cell(self, element):
                coordinate = (element.get("r") or "")[:20]
                column = None
                try:
                    column = (coordinate_to_tuple(coordinate)[1] if coordinate
                              else self.col_counter + 1)
                    wanted = getattr(reader, "wanted", None)
                    if column > width or (wanted is not None and column not in wanted):
                        self.col_counter = column
                        return None
                    if element.get("t") == "inlineStr" and element.find(FORMULA) is None:
                        # openpyxl builds a Text object per such cell: 40% of reading time.
                        self.col_counter = column
                        return {"row": self.row_counter, "column": column,
                                "value": _inline_text(element), "data_type": "s"}
                    return super().parse_cell(element)
                except Exception as error:  # a damaged cell: name it, read on
                    if column is not None:
                        self.col_counter = column
                        coordinate = f"{get_column_letter(column)}{self.row_counter}"
                    damaged.append(_UnreadableCell(self.row_counter, column, coordinate, error))
                    return None

        workbook = self.workbook
        previous = 0
        with self.sheet._get_source() as source:
            parser = Parser(source, self.sheet._shared_strings, data_only=False,
                            epoch=workbook.epoch, date_formats=workbook._date_formats,
                            timedelta_formats=workbook._timedelta_formats)
            try:
                for number, cells in parser.parse():
                    if number <= previous:
                        raise _file_error(
                            f"The sheet's rows are out of order (row {number:,} after row "
                            f"{previous:,}): save the workbook again, or as CSV.", previous + 1)
                    previous = number
                    if damaged:
                        raise TableError(*self.cell_errors(damaged))
                    values = [None] * width
                    for cell in cells:
                        if cell is not None and cell["column"] <= width:
                            values[cell["column"] - 1] = cell["value"]
                    yield number, values
            except TableError:
                raise
            except Exception as error:  # a damaged row or sheet
                raise _file_error(
                    f"The sheet cannot be read after row {previous:,} ({str(error)[:200]}): "
                    "save the workbook again, or as CSV.", previous + 1) from None

    def cell_errors(self, damaged: list[_UnreadableCell]) -> list[ImportRowError]:
        errors = []
        for cell in damaged[:100]:
            if isinstance(cell.error, (IndexError, KeyError)):
                why = "it refers to shared text the workbook does not have"
            elif isinstance(cell.error, (ValueError, TypeError, OverflowError)):
                why = "its stored value does not match its type (for example text in a number)"
            else:
                why = "it is damaged"
            name = (self.reader.column_name(cell.column) if cell.column and cell.row > 1
                    else "file")
            errors.append(ImportRowError(
                cell.row, name, f"Cell {cell.coordinate} cannot be read: {why}. Type it again "
                "in your spreadsheet program and save the file, or save it as CSV."))
        return errors


def _inline_text(element) -> str:
    """An inline string cell's text: its plain text and its rich text runs, without phonetic
    guides (as openpyxl's Text.content)."""
    from openpyxl.xml.constants import SHEET_MAIN_NS

    text = element.find(f"{{{SHEET_MAIN_NS}}}is")
    if text is None:
        return ""
    plain = text.findtext(f"{{{SHEET_MAIN_NS}}}t") or ""
    runs = "".join(run.findtext(f"{{{SHEET_MAIN_NS}}}t") or ""
                   for run in text.findall(f"{{{SHEET_MAIN_NS}}}r"))
    return plain + runs


def cell_text(value) -> str:
    """A cell's value as the text an import reads (whole numbers without “.0”, dates ISO)."""
    return _cell_text(value)


def _cell_text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _check_header(header: list[str], required, optional) -> None:
    names = [name.strip() for name in header]
    missing = [column for column in required if column not in names]
    if missing:
        raise _file_error(
            f"Row 1 (header): missing column(s) {', '.join(missing)}. The header must be: "
            + ",".join(required)
        )
    known = (*required, *optional)
    unknown = [name[:40] for name in names if name and name not in known]
    if unknown:
        raise _file_error(f"Row 1 (header): unknown column(s) {', '.join(unknown)}.")
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        raise _file_error(f"Row 1 (header): column(s) {', '.join(repeated)} appear twice.")
