"""Table exports that cannot run as spreadsheet formulas, with the site's dates.

django-tables2 hands cell values to tablib unescaped, so `=HYPERLINK(…)` would come out raw in
CSV and as a live formula in XLSX. Every list page exports through SafeTableExport instead.
Dates: CSV writes them as the site shows them, dd/mm/yyyy (a time as dd/mm/yyyy HH:MM, UK
time); XLSX keeps them as date cells, displayed dd/mm/yyyy.

CSV exports stream (StreamingCsvExportMixin): rows are read from the database in chunks and
written as they are made, so a long register costs the same memory as a short one.
"""

import csv
import datetime
import io

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django_tables2 import Column, RequestConfig, Table
from django_tables2.columns import ManyToManyColumn
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.export import TableExport
from django_tables2.rows import BoundRow
from django_tables2.utils import Accessor

#: A cell starting with one of these is read as a formula by spreadsheet programs (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that a spreadsheet would run as a formula, prefixed with ' so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
XLSX_DATE_FORMAT = "DD/MM/YYYY"
XLSX_DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


def site_date(value):
    """A date as the site writes it, dd/mm/yyyy (a datetime in UK time, dd/mm/yyyy HH:MM)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    return value


def _naive_local(value):
    """openpyxl refuses aware datetimes: a spreadsheet cell holds UK wall-clock time."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


class SafeTableExport(TableExport):
    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        self.raw_rows = [list(row) for row in dataset]
        headers = dataset.headers
        dataset.wipe()
        dataset.headers = headers
        for row in self.raw_rows:
            dataset.append([neutralise(site_date(value)) for value in row])
        return dataset

    def export(self):
        if self.format == self.XLSX:
            return self._xlsx()
        return super().export()

    def _xlsx(self) -> bytes:
        """Every text cell written as text (never a formula), dates as real dates."""
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = (self.dataset.title or "Export")[:31]
        sheet.append(list(self.dataset.headers or []))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row_number, row in enumerate(self.raw_rows, start=2):
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=column)
                cell.value = _naive_local(value)
                if isinstance(value, datetime.datetime):
                    cell.number_format = XLSX_DATETIME_FORMAT
                elif isinstance(value, datetime.date):
                    cell.number_format = XLSX_DATE_FORMAT
                elif isinstance(value, str):
                    cell.data_type = "s"
                    if value.startswith(FORMULA_STARTS):
                        cell.quotePrefix = True
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


#: Rows read from the database at a time by a streamed export.
STREAM_CHUNK_ROWS = 500


class _Echo:
    """A file that hands back what is written (csv.writer writes one row at a time)."""

    def write(self, value):
        return value


def table_csv_rows(table, exclude_columns=()):
    """The table's export as CSV lines, header first: the same cells as SafeTableExport (each
    column's `value_…`, dates as dd/mm/yyyy, formulas neutralised), the data read in chunks."""
    columns = [
        column for column in table.columns.iterall()
        if not (column.column.exclude_from_export or column.name in exclude_columns)
    ]
    writer = csv.writer(_Echo())
    if type(table).as_values is not Table.as_values:  # the table reads extra data for its rows
        for values in table.as_values(exclude_columns):
            yield writer.writerow([neutralise(site_date(value)) for value in values])
        return
    yield writer.writerow([force_str(column.header, strings_only=True) for column in columns])
    data = table.data.data
    records = (data.iterator(chunk_size=STREAM_CHUNK_ROWS) if isinstance(data, QuerySet)
               else iter(data))
    getters = None
    for record in records:
        if getters is None:
            getters = [_cell_getter(table, column, record) for column in columns]
        row = BoundRow(record, table=table)
        yield writer.writerow([
            neutralise(site_date(force_str(getter(row, record), strings_only=True)))
            for getter in getters
        ])


def _cell_getter(table, bound_column, first_record):
    """How to read one column's export value: what django-tables2's `get_cell_value` returns,
    with its per-cell look-ups done once per column (they were a third of a long export's
    time): the accessor, the empty values, and which of the table's `value_…`/`render_…` or
    the column's `value` answers, with the arguments it takes. Columns showing a choice's
    label, link and many-to-many columns keep get_cell_value itself. Tested against it."""
    from django_tables2.utils import signature

    column = bound_column.column
    name = bound_column.name
    accessor = Accessor(bound_column.accessor)
    field = accessor.get_field(first_record)
    if (getattr(field, "choices", None)
            or isinstance(column, (BaseLinkColumn, ManyToManyColumn))):
        return lambda row, record: row.get_cell_value(name)
    function = bound_column.value
    plain = (getattr(function, "__func__", None) is Column.value
             and getattr(column.render, "__func__", None) is Column.render)
    arguments, takes_any = signature(function)
    empty = column.empty_values

    def read(row, record):
        try:
            value = accessor.resolve(record)
        except Exception:  # noqa: BLE001 - as django-tables2: a value it cannot reach is None
            value = None
        if value in empty:
            return None
        if plain:
            return value
        given = {"value": value, "record": record, "column": column,
                 "bound_column": bound_column, "bound_row": row, "table": table}
        if takes_any:
            return function(**given)
        if any(argument not in given for argument in arguments):
            return None
        return function(**{argument: given[argument] for argument in arguments})

    return read


class StreamingCsvExportMixin:
    """Put before django-tables2's ExportMixin: `?_export=csv` answers a streamed CSV of every
    row (unpaginated, in the page's order); other formats are ExportMixin's."""

    def create_export(self, export_format):
        if export_format != TableExport.CSV:
            return super().create_export(export_format)
        table = self.get_table_class()(data=self.get_table_data(), **self.get_table_kwargs())
        RequestConfig(self.request, paginate=False).configure(table)
        response = StreamingHttpResponse(
            table_csv_rows(table, self.exclude_columns),
            content_type=TableExport.FORMATS[TableExport.CSV],
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{self.get_export_filename(export_format)}"')
        return response
