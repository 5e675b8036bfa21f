"""Validators shared by the apps: web links, plausible dates and database-sized ids."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

#: Links in plans and evidence may only point at web pages: no javascript:, data:, file: or ftp:.
validate_web_url = URLValidator(
    schemes=["http", "https"],
    message="Enter a web address starting with http:// or https://.",
)

#: The dates anyone may enter or ask for: a winter plan's dates are in this century. Outside it
#: date arithmetic overflows (01/01/0001 minus a day) and year-0001 dates once got stored.
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
IMPLAUSIBLE_DATE = (f"Enter a date between {EARLIEST_DATE:%d/%m/%Y} and "
                    f"{LATEST_DATE:%d/%m/%Y}.")


def validate_plausible_date(value: datetime.date | None) -> None:
    """A date (or datetime) must lie between EARLIEST_DATE and LATEST_DATE."""
    if value is None:
        return
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(IMPLAUSIBLE_DATE, code="implausible_date")


#: The longest text a person may type into one field (narratives, report sections, commentary,
#: action text). Forms and models both use it; the committee report stays well under the
#: renderer's 10 MB limit even when every section is full.
TEXT_MAX_LENGTH = 10_000
#: The longest note (continuity plan and funding notes, a daily return's free text).
NOTE_MAX_LENGTH = 4_000
#: The most money one amount may hold: £1 billion (a council's whole ICF round is millions).
MAX_MONEY = 1_000_000_000
#: The most beds one care home may register, and people one community service may support.
MAX_BEDS = 2_000
MAX_PEOPLE_SUPPORTED = 100_000


#: The largest id (and integer) every database holds: bigger ones overflow SQLite's INTEGER.
MAX_DATABASE_INTEGER = 2**63 - 1


def parse_id(text) -> int:
    """A database id from text; ValueError if it is not a whole number the database holds."""
    text = str(text).strip()
    if not text.isdigit() or len(text) > 19:
        raise ValueError(text[:40])
    number = int(text)
    if number > MAX_DATABASE_INTEGER:
        raise ValueError(text[:40])
    return number


def is_database_id(value) -> bool:
    """True for an id the database can hold (or any value that is not a whole number at all,
    which the field itself refuses)."""
    text = str(value).strip()
    if not text.lstrip("+-").isdigit():
        return True
    try:
        parse_id(text.lstrip("+"))
    except ValueError:
        return False
    return True
