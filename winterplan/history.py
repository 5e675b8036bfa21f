"""History dated when it was true: imports and the sample data write django-simple-history rows
dated by the day their data describes (a plan's as-at date, a return's own day), not the day
they were loaded, so documents can be read "as at" those days.

Two ways, both through simple_history's own hooks: an instance created with `_history_date`
set (see `upsert(history_date=...)`), or, for rows written by services that cannot know the
date, `history_redate` afterwards on the rows a load wrote.
"""

import datetime

from django.db import models
from django.utils import timezone


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` in the project's time zone (Europe/London), aware."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def history_moment(day: datetime.date | None) -> datetime.datetime:
    """The moment history about `day` is dated at: the start of that day, never in the future
    (now when there is no day)."""
    now = timezone.now()
    if day is None:
        return now
    return min(day_start(day), now)


def history_redate(
    model: type[models.Model], *, since: datetime.datetime, moment: datetime.datetime, **filters
) -> int:
    """Date at `moment` (never in the future) the history rows of `model` written since
    `since` that match `filters`: for a load that has just written them and knows when their
    data was true. Returns the number of history rows moved."""
    return model.history.model.objects.filter(history_date__gte=since, **filters).update(
        history_date=min(moment, timezone.now())
    )
