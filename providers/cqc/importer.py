"""Read CQC's published file into the register's rows for one council.

`read_cqc_file` recognises the layout (by the workbook's sheet name or the CSV's header),
streams the rows and keeps only the council's own adult social care locations that are not
dormant; every other row is counted, never an error. The result is the register's rows (the
columns CQC decides, see mapping.register_row) and what was left out and why, which the
import service turns into the preview: new, changed field by field, and the council's
locations "not in CQC's latest file".
"""

from dataclasses import asdict, dataclass, field

from providers.cqc import mapping, readers
from providers.cqc.layouts import (
    DIRECTORY,
    DIRECTORY_MAX_PREAMBLE_LINES,
    HSCA,
    Layout,
    is_hsca_sheet,
    layout_of,
    unknown_layout_message,
)
from winterplan.spreadsheets import Row, TableError

#: Why one of the council's own locations in the file is not imported.
DORMANT = "dormant in CQC's file"
NOT_ASC = "not adult social care in CQC's file"
OTHER_SERVICE = "a service type the register does not hold"
#: The register's field, as the CQC column it came from (for error messages).
COLUMN_OF_FIELD = {
    HSCA.key: {"name": "Location Name", "cqc_location_id": "Location ID",
               "registered_beds": "Care homes beds", "provider_type": "Service type",
               "client_group": "Service user band"},
    DIRECTORY.key: {"name": "Name", "cqc_location_id": "CQC Location ID (for office use only)",
                    "provider_type": "Service types", "client_group": "Specialisms/services"},
}


@dataclass
class CqcSource:
    """Which CQC file was read, and what of it was left out."""

    layout: str
    title: str
    rows_read: int = 0
    other_areas: int = 0
    #: Left out of the council's own rows, by reason.
    left_out: dict[str, int] = field(default_factory=dict)
    #: The council's providers (by CQC location ID) that the file holds but left out, and why.
    known_left_out: dict[str, str] = field(default_factory=dict)
    #: The local authority names that matched the council.
    areas: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "CqcSource":
        return cls(**data)

    def column(self, name: str) -> str:
        return COLUMN_OF_FIELD.get(self.layout, {}).get(name, name)


@dataclass
class CqcFile:
    source: CqcSource
    rows: list[Row]


def read_cqc_file(filename: str, content: bytes, *, council,
                  known_ids: set[str]) -> CqcFile | None:
    """The council's rows of a CQC file, or None when the file is not in a CQC layout (it is
    then read as the register's own). Raises TableError naming the problem."""
    lower = filename.lower()
    if lower.endswith(".ods"):
        _check_size(content)
        return _read(HSCA, readers.OdsRows(content), council, known_ids, header_at=1)
    if lower.endswith(".xlsx"):
        names = readers.xlsx_sheet_names(content)
        if not names or not any(is_hsca_sheet(name) for name in names):
            return None
        _check_size(content)
        return _read(HSCA, readers.XlsxRows(content), council, known_ids, header_at=1)
    header_at, layout = _csv_header(content)
    if layout is None:
        return None
    _check_size(content)
    rows = readers.csv_rows(content)
    return _read(layout, rows, council, known_ids, header_at=header_at)


def _csv_header(content: bytes) -> tuple[int, Layout | None]:
    """Where a CSV's CQC header is (its first few lines), and its layout."""
    try:
        head = content[: 64 * 1024]
        # The head may end inside a character: its encoding is judged on what is complete.
        encoding = readers.encoding_of(head[: head.rfind(b"\n") + 1] or head)
        for number, cells in readers.csv_rows(head, encoding):
            layout = layout_of(cells)
            if layout or number > DIRECTORY_MAX_PREAMBLE_LINES:
                return number, layout
    except (TableError, UnicodeDecodeError):
        pass
    return 0, None


def is_cqc_file(filename: str, content: bytes) -> bool:
    """Whether a file is in one of CQC's layouts (without reading its rows)."""
    lower = filename.lower()
    if lower.endswith(".ods"):
        return True
    if lower.endswith(".xlsx"):
        return any(is_hsca_sheet(name) for name in readers.xlsx_sheet_names(content) or ())
    return _csv_header(content)[1] is not None


def _check_size(content: bytes) -> None:
    too_large = readers.cqc_size_error(len(content))
    if too_large:
        raise readers.file_error(too_large)


def _read(layout: Layout, rows, council, known_ids: set[str], *, header_at: int) -> CqcFile:
    source = CqcSource(layout=layout.key, title=layout.title)
    clock, limit = readers.Clock(), readers.row_limit()
    positions = None
    keep_areas = mapping.council_area_keys(council)
    area_matches: dict[str, bool] = {}
    kept: list[Row] = []
    hsca = layout is HSCA
    for number, cells in rows:
        if positions is None:
            if number < header_at:
                continue
            positions, missing = layout.positions(cells)
            if hasattr(rows, "want"):
                rows.want(set(positions.values()))
            if missing:
                raise readers.file_error(
                    f"Row {number} (header): this looks like {layout.title} but the "
                    f"column(s) {', '.join(missing)} are missing. " + unknown_layout_message(),
                    number)
            continue
        if not any(cells):
            continue
        source.rows_read += 1
        if source.rows_read > limit:
            raise readers.file_error(
                f"Too many rows: at most {limit:,} rows after the header can be read from one "
                "CQC file (reading stopped here).", number)
        if source.rows_read % 1000 == 0:
            clock.check(number)
        values = {name: cells[index] if index < len(cells) else ""
                  for name, index in positions.items()}
        area = values["local_authority"]
        if area not in area_matches:
            area_matches[area] = mapping.area_key(area) in keep_areas
            if area_matches[area]:
                source.areas.append(area[:80])
        location_id = values["location_id"]
        if not area_matches[area]:
            source.other_areas += 1
            if location_id in known_ids:
                source.known_left_out[location_id] = (
                    f"in CQC's file under another local authority ({area[:80] or 'blank'})")
            continue
        reason, row = _register_row(values, hsca)
        if reason:
            source.left_out[reason] = source.left_out.get(reason, 0) + 1
            if location_id in known_ids:
                source.known_left_out[location_id] = reason
            continue
        kept.append((number, row))
    if positions is None:
        raise readers.file_error("The file has no header row. " + unknown_layout_message())
    if not kept and not source.known_left_out:
        raise readers.file_error(
            f"{layout.title} has no adult social care locations in {council.name}'s area "
            f"({source.rows_read:,} rows read; the local authority column never names "
            f"{council.name}).", header_at)
    return CqcFile(source=source, rows=kept)


def _register_row(values: dict[str, str], hsca: bool) -> tuple[str | None, dict | None]:
    if hsca:
        if mapping.yes(values["dormant"]):
            return DORMANT, None
        if mapping.column_key(values["directorate"]) != "adult social care":
            return NOT_ASC, None
        services = mapping.hsca_services(values)
        group = mapping.hsca_client_group(values)
        beds = values["beds"]
    else:
        services = mapping.directory_services(values)
        group = mapping.directory_client_group(values)
        beds = None
    kind = mapping.provider_type(services)
    if kind is None:
        return (OTHER_SERVICE if hsca else NOT_ASC), None
    return None, mapping.register_row(name=values["name"], location_id=values["location_id"],
                                      kind=kind, client_group=group, beds=beds)


__all__ = ["CqcFile", "CqcSource", "TableError", "read_cqc_file"]
