"""Import daily returns from CSV or XLSX (format in README, "Data formats").

The same rules as the register import: every row is checked first, one bad row refuses the
file, and every error names its row number and field. A home is found by its CQC location ID
in the council's register. A row for a home and day that already has a return is an error
unless `existing="replace"` (update it) or `existing="skip"` (leave it).
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from providers.models import PPE_FIELDS, RETURNING_TYPES, DailyReturn, EnteredVia, Provider
from providers.services.imports import (
    ImportRefused,
    ImportResult,
    ImportRowError,
    Row,
    TableError,
    model_errors,
    read_table,
    refuse_unreadable,
)
from winterplan import versions
from winterplan.history import history_moment
from winterplan.models import Council
from winterplan.validators import EARLIEST_DATE, LATEST_DATE

COUNT_COLUMNS = ("resident_cases", "staff_cases", "vacant_beds", *PPE_FIELDS)
DATE_COLUMNS = ("resident_cases_confirmed_on", "staff_cases_confirmed_on")
FLAG_COLUMNS = (
    "admissions_restricted",
    "visitors_restricted",
    "social_workers_restricted",
    "healthcare_professionals_restricted",
    "staffing_issue",
    "medication_issue",
    "other_supplies_issue",
    "it_issue",
    "capacity_tracker_updated",
    "nhsmail_working",
    "essential_service_impact",
)
TEXT_COLUMNS = ("issues", "overview")
REQUIRED_COLUMNS = ("cqc_location_id", "date", *COUNT_COLUMNS, *DATE_COLUMNS, *FLAG_COLUMNS)
#: `name` is for people reading the file; the CQC location ID decides the home.
OPTIONAL_COLUMNS = ("name", *TEXT_COLUMNS)
DATA_FIELDS = (*COUNT_COLUMNS, *DATE_COLUMNS, *FLAG_COLUMNS, *TEXT_COLUMNS)
EXISTING_MODES = ("refuse", "replace", "skip")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
#: Blank means the field's usual value: no cases, no restriction, tracker updated, NHSmail up.
FLAG_DEFAULTS = {name: DailyReturn._meta.get_field(name).default for name in FLAG_COLUMNS}
A_DATE = (f"a date like 15/07/2020 (between {EARLIEST_DATE:%d/%m/%Y} and "
          f"{LATEST_DATE:%d/%m/%Y})")


def parse_date(text: str) -> datetime.date:
    """A dd/mm/yyyy or YYYY-MM-DD date within the plausible range; ValueError otherwise."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = datetime.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise ValueError(text)
        return day
    raise ValueError(text)


def _values(row_number: int, row: dict[str, str], errors: list[ImportRowError]) -> dict:
    values: dict = {}
    for name in COUNT_COLUMNS:
        text = row.get(name, "").strip()
        if not text:
            values[name] = None if name not in ("resident_cases", "staff_cases") else 0
            continue
        try:
            number = int(text)
        except ValueError:
            errors.append(ImportRowError(row_number, name, f"“{text[:40]}” is not a whole number."))
            continue
        if number < 0:
            errors.append(ImportRowError(row_number, name, "This cannot be negative."))
        elif number > 32767:
            errors.append(ImportRowError(row_number, name, "This number is too large."))
        else:
            values[name] = number
    for name in DATE_COLUMNS:
        text = row.get(name, "").strip()
        values[name] = None
        if text:
            try:
                values[name] = parse_date(text)
            except ValueError:
                errors.append(ImportRowError(
                    row_number, name, f"“{text[:40]}” is not {A_DATE}."))
    for name in FLAG_COLUMNS:
        text = row.get(name, "").strip().lower()
        if not text:
            values[name] = FLAG_DEFAULTS[name]
        elif text in YES or text in NO:
            values[name] = text in YES
        else:
            errors.append(ImportRowError(row_number, name, f"“{text[:40]}” is not yes or no."))
    for name in TEXT_COLUMNS:
        values[name] = row.get(name, "").strip()
    return values


