"""The Infection Control Fund: rounds, tranches, the distribution rule, allocations, returns.

A round's distribution rule is data: a list of shares, each a percentage of every tranche with
a basis (per registered bed, per person supported, either, or equal) and the provider types
eligible for it; a share may hold part of itself back for contingency. Money is Decimal to the
penny; allocations are computed by `providers.services.funding` (largest remainder) so that a
tranche's allocations add up to the tranche exactly.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from providers.models.register import Provider, ProviderType
from winterplan.models import Council
from winterplan.validators import (
    MAX_MONEY,
    MAX_PEOPLE_SUPPORTED,
    NOTE_MAX_LENGTH,
    validate_plausible_date,
)

MONEY = {"max_digits": 12, "decimal_places": 2}
PERCENT = {"max_digits": 6, "decimal_places": 3}
ZERO = Decimal("0")
HUNDRED = Decimal("100")


class IcfRound(models.Model):
    """One round of the grant for one council, e.g. Cheshire East's round 2 (£4.71 million)."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="icf_rounds")
    name = models.CharField(max_length=120, help_text="For example, Round 2.")
    slug = models.SlugField(max_length=80)
    allocation = models.DecimalField(
        "council's allocation", **MONEY,
        validators=[MinValueValidator(ZERO), MaxValueValidator(MAX_MONEY)]
    )
    return_due = models.DateField("spending return due", null=True, blank=True,
        validators=[validate_plausible_date])
    notes = models.TextField(blank=True,
        max_length=NOTE_MAX_LENGTH,
        validators=[MaxLengthValidator(NOTE_MAX_LENGTH)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Infection Control Fund round"
        ordering = ["council", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["council", "slug"], name="icf_round_unique_slug"),
            models.CheckConstraint(
                condition=Q(allocation__gte=0), name="icf_round_allocation_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Infection Control Fund {self.name}"


class IcfTranche(models.Model):
    round = models.ForeignKey(IcfRound, on_delete=models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01")),
                                                     MaxValueValidator(MAX_MONEY)])
    received_on = models.DateField("received", null=True, blank=True,
        validators=[validate_plausible_date])

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Infection Control Fund tranche"
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="icf_tranche_unique_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="icf_tranche_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.round.name}, tranche {self.number}"


class AllocationBasis(models.TextChoices):
    BEDS = "beds", "Per registered bed"
    PEOPLE = "people", "Per person supported"
    BEDS_OR_PEOPLE = "beds_or_people", "Per bed (care homes) or per person supported (others)"
    EQUAL = "equal", "An equal amount per provider"


class IcfShare(models.Model):
    """One line of a round's distribution rule: a percentage of each tranche and who gets it."""

    round = models.ForeignKey(IcfRound, on_delete=models.CASCADE, related_name="shares")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    percent = models.DecimalField(
        "percentage of each tranche",
        **PERCENT,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(HUNDRED)],
    )
    basis = models.CharField(max_length=20, choices=AllocationBasis.choices)
    provider_types = models.JSONField(
        default=list, help_text="The provider types eligible for this share."
    )
    held_back_percent = models.DecimalField(
        "percentage of this share held back for contingency",
        **PERCENT,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(HUNDRED)],
    )
    discretionary = models.BooleanField(
        default=False, help_text="The council decides this share (not set by the grant)."
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Infection Control Fund share"
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="icf_share_unique_position"),
            models.CheckConstraint(
                condition=Q(percent__gt=0, percent__lte=100), name="icf_share_percent_range"
            ),
            models.CheckConstraint(
                condition=Q(held_back_percent__gte=0, held_back_percent__lte=100),
                name="icf_share_held_back_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.percent.normalize():f}%)"

    @property
    def provider_type_labels(self) -> str:
        labels = dict(ProviderType.choices)
        return ", ".join(str(labels.get(t, t)) for t in self.provider_types)

    def clean(self) -> None:
        types = self.provider_types
        if not isinstance(types, list) or not types:
            raise ValidationError({"provider_types": "Choose at least one provider type."})
        unknown = [t for t in types if t not in ProviderType.values]
        if unknown:
            raise ValidationError(
                {"provider_types": f"Unknown provider type(s): {', '.join(map(str, unknown))}."}
            )


class AllocationKind(models.TextChoices):
    PROVIDER = "provider", "Paid to a provider"
    HELD_BACK = "held_back", "Held back for contingency"
    UNALLOCATED = "unallocated", "Not allocated: no eligible provider"


class IcfAllocation(models.Model):
    """One provider's money from one share of one tranche (or the share's held-back part)."""

    tranche = models.ForeignKey(IcfTranche, on_delete=models.CASCADE, related_name="allocations")
    share = models.ForeignKey(IcfShare, on_delete=models.PROTECT, related_name="allocations")
    kind = models.CharField(
        max_length=12, choices=AllocationKind.choices, default=AllocationKind.PROVIDER
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="icf_allocations"
    )
    units = models.PositiveIntegerField(
        validators=[MaxValueValidator(MAX_PEOPLE_SUPPORTED)],
        default=0, help_text="Beds, people or 1, as the share's basis counts them."
    )
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(-MAX_MONEY),
                                                     MaxValueValidator(MAX_MONEY)])
    paid_on = models.DateField("paid", null=True, blank=True,
        validators=[validate_plausible_date])
    payment_reference = models.CharField(max_length=60, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Infection Control Fund allocation"
        ordering = ["tranche", "share__position", "provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tranche", "share", "provider"],
                condition=Q(provider__isnull=False),
                name="icf_allocation_unique_provider",
            ),
            models.UniqueConstraint(
                fields=["tranche", "share", "kind"],
                condition=Q(provider__isnull=True),
                name="icf_allocation_unique_remainder",
            ),
            models.CheckConstraint(
                condition=Q(kind="provider", provider__isnull=False)
                | (~Q(kind="provider") & Q(provider__isnull=True)),
                name="icf_allocation_provider_iff_paid_to_provider",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="icf_allocation_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(kind="provider"),
                name="icf_allocation_only_providers_are_paid",
            ),
        ]

    def __str__(self) -> str:
        who = self.provider or self.get_kind_display()
        return f"{who}: £{self.amount:,.2f}"


