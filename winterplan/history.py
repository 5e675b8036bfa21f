"""History: who made a change, and when what it records was true.

The web request's user is recorded by simple_history's middleware. `manage.py` runs every
command inside `command_line_attribution`: history rows it writes name the "system" user
(created on first use, inactive, no password) and, where simple_history sends its signal (all
but bulk writes), the command line as the change reason. Users with history are never deleted
(see `winterplan.models.User.delete`): deactivate them, so history keeps who did what.

History dated when it was true: imports and the sample data write django-simple-history rows
dated by the day their data describes (a plan's as-at date, a return's own day), not the day
they were loaded, so documents can be read "as at" those days.

Two ways, both through simple_history's own hooks: an instance created with `_history_date`
set (see `upsert(history_date=...)`), or, for rows written by services that cannot know the
date, `history_redate` afterwards on the rows a load wrote.
"""

import contextlib
import datetime
import shlex

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


SYSTEM_USERNAME = "system"
REASON_MAX_LENGTH = 100


class CommandLineRequest:
    """Stands in for the request simple_history takes the user from."""

    def __init__(self, reason: str):
        self.history_reason = reason[:REASON_MAX_LENGTH]
        self._user = None

    @property
    def user(self):
        if self._user is None:
            self._user = system_user()
        return self._user


def system_user():
    """The user that command-line changes are attributed to."""
    from winterplan.models import User

    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is None:
        user = User(username=SYSTEM_USERNAME, first_name="System", last_name="(command line)",
                    is_active=False)
        user.set_unusable_password()
        user._history_user = None  # its own creation has no one to attribute it to
        user._history_system_itself = True
        user._change_reason = "system user for command-line changes"
        user.save()
    return user


@contextlib.contextmanager
def command_line_attribution(argv: list[str]):
    """Attribute the history written inside to the system user and the command line."""
    from simple_history.models import HistoricalRecords

    reason = "manage.py " + shlex.join(argv[1:])
    previous = getattr(HistoricalRecords.context, "request", None)
    HistoricalRecords.context.request = CommandLineRequest(reason)
    try:
        yield
    finally:
        if previous is None:
            del HistoricalRecords.context.request
        else:
            HistoricalRecords.context.request = previous


def command_reason(sender, history_instance, **kwargs):
    """pre_create_historical_record: inside a command, the command line as the reason when
    none was given, and the system user when none was."""
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    reason = getattr(request, "history_reason", None)
    if reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = reason
    # A service called from a command with user=None still names the system user.
    if (isinstance(request, CommandLineRequest) and history_instance.history_user_id is None
            and not getattr(kwargs.get("instance"), "_history_system_itself", False)):
        history_instance.history_user = request.user


def last_login_record(sender, user, **kwargs):
    """user_logged_in: store the sign-in time without a history row for every sign-in."""
    from django.utils import timezone

    user.last_login = timezone.now()
    type(user)._default_manager.filter(pk=user.pk).update(last_login=user.last_login)
