"""Infection Control Fund: allocate a tranche by its round's rule, record payments and returns.

A tranche is split between the rule's shares by their percentages, a share's held-back part is
split off, and the rest goes to the eligible providers in proportion to their beds, people
supported or equally. Every split is largest-remainder on whole pennies, so the allocations of
a tranche add up to the tranche exactly. A share with no eligible provider (or none with beds
or people recorded) is kept as one "not allocated" line rather than lost.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from providers.models import (
    AllocationBasis,
    AllocationKind,
    IcfAllocation,
    IcfRound,
    IcfShare,
    IcfSpendingReturn,
    IcfTranche,
    Provider,
)
from providers.services.money import from_pennies, largest_remainder, to_pennies
from winterplan import versions

HUNDRED = Decimal("100")


@dataclass
class AllocationOutcome:
    allocations: list[IcfAllocation]
    written: bool
    #: Eligible providers that got nothing because their beds or people are not recorded.
    without_units: list[Provider] = field(default_factory=list)


def icf_rule_errors(shares: list[IcfShare]) -> list[str]:
    """What stops a round's rule from being applied (empty when it can be)."""
    if not shares:
        return ["The round has no distribution rule yet: add its shares."]
    total = sum((share.percent for share in shares), Decimal("0"))
    if total != HUNDRED:
        return [f"The shares add up to {total.normalize():f}% of a tranche, not 100%."]
    return []


def _units(provider: Provider, basis: str) -> int:
    if basis == AllocationBasis.EQUAL:
        return 1
    if basis == AllocationBasis.BEDS:
        return provider.registered_beds or 0
    if basis == AllocationBasis.PEOPLE:
        return provider.people_supported or 0
    if provider.is_care_home:
        return provider.registered_beds or 0
    return provider.people_supported or 0


def icf_allocations_calculate(
    *, tranche: IcfTranche, shares: list[IcfShare], providers: list[Provider]
) -> AllocationOutcome:
    """The allocations of `tranche` under `shares`, unsaved (providers in a stable order)."""
    errors = icf_rule_errors(shares)
    if errors:
        raise ValidationError(errors)
    share_pennies = largest_remainder(
        to_pennies(tranche.amount), [share.percent for share in shares]
    )
    allocations: list[IcfAllocation] = []
    without_units: dict[int, Provider] = {}
    for share, pennies in zip(shares, share_pennies, strict=True):
        held_back = 0
        if share.held_back_percent:
            _, held_back = largest_remainder(
                pennies, [HUNDRED - share.held_back_percent, share.held_back_percent]
            )
        if held_back:
            allocations.append(IcfAllocation(
                tranche=tranche, share=share, kind=AllocationKind.HELD_BACK,
                amount=from_pennies(held_back),
            ))
        to_pay = pennies - held_back
        eligible = [p for p in providers if p.provider_type in share.provider_types]
        weighted = []
        for provider in eligible:
            units = _units(provider, share.basis)
            if units:
                weighted.append((provider, units))
            else:
                without_units[provider.pk] = provider
        if not weighted:
            if to_pay:
                allocations.append(IcfAllocation(
                    tranche=tranche, share=share, kind=AllocationKind.UNALLOCATED,
                    amount=from_pennies(to_pay),
                ))
            continue
        parts = largest_remainder(to_pay, [units for _, units in weighted])
        for (provider, units), part in zip(weighted, parts, strict=True):
            allocations.append(IcfAllocation(
                tranche=tranche, share=share, kind=AllocationKind.PROVIDER, provider=provider,
                units=units, amount=from_pennies(part),
            ))
    return AllocationOutcome(allocations, written=False, without_units=list(without_units.values()))


def _key(allocation: IcfAllocation) -> tuple:
    return (allocation.share_id, allocation.kind, allocation.provider_id, allocation.units,
            allocation.amount)