def daily_returns_import(
    *,
    council: Council,
    filename: str,
    content: bytes,
    user=None,
    dry_run: bool = False,
    existing: str = "refuse",
    assess: bool = True,
) -> ImportResult:
    """Read the file, then import its rows (daily_returns_import_rows). Raises ImportRefused."""
    try:
        rows = read_table(filename, content, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    except TableError as error:
        raise refuse_unreadable(error) from None
    return daily_returns_import_rows(council=council, rows=rows, user=user, dry_run=dry_run,
                                     existing=existing, assess=assess)


@transaction.atomic
def daily_returns_import_rows(
    *,
    council: Council,
    rows: list[Row],
    user=None,
    dry_run: bool = False,
    existing: str = "refuse",
    assess: bool = True,
) -> ImportResult:
    """Validate every row (all of each row's errors in one pass), then (unless dry_run) store
    every return in one go and re-assess the RAG as at the latest day in the file. Raises
    ImportRefused when any row is bad."""
    if existing not in EXISTING_MODES:
        raise ValueError(f"existing must be one of {EXISTING_MODES}")
    result = ImportResult()
    if not rows:
        result.errors.append(ImportRowError(2, "file", "The file has a header but no returns."))
        raise ImportRefused(result)

    providers = {p.cqc_location_id: p for p in Provider.objects.filter(council=council)}
    today = timezone.localdate()
    parsed = []
    for row_number, row in rows:
        errors: list[ImportRowError] = []
        cqc_id = row.get("cqc_location_id", "").strip()
        provider = providers.get(cqc_id)
        if provider is None:
            errors.append(ImportRowError(
                row_number, "cqc_location_id",
                f"“{cqc_id[:40]}” is not a provider in {council.name}'s register."))
        elif provider.provider_type not in RETURNING_TYPES:
            errors.append(ImportRowError(
                row_number, "cqc_location_id",
                f"{provider.name} is not a care home: only care homes send daily returns."))
            provider = None
        date = None
        try:
            date = parse_date(row.get("date", ""))
        except ValueError:
            errors.append(ImportRowError(
                row_number, "date", f"“{row.get('date', '')[:40]}” is not {A_DATE}."))
        else:
            if date > today:
                errors.append(ImportRowError(
                    row_number, "date", "A return cannot be dated in the future."))
                date = None
        values = _values(row_number, row, errors)
        parsed.append((row_number, provider, date, values, errors))

    keyed = [(provider.pk, date) for _, provider, date, _, _ in parsed if provider and date]
    stored = {
        (r.provider_id, r.date): r
        for r in DailyReturn.objects.filter(
            provider__council=council, date__in={date for _, date in keyed}
        )
    } if keyed else {}
    seen: dict[tuple[int, datetime.date], int] = {}
    new, changed = [], []
    for row_number, provider, date, values, errors in parsed:
        daily_return = None
        if provider is not None and date is not None:
            key = (provider.pk, date)
            if key in seen:
                errors.append(ImportRowError(
                    row_number, "date",
                    f"{provider.name} has two returns for {date:%d/%m/%Y} (also row "
                    f"{seen[key]})."))
            seen.setdefault(key, row_number)
            daily_return = stored.get(key)
            if daily_return is not None and existing == "refuse":
                errors.append(ImportRowError(
                    row_number, "date",
                    f"{provider.name} already has a return for {date:%d/%m/%Y}."))
        if daily_return is not None and existing == "skip" and not errors:
            result.unchanged.append(f"{provider.name}, {date:%d/%m/%Y}")
            continue
        is_new = daily_return is None
        if is_new:
            daily_return = DailyReturn(provider=provider, date=date, entered_by=user,
                                       entered_via=EnteredVia.IMPORT)
        failed = {error.field for error in errors}
        differs = [name for name in DATA_FIELDS
                   if name in values and getattr(daily_return, name) != values[name]]
        for name in differs:
            setattr(daily_return, name, values[name])
        errors += model_errors(
            daily_return, row_number, failed | ({"date"} if date is None else set()),
            exclude=["provider", "entered_by"])
        result.errors += errors
        if errors:
            continue
        label = f"{provider.name}, {date:%d/%m/%Y}"
        if is_new:
            result.created.append(label)
            new.append(daily_return)
        elif differs:
            daily_return.version += 1
            daily_return.entered_by = user
            daily_return.entered_via, daily_return.return_link = EnteredVia.IMPORT, None
            result.updated.append(label)
            changed.append(daily_return)
        else:
            result.unchanged.append(label)
    if result.errors:
        raise ImportRefused(result)
    result.dates = sorted({date for _, _, date, _, _ in parsed})
    if dry_run:
        return result
    now = timezone.now()
    for daily_return in (*new, *changed):
        daily_return.updated_at = now
    for daily_return in new:  # a new return is history from its own day; a replacement from now
        daily_return._history_date = history_moment(daily_return.date)
    try:
        with transaction.atomic():
            bulk_create_with_history(new, DailyReturn, batch_size=500, default_user=user)
            bulk_update_with_history(
                changed, DailyReturn,
                [*DATA_FIELDS, "version", "entered_by", "entered_via", "return_link", "updated_at"],
                batch_size=500, default_user=user,
            )
            versions.bump([council.pk], versions.PROVIDERS)  # bulk writes send no signals
    except IntegrityError:
        # Another import or entry stored a return for one of these homes and days after the
        # rows were checked: the same refusal as when it was there before.
        result.errors.append(ImportRowError(
            1, "file", "Another import or entry stored returns for some of these homes and "
            "days while this one was running (a home already has a return for that day), so "
            "nothing was imported. Check the file again to see what it would change now."))
        raise ImportRefused(result) from None
    result.applied = True
    if assess and (new or changed):
        from providers.services.register import reassess

        reassess(council=council, dates=result.dates,
                 providers=[r.provider for r in (*new, *changed)], user=user)
    return result
