"""CQC's two published files, as layouts: which columns each has, matched by name.

Column names are compared normalised (case, spacing, punctuation and dashes ignored), so an
edition that writes `Care Home?` or `Service type – …` still matches; columns we do not use are
ignored. The column lists follow CQC's files as published: the HSCA Active Locations workbook
("care directory with filters", 122 columns in the 2026 editions) and the care directory CSV
(15 columns after four lines of preamble). See README, "CQC's files".
"""

import re
from dataclasses import dataclass

#: The data sheet of the HSCA Active Locations workbook (older editions: with spaces).
HSCA_SHEET_NAMES = ("HSCA_Active_Locations", "HSCA Active Locations")
#: Lines the care directory CSV has before its header ("CQC locations", "This data was
#: produced on …", blank lines); a few more are allowed in case an edition adds one.
DIRECTORY_MAX_PREAMBLE_LINES = 8


def column_key(name: str) -> str:
    """A column or sheet name reduced to lower-case words: editions drift in case,
    spacing, dashes and punctuation."""
    return " ".join(re.findall(r"[a-z0-9]+", name.casefold()))


@dataclass(frozen=True)
class Column:
    """A column we read: its field name here and the names editions have given it."""

    field: str
    names: tuple[str, ...]
    required: bool = True

    @property
    def label(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class Layout:
    key: str
    title: str
    columns: tuple[Column, ...]
    #: Columns whose presence says "this is that file" (with any of the others missing, the
    #: file is that layout with columns missing, not an unknown file).
    signature: tuple[str, ...]

    def positions(self, header: list[str]) -> tuple[dict[str, int], list[str]]:
        """Where each column is in `header` (by field), and the labels of required columns
        that are missing."""
        index: dict[str, int] = {}
        for position, name in enumerate(header):
            index.setdefault(column_key(name), position)
        found, missing = {}, []
        for column in self.columns:
            position = next((index[column_key(name)] for name in column.names
                             if column_key(name) in index), None)
            if position is not None:
                found[column.field] = position
            elif column.required:
                missing.append(column.label)
        return found, missing

    def matches(self, header: list[str]) -> bool:
        keys = {column_key(name) for name in header}
        return all(any(column_key(name) in keys for name in self._names(field))
                   for field in self.signature)

    def _names(self, field: str) -> tuple[str, ...]:
        return next(column.names for column in self.columns if column.field == field)

    def expected(self) -> str:
        return ", ".join(column.label for column in self.columns if column.required)


#: Service types whose `Y` flag says what a location is (others are ignored).
HSCA_SERVICE_TYPES = {
    "nursing": "Service type - Care home service with nursing",
    "residential": "Service type - Care home service without nursing",
    "domiciliary": "Service type - Domiciliary care service",
    "supported_living": "Service type - Supported living service",
    "extra_care": "Service type - Extra Care housing services",
}
#: Service user bands, for the client group.
HSCA_USER_BANDS = {
    "older": ("Service user band - Older People", "Service user band - Dementia"),
    "specialist": (
        "Service user band - Learning disabilities or autistic spectrum disorder",
        "Service user band - Mental Health",
        "Service user band - Physical Disability",
        "Service user band - Sensory Impairment",
        "Service user band - People detained under the Mental Health Act",
        "Service user band - People who misuse drugs and alcohol",
        "Service user band - People with an eating disorder",
    ),
}


def _band_field(name: str) -> str:
    return "band:" + column_key(name.split(" - ", 1)[1])


HSCA = Layout(
    key="hsca",
    title="CQC's HSCA Active Locations workbook",
    columns=(
        Column("location_id", ("Location ID",)),
        Column("dormant", ("Dormant (Y/N)", "Dormant")),
        Column("care_home", ("Care home?", "Care home")),
        Column("name", ("Location Name",)),
        Column("beds", ("Care homes beds", "Care home beds")),
        Column("directorate", ("Location Inspection Directorate",)),
        Column("local_authority", ("Location Local Authority",)),
        Column("provider_id", ("Provider ID",), required=False),
        Column("provider_name", ("Provider Name",), required=False),
        Column("registered_manager", ("Registered manager",), required=False),
        *(Column("service:" + key, (name,), required=key == "nursing")
          for key, name in HSCA_SERVICE_TYPES.items()),
        *(Column(_band_field(name), (name,), required=False)
          for names in HSCA_USER_BANDS.values() for name in names),
    ),
    signature=("location_id", "local_authority"),
)

#: The care directory's "Service types" (separated by "|") that say what a location is.
DIRECTORY_SERVICE_TYPES = {
    "nursing homes": "nursing",
    "residential homes": "residential",
    "homecare agencies": "domiciliary",
    "supported living": "supported_living",
    "extra care housing": "extra_care",
}

DIRECTORY = Layout(
    key="directory",
    title="CQC's care directory CSV",
    columns=(
        Column("name", ("Name",)),
        Column("service_types", ("Service types",)),
        Column("local_authority", ("Local authority",)),
        Column("location_id", ("CQC Location ID (for office use only)",
                               "CQC Location (for office use only")),
        Column("provider_id", ("CQC Provider ID (for office use only)",), required=False),
        Column("provider_name", ("Provider name",), required=False),
        Column("specialisms", ("Specialisms/services",), required=False),
        Column("address", ("Address",), required=False),
        Column("postcode", ("Postcode",), required=False),
        Column("region", ("Region",), required=False),
    ),
    signature=("location_id", "service_types"),
)

LAYOUTS = (HSCA, DIRECTORY)


def layout_of(header: list[str]) -> Layout | None:
    """The CQC layout a header row belongs to, or None."""
    return next((layout for layout in LAYOUTS if layout.matches(header)), None)


def is_hsca_sheet(name: str) -> bool:
    return column_key(name) in {column_key(sheet) for sheet in HSCA_SHEET_NAMES}


def unknown_layout_message() -> str:
    return (
        "CQC's files are recognised by their columns: the HSCA Active Locations workbook "
        f"(.xlsx or .ods, a sheet named {HSCA_SHEET_NAMES[0]} with the columns "
        f"{HSCA.expected()}) or the care directory CSV (up to "
        f"{DIRECTORY_MAX_PREAMBLE_LINES} lines, then a header with the columns "
        f"{DIRECTORY.expected()})."
    )