class IcfSpendingReturn(models.Model):
    """A provider's account of how it spent a round's money, and any unspent money returned."""

    round = models.ForeignKey(IcfRound, on_delete=models.CASCADE, related_name="spending_returns")
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="icf_spending_returns"
    )
    submitted_on = models.DateField("submitted", validators=[validate_plausible_date])
    spent = models.DecimalField(
        "spent on infection control", **MONEY,
        validators=[MinValueValidator(ZERO), MaxValueValidator(MAX_MONEY)]
    )
    restricted_staff_movement = models.BooleanField(
        "used the grant to restrict staff movement", default=False
    )
    returned = models.DecimalField(
        "unspent money returned", **MONEY, default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(MAX_MONEY)],
    )
    returned_on = models.DateField("returned", null=True, blank=True,
        validators=[validate_plausible_date])
    notes = models.TextField(blank=True,
        max_length=NOTE_MAX_LENGTH,
        validators=[MaxLengthValidator(NOTE_MAX_LENGTH)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Infection Control Fund spending return"
        ordering = ["round", "provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "provider"], name="icf_spending_return_unique_provider"
            ),
            models.CheckConstraint(
                condition=Q(spent__gte=0, returned__gte=0),
                name="icf_spending_return_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(returned=0) | Q(returned_on__isnull=False),
                name="icf_spending_return_returned_has_date",
                violation_error_message="Enter the date the money was returned.",
            ),
        ]

    def __str__(self) -> str:
        return f"Spending return of {self.provider} for {self.round.name}"

    def clean(self) -> None:
        if self.returned and not self.returned_on:
            raise ValidationError({"returned_on": "Enter the date the money was returned."})
