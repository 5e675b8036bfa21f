"""Import a council's provider register from CSV or XLSX (format in README, "Data formats").

All-or-nothing: every row is validated first; one bad row refuses the whole file, and every
error names its row number (the header is row 1) and field. A CQC location ID that the council
already has updates that provider instead of adding a duplicate.

`read_table` and the result types are shared with the daily returns import. The bounded reader
itself (limits, formulas read as text, damaged cells named) lives in winterplan.spreadsheets;
text is stored as text (exports neutralise it, see winterplan.exports).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from providers.cqc.importer import CqcSource, read_cqc_file
from providers.cqc.layouts import unknown_layout_message
from providers.models import (
    CARE_HOME_TYPES,
    ClientGroup,
    Provider,
    ProviderType,
    RiskRating,
)
from winterplan import spreadsheets, versions
from winterplan.models import Council
from winterplan.spreadsheets import (  # noqa: F401 (re-exported for the returns import)
    MAX_XLSX_PART_BYTES,
    MAX_XLSX_PARTS,
    MAX_XLSX_SHARED_STRINGS_BYTES,
    ImportRowError,
    Row,
    TableError,
    max_rows,
    upload_size_error,
)

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
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def read_table(filename: str, content: bytes, required: tuple[str, ...] = REQUIRED_COLUMNS,
               optional: tuple[str, ...] = OPTIONAL_COLUMNS) -> list[Row]:
    """The register's rows (see winterplan.spreadsheets.read_table)."""
    return spreadsheets.read_table(filename, content, required, optional)


def read_register(filename: str, content: bytes, *, council: Council
                  ) -> tuple[list[Row], CqcSource | None]:
    """A register file's rows for the council: CQC's own files (recognised by their layout,
    providers.cqc) or the register's layout. Raises TableError."""
    known = set(Provider.objects.filter(council=council)
                .values_list("cqc_location_id", flat=True))
    cqc = read_cqc_file(filename, content, council=council, known_ids=known)
    if cqc is not None:
        return cqc.rows, cqc.source
    try:
        return read_table(filename, content), None
    except TableError as error:
        first = error.errors[0] if error.errors else None
        if first and first.row == 1 and "missing column" in first.message:
            first.message += (". Or upload one of CQC's own files as published. "
                              + unknown_layout_message())
            raise TableError(*error.errors) from None
        raise


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class ProviderChanges:
    """A provider the import updates, and each field it changes."""

    name: str
    cqc_location_id: str
    fields: list[FieldChange]


@dataclass
class MissingProvider:
    """One of the council's providers that CQC's latest file does not hold (never deleted)."""

    name: str
    cqc_location_id: str
    reason: str


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[ImportRowError] = field(default_factory=list)
    applied: bool = False
    #: The days a daily returns file covers, oldest first.
    dates: list = field(default_factory=list)
    #: The register: each updated provider's changes, field by field (old → new).
    changes: list[ProviderChanges] = field(default_factory=list)
    #: A CQC file: which one, and the council's providers it does not hold.
    source: CqcSource | None = None
    missing: list[MissingProvider] = field(default_factory=list)

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



def refuse_unreadable(error: TableError) -> ImportRefused:
    """The refusal of a file that could not be read, with every row and cell named."""
    return ImportRefused(ImportResult(errors=list(error.errors)))





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
    }
    # The register's layout always has these; a CQC file leaves them as the council set them.
    if "prime_provider" in row:
        values["prime_provider"] = _flag(row["prime_provider"], row_number, "prime_provider",
                                         errors)
    if "council_run" in row:
        values["council_run"] = _flag(row["council_run"], row_number, "council_run", errors)
    if "risk_rating" in row:
        values["risk_rating"] = _choice(row["risk_rating"], RiskRating, row_number,
                                        "risk_rating", errors, default=RiskRating.GREEN)
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
    if "registered_beds" not in row:  # a CQC file that does not say: kept as it is
        return values
    values["registered_beds"] = _whole_number(
        row["registered_beds"], row_number, "registered_beds", errors,
        negative="Registered beds cannot be negative.")
    if (values["registered_beds"] is not None and values["provider_type"]
            and values["provider_type"] not in CARE_HOME_TYPES):
        errors.append(ImportRowError(
            row_number, "registered_beds",
            "Only care homes have registered beds: leave it blank for "
            f"{values['provider_type']}."))
    return values


NOT_IN_CQC_FILE = "not in CQC's latest file"


def _field_change(provider: Provider, name: str, value) -> FieldChange:
    model_field = Provider._meta.get_field(name)

    def shown(item) -> str:
        if item is None or item == "":
            return "blank"
        if isinstance(item, bool):
            return "yes" if item else "no"
        return str(dict(model_field.choices or ()).get(item, item))

    return FieldChange(str(model_field.verbose_name), shown(getattr(provider, name)),
                       shown(value))


#: PositiveIntegerField's range on every database.
MAX_WHOLE_NUMBER = 2_147_483_647


