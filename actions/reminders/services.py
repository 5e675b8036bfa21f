"""Record the reminders due on a day, then send every unsent one through Django's mail backend.

A reminder is recorded (pending) before it is sent, so it is never lost: a message the mail
server refuses, or a run that stops half way, leaves it failed or pending, and the next run
sends it. Statuses are written in one query at the end of the run.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actions.reminders import selectors
from actions.reminders.models import Event, Reminder, ReminderStatus
from actions.reminders.selectors import Due

logger = logging.getLogger(__name__)

SUBJECTS = {
    Event.ACTION_DUE_7: "Action due on {due:%d/%m/%Y}: {name}",
    Event.ACTION_DUE_1: "Action due on {due:%d/%m/%Y}: {name}",
    Event.ACTION_OVERDUE: "Action overdue since {due:%d/%m/%Y}: {name}",
    Event.LETTER_DUE_14: "DHSC letter due on {due:%d/%m/%Y}: {name}",
    Event.LETTER_DUE_3: "DHSC letter due on {due:%d/%m/%Y}: {name}",
    Event.CONTINUITY_REVIEW_DUE: "Business continuity plan review due: {name}",
}
TEMPLATES = {
    Event.ACTION_DUE_7: "actions/reminders/action_due.txt",
    Event.ACTION_DUE_1: "actions/reminders/action_due.txt",
    Event.ACTION_OVERDUE: "actions/reminders/action_due.txt",
    Event.LETTER_DUE_14: "actions/reminders/letter_due.txt",
    Event.LETTER_DUE_3: "actions/reminders/letter_due.txt",
    Event.CONTINUITY_REVIEW_DUE: "actions/reminders/continuity_review_due.txt",
}


@dataclass
class RunResult:
    """What a run recorded and sent."""

    recorded: list[Reminder] = field(default_factory=list)
    sent: list[Reminder] = field(default_factory=list)
    failed: list[Reminder] = field(default_factory=list)


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _shorten(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def reminder_compose(*, due: Due, on: datetime.date) -> Reminder:
    """An unsaved Reminder for `due` with its subject and plain-text body."""
    context = {"due": due, "recipient": due.recipient, "on": on,
               "days_left": (due.due_on - on).days, "days_late": (on - due.due_on).days}
    if due.action:
        plan = due.action.local_key_area.local_plan
        name = _shorten(due.action.text)
        context.update(action=due.action, plan=plan, url=_site_url(reverse(
            "actions:action-detail", args=[plan.slug, due.action.pk])))
    elif due.local_plan:
        name = due.local_plan.title
        context.update(plan=due.local_plan, url=_site_url(reverse(
            "reports:document-list", args=[due.local_plan.slug])))
    else:
        provider = due.continuity_plan.provider
        name = provider.name
        context.update(continuity_plan=due.continuity_plan, provider=provider, url=_site_url(
            reverse("providers:provider-detail", args=[provider.council.slug, provider.pk])))
    return Reminder(
        event=due.event, recipient=due.recipient, email=due.recipient.email,
        action=due.action, local_plan=due.local_plan, continuity_plan=due.continuity_plan,
        due_on=due.due_on, subject=SUBJECTS[due.event].format(due=due.due_on, name=name)[:300],
        body=render_to_string(TEMPLATES[due.event], context),
    )


def reminders_due(*, on: datetime.date) -> list[Reminder]:
    """Every reminder due on day `on` that is not yet recorded, composed but not saved."""
    due = [
        *selectors.action_reminders_due(on=on),
        *selectors.letter_reminders_due(on=on),
        *selectors.continuity_reminders_due(on=on),
    ]
    return [reminder_compose(due=item, on=on) for item in due]


@transaction.atomic
def reminders_record(*, on: datetime.date) -> list[Reminder]:
    """Record the reminders due on day `on` as pending (a reminder already recorded for the
    same event, object, date and person is never recorded again)."""
    reminders = reminders_due(on=on)
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    return reminders


def reminders_send() -> tuple[list[Reminder], list[Reminder]]:
    """Send every unsent reminder that is still due over one mail connection; each is marked
    sent or failed (with its error, logged), and its attempts counted; one no longer due is
    withdrawn. Returns (sent, failed)."""
    reminders, withdrawn = [], []
    for reminder in selectors.reminders_unsent():
        (reminders if reminder.is_still_due() else withdrawn).append(reminder)
    for reminder in withdrawn:
        reminder.status = ReminderStatus.WITHDRAWN
    Reminder.objects.bulk_update(withdrawn, ["status"])
    if not reminders:
        return [], []
    sent, failed = [], []
    connection = get_connection(fail_silently=False)
    try:
        connection.open()  # one connection for the run; a refusal here fails each send below
    except Exception as error:
        logger.warning("Mail connection failed: %s", error)
    try:
        for reminder in reminders:
            reminder.attempts += 1
            reminder.last_attempt_at = timezone.now()
            message = EmailMessage(
                subject=reminder.subject, body=reminder.body, to=[reminder.email],
                connection=connection,
            )
            try:
                message.send()
            except Exception as error:  # any backend's failure: record it, try next run
                logger.warning("Reminder %s to %s not sent: %s", reminder.pk, reminder.email,
                               error)
                reminder.status = ReminderStatus.FAILED
                reminder.last_error = f"{type(error).__name__}: {error}"[:2000]
                failed.append(reminder)
                _reset(connection)
            else:
                reminder.status = ReminderStatus.SENT
                reminder.sent_at = timezone.now()
                reminder.last_error = ""
                sent.append(reminder)
    finally:
        _reset(connection)
        Reminder.objects.bulk_update(
            sent + failed,
            ["status", "attempts", "last_attempt_at", "sent_at", "last_error"],
        )
    return sent, failed


def _reset(connection) -> None:
    """Close a connection that may be broken; the next send opens a fresh one."""
    try:
        connection.close()
    except Exception:  # closing a dead connection: nothing more to do
        logger.debug("Closing the mail connection failed", exc_info=True)


def reminders_run(*, on: datetime.date, dry_run: bool = False) -> RunResult:
    """The daily run: record what is due on day `on`, then send everything unsent. A dry run
    only composes what would be recorded and sends or writes nothing."""
    if dry_run:
        return RunResult(recorded=reminders_due(on=on))
    recorded = reminders_record(on=on)
    sent, failed = reminders_send()
    return RunResult(recorded=recorded, sent=sent, failed=failed)