@transaction.atomic
def icf_tranche_allocate(*, tranche: IcfTranche, user=None) -> AllocationOutcome:
    """Allocate a tranche by its round's rule and store the schedule.

    Writes nothing when the stored schedule is already the result; refused once any of the
    tranche's money has been recorded as paid.
    """
    tranche = IcfTranche.objects.select_for_update().select_related("round").get(pk=tranche.pk)
    shares = list(tranche.round.shares.order_by("position"))
    providers = list(
        Provider.objects.filter(council_id=tranche.round.council_id).order_by("name", "pk")
    )
    outcome = icf_allocations_calculate(tranche=tranche, shares=shares, providers=providers)
    existing = list(tranche.allocations.all())
    if sorted(map(_key, existing), key=str) == sorted(map(_key, outcome.allocations), key=str):
        outcome.allocations = existing
        return outcome
    if any(allocation.paid_on for allocation in existing):
        raise ValidationError(
            "Payments are recorded for this tranche, so its schedule cannot be recalculated."
        )
    tranche.allocations.all().delete()
    bulk_create_with_history(outcome.allocations, IcfAllocation, batch_size=500,
                             default_user=user)
    versions.bump([tranche.round.council_id], versions.PROVIDERS)  # bulk writes: no signals
    outcome.written = True
    return outcome


PAYMENTS_CHANGED = (
    "Nothing was recorded: the unpaid allocations of this tranche changed after you opened the "
    "page (someone recalculated it or recorded a payment). Check the schedule below, then record "
    "the payment again."
)


def icf_unpaid_key(unpaid) -> str:
    """A short digest of what a payment run would pay: the unpaid allocations' ids and amounts
    (pass `(pk, amount)` pairs or allocations)."""
    pairs = sorted((a.pk, a.amount) if isinstance(a, IcfAllocation) else tuple(a) for a in unpaid)
    text = ";".join(f"{pk}:{amount}" for pk, amount in pairs)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@transaction.atomic
def icf_payments_record(
    *, tranche: IcfTranche, paid_on: datetime.date, reference: str, user=None,
    expected_unpaid: str | None = None,
) -> int:
    """Record one payment run: every unpaid provider allocation of the tranche paid on a date;
    refused when they are not the ones the payer saw (`expected_unpaid`, from
    `icf_unpaid_key`; None only for the sample loader, which nobody watches)."""
    IcfTranche.objects.select_for_update().only("pk").get(pk=tranche.pk)
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": "A payment cannot be dated in the future."})
    if tranche.received_on and paid_on < tranche.received_on:
        raise ValidationError(
            {"paid_on": "Payments cannot be made before the tranche was received "
                        f"({tranche.received_on:%d/%m/%Y})."}
        )
    unpaid = list(
        tranche.allocations.filter(kind=AllocationKind.PROVIDER, paid_on__isnull=True)
    )
    if not unpaid:
        raise ValidationError("Every allocation of this tranche is already recorded as paid.")
    if expected_unpaid is not None and expected_unpaid != icf_unpaid_key(unpaid):
        raise ValidationError(PAYMENTS_CHANGED)
    for allocation in unpaid:
        allocation.paid_on = paid_on
        allocation.payment_reference = reference
    bulk_update_with_history(unpaid, IcfAllocation, ["paid_on", "payment_reference"],
                             batch_size=500, default_user=user)
    versions.bump(IcfRound.objects.filter(tranches=tranche).values_list("council_id", flat=True),
                  versions.PROVIDERS)
    return len(unpaid)


def icf_paid_to(*, round: IcfRound, provider: Provider) -> Decimal:
    """What the council has recorded as paid to the provider in the round."""
    total = IcfAllocation.objects.filter(
        tranche__round=round, provider=provider, paid_on__isnull=False
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


@transaction.atomic
def icf_spending_return_save(
    *, round: IcfRound, provider: Provider, data: dict, user=None
) -> IcfSpendingReturn:
    """Record (or correct) a provider's spending return; spending and money returned cannot
    exceed what was paid."""
    paid = icf_paid_to(round=round, provider=provider)
    spent, returned = data["spent"], data.get("returned") or Decimal("0")
    errors = {}
    if spent > paid:
        errors["spent"] = (
            f"More than the £{paid:,.2f} recorded as paid to this provider in {round.name}."
        )
    elif returned > paid - spent:
        errors["returned"] = (
            f"More than the £{paid - spent:,.2f} left unspent (paid £{paid:,.2f}, "
            f"spent £{spent:,.2f})."
        )
    if data["submitted_on"] > timezone.localdate():
        errors["submitted_on"] = "A return cannot be dated in the future."
    if errors:
        raise ValidationError(errors)
    spending_return = IcfSpendingReturn.objects.filter(round=round, provider=provider).first()
    spending_return = spending_return or IcfSpendingReturn(round=round, provider=provider)
    for name, value in data.items():
        setattr(spending_return, name, value)
    spending_return.returned = returned
    spending_return.full_clean()
    spending_return._history_user = user
    spending_return.save()
    return spending_return