def _whole_number(value: str, row: int, name: str, errors: list[ImportRowError],
                  negative: str = "This cannot be negative.") -> int | None:
    """A blank cell is None; anything else must be a whole number ≥ 0 the database can hold."""
    text = value.strip()
    if not text:
        return None
    try:
        number = int(text) if len(text) < 20 else None
    except ValueError:
        number = None
    if number is None:
        errors.append(ImportRowError(row, name, f"“{text[:40]}” is not a whole number."))
        return None
    if number < 0:
        errors.append(ImportRowError(row, name, negative))
        return None
    if number > MAX_WHOLE_NUMBER:
        errors.append(ImportRowError(row, name, "This number is too large."))
        return None
    return number


def model_errors(instance, row_number: int, failed: set[str], exclude: list[str]):
    """The row's errors from the model's own validation, for the fields not already in error
    (so a row's every problem is reported in one pass)."""
    try:
        instance.full_clean(exclude=[*exclude, *failed], validate_unique=False,
                            validate_constraints=False)
    except ValidationError as error:
        return [ImportRowError(row_number, name, message)
                for name, messages in error.message_dict.items() if name not in failed
                for message in messages]
    return []


def providers_import(
    *, council: Council, filename: str, content: bytes, user=None, dry_run: bool = False
) -> ImportResult:
    """Read the file, validate every row, then (unless dry_run) create or update all providers
    in one go. Raises ProviderImportError, carrying the result with its row errors."""
    try:
        rows, source = read_register(filename, content, council=council)
    except TableError as error:
        raise refuse_unreadable(error) from None
    return providers_import_rows(council=council, rows=rows, user=user, dry_run=dry_run,
                                 source=source)


def providers_import_rows(
    *, council: Council, rows: list[Row], user=None, dry_run: bool = False,
    source: CqcSource | None = None,
) -> ImportResult:
    """Validate every row read from a file (all of each row's errors at once), then (unless
    dry_run) create or update all providers in one go. From CQC's file (`source`), the
    council's providers it does not hold are listed as missing, never deleted. Raises
    ProviderImportError."""
    result = ImportResult(source=source)
    if not rows and source is None:
        result.errors.append(ImportRowError(2, "file", "The file has a header but no providers."))
        raise ProviderImportError(result)

    existing = {p.cqc_location_id: p for p in Provider.objects.filter(council=council)}
    seen: dict[str, int] = {}
    pending: list[tuple[Provider, bool]] = []
    for row_number, row in rows:
        row_errors: list[ImportRowError] = []
        values = _row_values(row_number, row, row_errors)
        cqc_id = values["cqc_location_id"]
        if cqc_id in seen:
            row_errors.append(ImportRowError(
                row_number, "cqc_location_id",
                f"{cqc_id[:40]} appears twice in the file (also row {seen[cqc_id]})."))
        seen.setdefault(cqc_id, row_number)
        provider = existing.get(cqc_id)
        is_new = provider is None
        if is_new:
            provider = Provider(council=council)
        changed = is_new
        provider._import_changes = {}
        fields = []
        for name, value in values.items():
            settable = value is not None or name in ("registered_beds", "people_supported")
            if settable and getattr(provider, name) != value:
                if not is_new:
                    fields.append(_field_change(provider, name, value))
                setattr(provider, name, value)
                provider._import_changes[name] = value
                changed = True
        if fields:
            result.changes.append(ProviderChanges(values["name"], cqc_id, fields))
        # Constraints are mirrored by field validators and clean(): no query per row.
        row_errors += model_errors(provider, row_number, {e.field for e in row_errors},
                                   exclude=["council"])
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
    if source is not None:
        result.missing = [
            MissingProvider(provider.name, provider.cqc_location_id,
                            source.known_left_out.get(provider.cqc_location_id,
                                                      NOT_IN_CQC_FILE))
            for provider in sorted(existing.values(), key=lambda p: p.name)
            if provider.cqc_location_id not in seen
        ]
        for error in result.errors:
            error.field = source.column(error.field)
    if result.errors:
        raise ProviderImportError(result)
    if not dry_run:
        new = [provider for provider, is_new in pending if is_new]
        updated = [provider for provider, is_new in pending if not is_new]
        now = timezone.now()
        for provider, _ in pending:
            provider.updated_at = now
        try:
            with transaction.atomic():
                bulk_create_with_history(new, Provider, batch_size=500, default_user=user)
                _update(updated, now, user)
                versions.bump({provider.council_id for provider, _ in pending},
                              versions.PROVIDERS)
        except IntegrityError:
            # Another import (or an edit) added one of these CQC location IDs after the rows
            # were checked: refuse, as if it had been there when they were.
            result.errors.append(ImportRowError(
                1, "file", "Another import or edit added providers with some of these CQC "
                "location IDs while this one was running, so nothing was imported. Check the "
                "file again to see what it would change now."))
            raise ProviderImportError(result) from None
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
