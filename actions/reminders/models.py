"""What was (or is to be) e-mailed to whom, for which event and object: one row per send."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Event(models.TextChoices):
    ACTION_DUE_7 = "action_due_7", "Action due in 7 days"
    ACTION_DUE_1 = "action_due_1", "Action due tomorrow"
    ACTION_OVERDUE = "action_overdue", "Action overdue"
    LETTER_DUE_14 = "letter_due_14", "DHSC letter due in 14 days"
    LETTER_DUE_3 = "letter_due_3", "DHSC letter due in 3 days"
    CONTINUITY_REVIEW_DUE = "continuity_review_due", "Business continuity plan review due"


ACTION_EVENTS = (Event.ACTION_DUE_7, Event.ACTION_DUE_1, Event.ACTION_OVERDUE)
LETTER_EVENTS = (Event.LETTER_DUE_14, Event.LETTER_DUE_3)


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Not sent yet"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (tried again on the next run)"
    WITHDRAWN = "withdrawn", "Not sent: no longer due"


class ReminderQuerySet(models.QuerySet["Reminder"]):
    def unsent(self) -> "ReminderQuerySet":
        """Recorded but not (yet) delivered to the mail server: the next run sends these."""
        return self.filter(status__in=(ReminderStatus.PENDING, ReminderStatus.FAILED))


class Reminder(models.Model):
    """One e-mail about one event (an action, a plan's letter or a continuity plan, on the date
    it concerns) to one person. Unique per event, object, date and person: sent once."""

    event = models.CharField(max_length=30, choices=Event.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders"
    )
    email = models.EmailField("sent to", max_length=254)
    action = models.ForeignKey(
        "actions.LocalAction", on_delete=models.CASCADE, null=True, blank=True,
        related_name="reminders",
    )
    local_plan = models.ForeignKey(
        "actions.LocalPlan", on_delete=models.CASCADE, null=True, blank=True,
        related_name="reminders",
    )
    continuity_plan = models.ForeignKey(
        "providers.BusinessContinuityPlan", on_delete=models.CASCADE, null=True, blank=True,
        related_name="reminders",
    )
    due_on = models.DateField(help_text="The deadline or review date the reminder is about.")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(event__in=ACTION_EVENTS, action__isnull=False,
                            local_plan__isnull=True, continuity_plan__isnull=True)
                | Q(event__in=LETTER_EVENTS, action__isnull=True,
                    local_plan__isnull=False, continuity_plan__isnull=True)
                | Q(event=Event.CONTINUITY_REVIEW_DUE, action__isnull=True,
                    local_plan__isnull=True, continuity_plan__isnull=False),
                name="reminder_names_one_object_of_its_event",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReminderStatus.SENT) | Q(sent_at__isnull=False),
                name="reminder_sent_has_time",
            ),
            models.UniqueConstraint(
                fields=["event", "action", "due_on", "recipient"],
                condition=Q(action__isnull=False), name="reminder_once_per_action_event",
            ),
            models.UniqueConstraint(
                fields=["event", "local_plan", "due_on", "recipient"],
                condition=Q(local_plan__isnull=False), name="reminder_once_per_letter_event",
            ),
            models.UniqueConstraint(
                fields=["event", "continuity_plan", "due_on", "recipient"],
                condition=Q(continuity_plan__isnull=False),
                name="reminder_once_per_continuity_event",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.get_event_display()} to {self.email} ({self.get_status_display()})"

    def is_still_due(self) -> bool:
        """A reminder not yet sent is withdrawn once its object moved on: the action is no
        longer open or has another deadline, the letter is approved, the plan was reviewed."""
        from actions.models import OPEN_STATUSES

        if self.action_id:
            return (self.action.status in OPEN_STATUSES and not self.action.deadline_ongoing
                    and self.action.deadline == self.due_on)
        if self.local_plan_id:
            letter = getattr(self.local_plan, "dhsc_letter", None)
            return (self.local_plan.national_plan.confirmation_deadline == self.due_on
                    and (letter is None or letter.state == "draft"))
        return self.continuity_plan.next_review_due == self.due_on
