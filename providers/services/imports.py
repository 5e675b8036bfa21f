"""Import a council's provider register from CSV or XLSX (format in README, "Data formats").

All-or-nothing: every row is validated first; one bad row refuses the whole file, and every
error names its row number (the header is row 1) and field. A CQC location ID that the council
already has updates that provider instead of adding a duplicate.

`read_table` and the result types are shared with the daily returns import. A spreadsheet
formula is never evaluated: an XLSX formula cell is read as its text, and text is stored as
text (exports neutralise it, see winterplan.exports).
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

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
OPTIONAL_COLUMNS = ("client_group", "people_supported")
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
    #: The days a daily returns file covers, oldest first.
    dates: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRefused(ValidationError):
    """The file was refused; `result.errors` names every bad row and field."""

    def __init__(self, result: ImportResult):
        self.result = result
        super().__init__([str(error) for error in result.errors])


#: The name the register import has always raised.
ProviderImportError = ImportRefused


def read_table(
    filename: str,
    content: bytes,
    required: tuple[str, ...] = REQUIRED_COLUMNS,
    optional: tuple[str, ...] = OPTIONAL_COLUMNS,
) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, with or without BOM, CRLF or LF) or XLSX file as dicts of text."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content, required, optional)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            f"The file is not UTF-8 text (byte {error.start}): save it as “CSV UTF-8”."
        ) from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [name.strip() for name in reader.fieldnames or []]
        _check_header(header, required, optional)
        reader.fieldnames = header
        return [
            {key: (value or "") for key, value in row.items() if key and key in header}
            for row in reader
        ]
    except csv.Error as error:
        raise ValidationError(f"The file is not readable CSV ({error}).") from None


def _read_xlsx(content: bytes, required, optional) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        # Not data_only: a formula cell comes back as its text and is never evaluated.
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(cell or "").strip() for cell in next(rows, [])]
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise ValidationError(f"The file is not a readable XLSX workbook ({error}).") from None
    _check_header(header, required, optional)
    table = []
    for values in rows:
        cells = ["" if value is None else _cell_text(value) for value in values]
        if not any(cells):
            continue
        table.append({name: cell for name, cell in zip(header, cells, strict=False) if name})
    return table


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _check_header(header: list[str], required, optional) -> None:
    names = [name.strip() for name in header]
    missing = [column for column in required if column not in names]
    if missing:
        raise ValidationError(
            f"Row 1 (header): missing column(s) {', '.join(missing)}. The header must be: "
            + ",".join(required)
        )
    known = (*required, *optional)
    unknown = [name for name in names if name and name not in known]
    if unknown:
        raise ValidationError(f"Row 1 (header): unknown column(s) {', '.join(unknown)}.")
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        raise ValidationError(f"Row 1 (header): column(s) {', '.join(repeated)} appear twice.")


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
    }
    # Optional columns change a provider only when the file has them.
    if "client_group" in row:
        values["client_group"] = _choice(
            row["client_group"], ClientGroup, row_number, "client_group", errors,
            default=ClientGroup.MIXED,
        )
    if "people_supported" in row:
        values["people_supported"] = _whole_number(
            row["people_supported"], row_number, "people_supported", errors
        )
        if (
            values["people_supported"] is not None
            and values["provider_type"] in CARE_HOME_TYPES
        ):
            errors.append(ImportRowError(
                row_number, "people_supported",
                "Care homes count registered beds, not people supported: leave it blank."))
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


def _whole_number(value: str, row: int, name: str, errors: list[ImportRowError]) -> int | None:
    """A blank cell is None; anything else must be a whole number ≥ 0."""
    text = value.strip()
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        errors.append(ImportRowError(row, name, f"“{text[:40]}” is not a whole number."))
        return None
    if number < 0:
        errors.append(ImportRowError(row, name, "This cannot be negative."))
        return None
    return number

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
        provider._import_changes = {}
        for name, value in values.items():
            settable = value is not None or name in ("registered_beds", "people_supported")
            if settable and getattr(provider, name) != value:
                setattr(provider, name, value)
                provider._import_changes[name] = value
                changed = True
        if not row_errors:
            try:
                # Constraints are mirrored by field validators and clean(): no query per row.
                provider.full_clean(exclude=["council"], validate_unique=False,
                                    validate_constraints=False)
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
            _update(updated, now, user)
        result.applied = True
    return result


def _update(providers: list[Provider], now, user) -> None:
    """Write the changed fields only, one UPDATE per distinct set of changes (bulk_update's
    CASE expressions cost ~3 ms a row to build), then the history rows in bulk."""
    groups: dict[tuple, list[int]] = {}
    for provider in providers:
        key = tuple(sorted(provider._import_changes.items(), key=lambda item: item[0]))
        groups.setdefault(key, []).append(provider.pk)
    for changes, pks in groups.items():
        for start in range(0, len(pks), 500):
            Provider.objects.filter(pk__in=pks[start:start + 500]).update(
                **dict(changes), version=F("version") + 1, updated_at=now
            )
    Provider.history.bulk_history_create(providers, update=True, default_user=user)
