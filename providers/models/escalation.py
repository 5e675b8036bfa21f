"""Escalation triggers held as data, and each provider's resulting RAG (the risk log).

A council's rules turn daily returns into escalations (Halton's Community Capacity Escalation
Triggers Framework). `providers.services.escalation` evaluates them; a provider's RAG is the
worst of what the rules give and the rating an officer set in the register, with the reasons
and the date it reached that level. A council with no rules of its own is judged by the default
rules (`fixtures/providers/escalation.yaml`, `defaults`), which a manager can adopt and edit.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from providers.models.register import Provider, RiskRating
from winterplan.models import Council
from winterplan.validators import validate_plausible_date


class Metric(models.TextChoices):
    PPE_DAYS = "ppe_days", "Days of stock of any PPE item"
    NEW_CASES = "new_cases", "New confirmed COVID-19 cases (residents and staff)"
    RESIDENT_CASES = "resident_cases", "New confirmed COVID-19 cases among residents"
    STAFF_CASES = "staff_cases", "New confirmed COVID-19 cases among staff"
    DAYS_WITHOUT_RETURN = "days_without_return", "Days without a daily return"
    ESSENTIAL_SERVICE_IMPACT = (
        "essential_service_impact",
        "Impact on the ability to provide an essential service",
    )
    STAFFING_ISSUE = "staffing_issue", "Staffing issues"
    ADMISSIONS_RESTRICTED = "admissions_restricted", "Admissions restricted"
    MEDICATION_ISSUE = "medication_issue", "Problem with medication supplies"
    OTHER_SUPPLIES_ISSUE = "other_supplies_issue", "Problem with other supplies"
    IT_ISSUE = "it_issue", "IT issues"
    CAPACITY_TRACKER_NOT_UPDATED = "capacity_tracker_not_updated", "Capacity Tracker not updated"
    NHSMAIL_NOT_WORKING = "nhsmail_not_working", "NHSmail not working"


#: Metrics that are yes or no; they take the comparison "is yes" and no threshold.
YES_NO_METRICS = frozenset({
    Metric.ESSENTIAL_SERVICE_IMPACT,
    Metric.STAFFING_ISSUE,
    Metric.ADMISSIONS_RESTRICTED,
    Metric.MEDICATION_ISSUE,
    Metric.OTHER_SUPPLIES_ISSUE,
    Metric.IT_ISSUE,
    Metric.CAPACITY_TRACKER_NOT_UPDATED,
    Metric.NHSMAIL_NOT_WORKING,
})


class Comparison(models.TextChoices):
    LT = "lt", "under"
    LTE = "lte", "at most"
    GTE = "gte", "at least"
    GT = "gt", "over"
    YES = "yes", "is yes"


class Outcome(models.TextChoices):
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    OUTBREAK = "outbreak", "Outbreak"


class EscalationRuleQuerySet(models.QuerySet["EscalationRule"]):
    def for_council(self, council: Council) -> "EscalationRuleQuerySet":
        return self.filter(council=council)


class EscalationRule(models.Model):
    """When a return (or its absence) makes a provider amber, red or an outbreak."""

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="escalation_rules"
    )
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(
        max_length=120, help_text="Shown as the reason, e.g. “PPE running out”."
    )
    metric = models.CharField(max_length=40, choices=Metric.choices)
    comparison = models.CharField(max_length=5, choices=Comparison.choices)
    threshold = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Leave blank for yes/no measures.",
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    lasts_days = models.PositiveSmallIntegerField(
        "applies for (days)", default=1, validators=[MinValueValidator(1)],
        help_text="1 looks at the latest return only; 28 keeps an outbreak open for 28 days "
        "after the return that reported it.",
    )
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    objects = EscalationRuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(comparison="yes") & Q(threshold__isnull=True))
                | (~Q(comparison="yes") & Q(threshold__isnull=False, threshold__gte=0)),
                name="escalation_rule_threshold_iff_numeric",
                violation_error_message="A yes/no rule has no threshold; any other needs one.",
            ),
            models.CheckConstraint(
                condition=Q(lasts_days__gte=1), name="escalation_rule_lasts_at_least_a_day"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_yes_no(self) -> bool:
        return self.metric in YES_NO_METRICS

    def describe(self) -> str:
        """The rule in words, e.g. “Days of stock of any PPE item under 2 → Amber”."""
        metric = self.get_metric_display()
        if self.comparison == Comparison.YES:
            condition = f"{metric}"
        else:
            condition = f"{metric} {self.get_comparison_display()} {self.threshold.normalize():f}"
        return f"{condition} → {self.get_outcome_display()}"

    def clean(self) -> None:
        errors = {}
        if self.metric in YES_NO_METRICS:
            if self.comparison and self.comparison != Comparison.YES:
                errors["comparison"] = "A yes/no measure takes “is yes”."
            if self.threshold is not None:
                errors["threshold"] = "Leave the threshold blank for a yes/no measure."
        elif self.metric:
            if self.comparison == Comparison.YES:
                errors["comparison"] = "Choose under, at most, at least or over for a number."
            if self.threshold is None:
                errors["threshold"] = "Enter the number to compare with."
        if errors:
            raise ValidationError(errors)


class ProviderRisk(models.Model):
    """A provider's current RAG, why, and since when (one row per provider)."""

    provider = models.OneToOneField(Provider, on_delete=models.CASCADE, related_name="risk")
    rag = models.CharField("RAG", max_length=5, choices=RiskRating.choices)
    reasons = models.JSONField(default=list, blank=True)
    since = models.DateField(help_text="When the provider reached this RAG.",
                             validators=[validate_plausible_date])
    outbreak = models.BooleanField(default=False)
    outbreak_since = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    assessed_on = models.DateField(
        "changed as at",
        validators=[validate_plausible_date],
        help_text="The assessment date at which this row last changed (the council's latest "
        "assessment date is its RiskLogAssessment).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "provider risk"
        constraints = [
            models.CheckConstraint(
                condition=Q(outbreak=False) | Q(outbreak_since__isnull=False),
                name="provider_risk_outbreak_has_date",
            ),
        ]
        indexes = [models.Index(fields=["rag"])]

    def __str__(self) -> str:
        return f"{self.provider}: {self.get_rag_display()}"


class RiskLogAssessment(models.Model):
    """The date a council's risk log was last assessed as at, as a whole (one row per council).

    A provider's risk row is written only when its RAG, reasons or outbreak change, so the date
    every provider was last judged as at lives here, not on each row.
    """

    council = models.OneToOneField(
        Council, on_delete=models.CASCADE, related_name="risk_log_assessment"
    )
    assessed_on = models.DateField(help_text="Every provider was assessed as at this date.",
                                   validators=[validate_plausible_date])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "risk log assessment"

    def __str__(self) -> str:
        return f"{self.council}: assessed as at {self.assessed_on:%d/%m/%Y}"
