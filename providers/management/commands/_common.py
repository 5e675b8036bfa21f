"""Shared by the providers' commands."""

import datetime
from pathlib import Path

from django.core.management.base import CommandError

from winterplan.models import Council
from winterplan.validators import EARLIEST_DATE, LATEST_DATE


def council_named(slug: str) -> Council:
    try:
        return Council.objects.get(slug=slug)
    except Council.DoesNotExist:
        raise CommandError(f"No council with the slug “{slug}”.") from None


def read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None


def parse_day(text: str) -> datetime.date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if EARLIEST_DATE <= day <= LATEST_DATE:
            return day
    raise CommandError(f"“{text}” is not a date like 15/07/2020 (between "
                       f"{EARLIEST_DATE:%d/%m/%Y} and {LATEST_DATE:%d/%m/%Y}).")


def refused(error, filename: str) -> CommandError:
    lines = "\n".join(str(row_error) for row_error in error.result.errors)
    return CommandError(f"{filename} was not imported ({len(error.result.errors)} "
                        f"problem(s)); nothing changed:\n{lines}")
