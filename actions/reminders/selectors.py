"""Who is due which reminder on a day: a constant number of queries per event kind.

Windows (so a day the command did not run is caught up on the next, and an old deadline does
not wake up on the first run): an action is "due in 7 days" from 7 to 2 days before its
deadline, "due tomorrow" the day before and on the day, "overdue" up to 7 days after it; the
DHSC letter 14 to 4 and 3 to 0 days before the national plan's confirmation deadline; a
business continuity plan's review from its due date to 7 days after it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from actions.models import OPEN_STATUSES, LocalAction, LocalPlan
from actions.reminders.models import ACTION_EVENTS, LETTER_EVENTS, Event, Reminder
from providers.models import BusinessContinuityPlan
from winterplan.models import User
from winterplan.permissions import MANAGER, OFFICER

CATCH_UP_DAYS = 7
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Due:
    """One reminder someone should have: the event, what it is about and for which date."""

    event: str
    due_on: datetime.date
    recipient: User
    action: LocalAction | None = None
    local_plan: LocalPlan | None = None
    continuity_plan: BusinessContinuityPlan | None = None

    @property
    def key(self) -> tuple:
        target = self.action or self.local_plan or self.continuity_plan
        return (self.event, target.pk, self.due_on, self.recipient.pk)


def reachable_users():
    """Active users with an e-mail address who have not turned reminders off."""
    return User.objects.filter(is_active=True, reminders_enabled=True).exclude(email="")


def wants_reminders(user: User) -> bool:
    """The same rule as `reachable_users`, for a user already loaded."""
    return bool(user.is_active and user.reminders_enabled and user.email)


def action_event(deadline: datetime.date, on: datetime.date) -> str | None:
    """The reminder an open action with this deadline is due on day `on`, if any."""
    days_left = (deadline - on).days
    if 2 <= days_left <= 7:
        return Event.ACTION_DUE_7
    if 0 <= days_left <= 1:
        return Event.ACTION_DUE_1
    if -CATCH_UP_DAYS <= days_left <= -1:
        return Event.ACTION_OVERDUE
    return None


def letter_event(deadline: datetime.date, on: datetime.date) -> str | None:
    """The reminder a plan whose letter is due on `deadline` is due on day `on`, if any."""
    days_left = (deadline - on).days
    if 4 <= days_left <= 14:
        return Event.LETTER_DUE_14
    if 0 <= days_left <= 3:
        return Event.LETTER_DUE_3
    return None


def _sent_keys(field: str, ids: list[int], events) -> set[tuple]:
    """Reminders already recorded for these objects (whatever their status): never twice."""
    if not ids:
        return set()
    return set(Reminder.objects.filter(**{f"{field}__in": ids}, event__in=events).values_list(
        "event", field, "due_on", "recipient_id"))


def _new(due: list[Due], field: str, events) -> list[Due]:
    ids = sorted({getattr(item, field.removesuffix("_id")).pk for item in due})
    sent = _sent_keys(field, ids, events)
    return [item for item in due if item.key not in sent]


def action_reminders_due(*, on: datetime.date) -> list[Due]:
    """Open dated actions in a reminder window: to the owner, or with no owner to the team's
    officers and managers; neither Complete nor Ongoing actions. Three queries in all."""
    actions = list(
        LocalAction.objects.filter(
            status__in=OPEN_STATUSES, deadline_ongoing=False,
            deadline__gte=on - CATCH_UP_DAYS * DAY, deadline__lte=on + 7 * DAY,
        ).select_related(
            "owner", "team", "local_key_area__local_plan__council", "local_key_area__key_area",
        ).order_by("deadline", "pk")
    )
    ownerless_teams = {action.team_id for action in actions if action.owner_id is None}
    members = defaultdict(list)
    if ownerless_teams:
        for user in reachable_users().filter(
            team_id__in=ownerless_teams, groups__name__in=(OFFICER, MANAGER)
        ).distinct().order_by("username"):
            members[user.team_id].append(user)
    due = []
    for action in actions:
        event = action_event(action.deadline, on)
        if action.owner_id:
            recipients = [action.owner] if wants_reminders(action.owner) else []
        else:
            council_id = action.local_key_area.local_plan.council_id
            recipients = [u for u in members[action.team_id] if u.council_id == council_id]
        due += [Due(event, action.deadline, user, action=action) for user in recipients]
    return _new(due, "action_id", ACTION_EVENTS)


def letter_reminders_due(*, on: datetime.date) -> list[Due]:
    """Plans whose DHSC letter is not approved (nor sent) as the confirmation deadline nears:
    to the council's managers. Three queries in all."""
    plans = list(
        LocalPlan.objects.filter(
            national_plan__confirmation_deadline__gte=on,
            national_plan__confirmation_deadline__lte=on + 14 * DAY,
        ).exclude(
            Q(dhsc_letter__state__in=("approved", "sent"))
        ).select_related("council", "national_plan").order_by("pk")
    )
    managers = defaultdict(list)
    if plans:
        for user in reachable_users().filter(
            council_id__in={plan.council_id for plan in plans}, groups__name=MANAGER
        ).distinct().order_by("username"):
            managers[user.council_id].append(user)
    due = []
    for plan in plans:
        deadline = plan.national_plan.confirmation_deadline
        event = letter_event(deadline, on)
        due += [Due(event, deadline, user, local_plan=plan) for user in managers[plan.council_id]]
    return _new(due, "local_plan_id", LETTER_EVENTS)


def continuity_reminders_due(*, on: datetime.date) -> list[Due]:
    """Business continuity plans whose next review has fallen due: to the council's officers.
    Three queries in all."""
    plans = list(
        BusinessContinuityPlan.objects.filter(
            next_review_due__lte=on, next_review_due__gte=on - CATCH_UP_DAYS * DAY,
        ).select_related("provider__council").order_by("next_review_due", "pk")
    )
    officers = defaultdict(list)
    if plans:
        for user in reachable_users().filter(
            council_id__in={plan.provider.council_id for plan in plans}, groups__name=OFFICER
        ).distinct().order_by("username"):
            officers[user.council_id].append(user)
    due = [
        Due(Event.CONTINUITY_REVIEW_DUE, plan.next_review_due, user, continuity_plan=plan)
        for plan in plans for user in officers[plan.provider.council_id]
    ]
    return _new(due, "continuity_plan_id", (Event.CONTINUITY_REVIEW_DUE,))


def reminders_unsent():
    """Recorded reminders not yet delivered, to people who still want them: the next run's."""
    return Reminder.objects.unsent().filter(
        recipient__is_active=True, recipient__reminders_enabled=True
    ).select_related(
        "recipient", "action", "local_plan__national_plan", "local_plan__dhsc_letter",
        "continuity_plan",
    ).order_by("created_at", "pk")


def action_reminders(action: LocalAction):
    """An action's reminders for its history page, newest first."""
    return Reminder.objects.filter(action=action).select_related("recipient").order_by(
        "-created_at", "-pk")
