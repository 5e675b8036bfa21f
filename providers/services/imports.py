"""Import a council's provider register from CSV or XLSX (format in README, "Data formats").

All-or-nothing: every row is validated first; one bad row refuses the whole file, and every
error names its row number (the header is row 1) and field. A CQC location ID that the council
already has updates that provider instead of adding a duplicate.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from providers.models import (
    CARE_HOME_TYPES,
    ClientGroup,
    Provider,
    ProviderType,
    RiskRating,
)
from winterplan.models import Council

REQUIRED_COLUMNS = (
    "name",
    "provider_type",
    "cqc_location_id",
    "registered_beds",
    "prime_provider",
    "council_run",
    "risk_rating",
)
OPTIONAL_COLUMNS = ("client_group",)
MAX_ROWS = 20_000
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


@dataclass
class ImportRowError:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, {self.field}: {self.message}"


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[ImportRowError] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class ProviderImportError(ValidationError):
    def __init__(self, result: ImportResult):
        self.result = result
        super().__init__([str(error) for error in result.errors])


def read_table(filename: str, content: bytes) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, with or without BOM, CRLF or LF) or XLSX file as dicts of text."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            f"The file is not UTF-8 text (byte {error.start}): save it as “CSV UTF-8”."
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    _check_header(reader.fieldnames or [])
    return [{key: (value or "") for key, value in row.items() if key} for row in reader]


def _read_xlsx(content: bytes) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise ValidationError(f"The file is not a readable XLSX workbook ({error}).") from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(rows, [])]
    _check_header(header)
    table = []
    for values in rows:
        cells = ["" if value is None else _cell_text(value) for value in values]
        if not any(cells):
            continue
        table.append(dict(zip(header, cells, strict=False)))
    return table


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_header(header: list[str]) -> None:
    names = [name.strip() for name in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        raise ValidationError(
            f"Row 1 (header): missing column(s) {', '.join(missing)}. The header must be: "
            + ",".join(REQUIRED_COLUMNS)
        )
    known = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    unknown = [name for name in names if name and name not in known]
    if unknown:
        raise ValidationError(f"Row 1 (header): unknown column(s) {', '.join(unknown)}.")


def _flag(value: str, row: int, name: str, errors: list[ImportRowError]) -> bool:
    text = value.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    errors.append(ImportRowError(row, name, f"“{value[:40]}” is not yes or no."))
    return False


def _choice(value, choices, row, name, errors, default=None):
    text = value.strip()
    if not text and default is not None:
        return default
    if text in choices.values:
        return text
    errors.append(
        ImportRowError(
            row, name, f"“{text[:40]}” is not one of: {', '.join(choices.values)}."
        )
    )
    return default


def _row_values(row_number: int, row: dict[str, str], errors: list[ImportRowError]) -> dict:
    values = {
        "name": row.get("name", "").strip(),
        "provider_type": _choice(
            row.get("provider_type", ""), ProviderType, row_number, "provider_type", errors
        ),
        "cqc_location_id": row.get("cqc_location_id", "").strip(),
        "prime_provider": _flag(row.get("prime_provider", ""), row_number, "prime_provider",
                                errors),
        "council_run": _flag(row.get("council_run", ""), row_number, "council_run", errors),
        "risk_rating": _choice(
            row.get("risk_rating", ""), RiskRating, row_number, "risk_rating", errors,
            default=RiskRating.GREEN,
        ),
        "client_group": _choice(
            row.get("client_group", ""), ClientGroup, row_number, "client_group", errors,
            default=ClientGroup.MIXED,
        ),
    }
    beds_text = row.get("registered_beds", "").strip()
    values["registered_beds"] = None
    if beds_text:
        try:
            values["registered_beds"] = int(beds_text)
        except ValueError:
            errors.append(ImportRowError(row_number, "registered_beds",
                                         f"“{beds_text[:40]}” is not a whole number."))
        else:
            if values["registered_beds"] < 0:
                errors.append(ImportRowError(row_number, "registered_beds",
                                             "Registered beds cannot be negative."))
            elif values["provider_type"] and values["provider_type"] not in CARE_HOME_TYPES:
                errors.append(ImportRowError(
                    row_number, "registered_beds",
                    "Only care homes have registered beds: leave it blank for "
                    f"{values['provider_type']}."))
    return values


UPDATABLE_FIELDS = [
    "name",
    "provider_type",
    "client_group",
    "registered_beds",
    "prime_provider",
    "council_run",
    "risk_rating",
    "version",
    "updated_at",
]


def providers_import(
    *, council: Council, filename: str, content: bytes, user=None, dry_run: bool = False
) -> ImportResult:
    """Validate every row, then (unless dry_run) create or update all providers in one go.

    Raises ProviderImportError, carrying the result with its row errors, when any row is bad.
    """
    result = ImportResult()
    try:
        rows = read_table(filename, content)
    except ValidationError as error:
        result.errors.append(ImportRowError(1, "file", " ".join(error.messages)))
        raise ProviderImportError(result) from None
    if len(rows) > MAX_ROWS:
        result.errors.append(ImportRowError(
            MAX_ROWS + 2, "file", f"Too many rows: at most {MAX_ROWS:,} providers per file."))
        raise ProviderImportError(result)
    if not rows:
        result.errors.append(ImportRowError(2, "file", "The file has a header but no providers."))
        raise ProviderImportError(result)

    existing = {p.cqc_location_id: p for p in Provider.objects.filter(council=council)}
    seen: dict[str, int] = {}
    pending: list[tuple[Provider, bool]] = []
    for row_number, row in enumerate(rows, start=2):
        row_errors: list[ImportRowError] = []
        values = _row_values(row_number, row, row_errors)
        cqc_id = values["cqc_location_id"]
        if cqc_id in seen:
            row_errors.append(ImportRowError(
                row_number, "cqc_location_id",
                f"{cqc_id} appears twice in the file (also row {seen[cqc_id]})."))
        seen[cqc_id] = row_number
        provider = existing.get(cqc_id)
        is_new = provider is None
        if is_new:
            provider = Provider(council=council)
        changed = is_new
        for name, value in values.items():
            settable = value is not None or name == "registered_beds"
            if settable and getattr(provider, name) != value:
                setattr(provider, name, value)
                changed = True
        if not row_errors:
            try:
                provider.full_clean(exclude=["council"], validate_unique=False)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    row_errors += [ImportRowError(row_number, name, m) for m in messages]
        result.errors += row_errors
        if is_new:
            result.created.append(values["name"])
        elif changed:
            result.updated.append(values["name"])
            provider.version += 1
        else:
            result.unchanged.append(values["name"])
        if changed:
            pending.append((provider, is_new))
    if result.errors:
        raise ProviderImportError(result)
    if not dry_run:
        new = [provider for provider, is_new in pending if is_new]
        updated = [provider for provider, is_new in pending if not is_new]
        now = timezone.now()
        for provider, _ in pending:
            provider.updated_at = now
        with transaction.atomic():
            bulk_create_with_history(new, Provider, batch_size=500, default_user=user)
            bulk_update_with_history(
                updated, Provider, UPDATABLE_FIELDS, batch_size=500, default_user=user
            )
        result.applied = True
    return result
