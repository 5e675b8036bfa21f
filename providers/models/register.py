"""The provider register: care providers a council oversees and their business continuity plans."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from winterplan.models import Council
from winterplan.validators import (
    MAX_BEDS,
    MAX_PEOPLE_SUPPORTED,
    NOTE_MAX_LENGTH,
    validate_plausible_date,
)

validate_cqc_location_id = RegexValidator(
    r"^1-\d{1,12}\Z",
    message="Enter a CQC location ID: “1-” followed by digits, e.g. 1-1234567890.",
)


class ProviderType(models.TextChoices):
    CARE_HOME_RESIDENTIAL = "care_home_residential", "Care home (residential)"
    CARE_HOME_NURSING = "care_home_nursing", "Care home (nursing)"
    CARE_AT_HOME = "care_at_home", "Care at home"
    COMPLEX_CARE = "complex_care", "Complex care"
    SUPPORTED_LIVING = "supported_living", "Supported living"
    EXTRA_CARE_HOUSING = "extra_care_housing", "Extra care housing"


#: Types that have registered beds.
CARE_HOME_TYPES = (ProviderType.CARE_HOME_RESIDENTIAL, ProviderType.CARE_HOME_NURSING)


class ClientGroup(models.TextChoices):
    OLDER_PEOPLE = "older_people", "Older people"
    SPECIALIST = "specialist", "Specialist (learning disability, mental health and others)"
    MIXED = "mixed", "Mixed or not recorded"


class RiskRating(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class ProviderQuerySet(models.QuerySet["Provider"]):
    def for_council(self, council: Council) -> "ProviderQuerySet":
        return self.filter(council=council)

    def care_homes(self) -> "ProviderQuerySet":
        return self.filter(provider_type__in=CARE_HOME_TYPES)


class Provider(models.Model):
    """A registered care service (CQC location) in a council's area."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="providers")
    name = models.CharField(max_length=200)
    provider_type = models.CharField("type", max_length=30, choices=ProviderType.choices)
    client_group = models.CharField(
        max_length=20, choices=ClientGroup.choices, default=ClientGroup.MIXED
    )
    cqc_location_id = models.CharField(
        "CQC location ID", max_length=20, validators=[validate_cqc_location_id]
    )
    registered_beds = models.PositiveIntegerField(
        validators=[MaxValueValidator(MAX_BEDS)],
        null=True, blank=True, help_text="Care homes only."
    )
    people_supported = models.PositiveIntegerField(
        validators=[MaxValueValidator(MAX_PEOPLE_SUPPORTED)],
        null=True,
        blank=True,
        help_text="Community services only: people using the service (the Infection Control "
        "Fund's per-user basis).",
    )
    prime_provider = models.BooleanField(default=False)
    council_run = models.BooleanField("run by the council", default=False)
    risk_rating = models.CharField(
        max_length=5, choices=RiskRating.choices, default=RiskRating.GREEN
    )
    contact_email = models.EmailField(
        "contact e-mail address", blank=True,
        help_text="Where the home's return link and reminders are sent (usually its manager).",
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = ProviderQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "cqc_location_id"], name="provider_unique_cqc_id_per_council"
            ),
            models.CheckConstraint(
                condition=Q(registered_beds__isnull=True)
                | Q(registered_beds__gte=0, provider_type__in=CARE_HOME_TYPES),
                name="provider_beds_only_for_care_homes",
                violation_error_message="Only care homes have registered beds.",
            ),
            models.CheckConstraint(
                condition=Q(people_supported__isnull=True)
                | ~Q(provider_type__in=CARE_HOME_TYPES),
                name="provider_people_supported_only_for_community_services",
                violation_error_message="Care homes count registered beds, not people supported.",
            ),
            models.CheckConstraint(
                condition=Q(cqc_location_id__regex=r"^1-[0-9]+$"),
                name="provider_cqc_location_id_format",
                violation_error_message="A CQC location ID is “1-” followed by digits.",
            ),
        ]
        indexes = [
            models.Index(fields=["council", "provider_type"]),
            models.Index(fields=["council", "risk_rating"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_care_home(self) -> bool:
        return self.provider_type in CARE_HOME_TYPES

    def clean(self) -> None:
        errors = {}
        if self.registered_beds is not None and not self.is_care_home:
            errors["registered_beds"] = "Only care homes have registered beds: leave this blank."
        if self.people_supported is not None and self.is_care_home:
            errors["people_supported"] = (
                "Care homes count registered beds, not people supported: leave this blank."
            )
        if errors:
            raise ValidationError(errors)


class BcpOutcome(models.TextChoices):
    ADEQUATE = "adequate", "Adequate"
    NEEDS_REVISION = "needs_revision", "Needs revision"


class BcpState(models.TextChoices):
    """Where a provider's business continuity plan stands, for filters and counts."""

    NONE = "none", "Not received"
    AWAITING_REVIEW = "awaiting_review", "Received, not reviewed"
    ADEQUATE = "adequate", "Adequate"
    NEEDS_REVISION = "needs_revision", "Needs revision"
    REVIEW_OVERDUE = "review_overdue", "Review overdue"


class BusinessContinuityPlan(models.Model):
    """A provider's business continuity plan as the council last received and reviewed it.

    One row per provider holds the current state; its history keeps every earlier review.
    """

    provider = models.OneToOneField(
        Provider, on_delete=models.CASCADE, related_name="business_continuity_plan"
    )
    received_on = models.DateField("received", null=True, blank=True,
                                   validators=[validate_plausible_date])
    reviewed_on = models.DateField("reviewed", null=True, blank=True,
                                   validators=[validate_plausible_date])
    reviewer = models.ForeignKey(
        "winterplan.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bcp_reviews",
    )
    outcome = models.CharField(max_length=20, choices=BcpOutcome.choices, blank=True)
    next_review_due = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    notes = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH,
                             validators=[MaxLengthValidator(NOTE_MAX_LENGTH)])
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "business continuity plan"
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True) | Q(received_on__isnull=False),
                name="bcp_reviewed_only_after_received",
                violation_error_message="A plan must be received before it is reviewed.",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True) | ~Q(outcome=""),
                name="bcp_review_has_outcome",
                violation_error_message="A reviewed plan needs an outcome.",
            ),
        ]
        indexes = [models.Index(fields=["reviewed_on"]), models.Index(fields=["next_review_due"])]

    def __str__(self) -> str:
        return f"Business continuity plan of {self.provider}"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_on is not None

    def is_overdue(self, as_at: datetime.date) -> bool:
        """The next review was due before `as_at`."""
        return self.next_review_due is not None and self.next_review_due < as_at

    def state(self, as_at: datetime.date) -> BcpState:
        if self.received_on is None:
            return BcpState.NONE
        if self.is_overdue(as_at):
            return BcpState.REVIEW_OVERDUE
        if self.reviewed_on is None:
            return BcpState.AWAITING_REVIEW
        return BcpState(self.outcome)

    def clean(self) -> None:
        if self.reviewed_on and self.received_on and self.reviewed_on < self.received_on:
            raise ValidationError({"reviewed_on": "The review cannot be before the plan arrived."})
        if self.reviewed_on and not self.outcome:
            raise ValidationError({"outcome": "Choose the outcome of the review."})
        if self.outcome and not self.reviewed_on:
            raise ValidationError({"reviewed_on": "Enter the date of the review."})
        if self.next_review_due and self.reviewed_on and self.next_review_due < self.reviewed_on:
            raise ValidationError(
                {"next_review_due": "The next review cannot be due before this review."}
            )
