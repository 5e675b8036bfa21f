"""A deadline is a date or “Ongoing”: never free text."""

import datetime
from typing import NamedTuple

from django.core.exceptions import ValidationError

from winterplan.validators import validate_plausible_date

ONGOING = "Ongoing"


class Deadline(NamedTuple):
    date: datetime.date | None
    ongoing: bool

    def __str__(self) -> str:
        return ONGOING if self.ongoing else self.date.strftime("%d/%m/%Y")


def parse_deadline(value: str | datetime.date) -> Deadline:
    """Read “Ongoing” or a UK date (dd/mm/yyyy); anything else is refused with a message."""
    if isinstance(value, datetime.date):
        return Deadline(value, False)
    text = str(value or "").strip()
    if text.lower() == ONGOING.lower():
        return Deadline(None, True)
    if not text:
        raise ValidationError("Enter a deadline as a date (dd/mm/yyyy) or “Ongoing”.")
    try:
        day = datetime.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise ValidationError(
            "“%(value)s” is not a deadline: enter a real date as dd/mm/yyyy "
            "(for example 31/10/2020) or “Ongoing”.",
            params={"value": text[:40]},
        ) from None
    validate_plausible_date(day)
    return Deadline(day, False)
