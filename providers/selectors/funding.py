"""Reads of the Infection Control Fund: rounds, a tranche's schedule and totals, spending."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from providers.models import (
    AllocationKind,
    IcfAllocation,
    IcfRound,
    IcfShare,
    IcfSpendingReturn,
    IcfTranche,
    Provider,
)
from winterplan.models import Council

ZERO = Decimal("0.00")


def icf_rounds(council: Council) -> QuerySet[IcfRound]:
    """The council's rounds with their tranches and rule."""
    return IcfRound.objects.filter(council=council).prefetch_related(
        Prefetch("tranches", queryset=IcfTranche.objects.order_by("number")),
        Prefetch("shares", queryset=IcfShare.objects.order_by("position")),
    ).order_by("slug")


def icf_round_for_council(council: Council, slug: str) -> IcfRound:
    """One round of the council, with tranches and rule (404 otherwise)."""
    return get_object_or_404(icf_rounds(council), slug=slug)


def icf_schedule(tranche: IcfTranche) -> QuerySet[IcfAllocation]:
    """A tranche's allocations: by share, then the held-back and unallocated lines, then
    providers by name."""
    return (
        tranche.allocations.select_related("provider", "share")
        .order_by("share__position", "-kind", "provider__name", "provider__pk")
    )


@dataclass
class TrancheTotals:
    tranche: IcfTranche
    to_providers: Decimal
    held_back: Decimal
    unallocated: Decimal
    paid: Decimal
    providers: int
    lines: int

    @property
    def total(self) -> Decimal:
        return self.to_providers + self.held_back + self.unallocated

    @property
    def reconciles(self) -> bool:
        """Allocated, held back and not allocated add up to the tranche to the penny."""
        return self.lines == 0 or self.total == self.tranche.amount


def icf_tranche_totals(tranche: IcfTranche) -> TrancheTotals:
    """What a tranche's schedule adds up to (one query)."""
    totals = tranche.allocations.aggregate(
        to_providers=Sum("amount", filter=Q(kind=AllocationKind.PROVIDER)),
        held_back=Sum("amount", filter=Q(kind=AllocationKind.HELD_BACK)),
        unallocated=Sum("amount", filter=Q(kind=AllocationKind.UNALLOCATED)),
        paid=Sum("amount", filter=Q(paid_on__isnull=False)),
        providers=Count("provider", distinct=True),
        lines=Count("pk"),
    )
    return TrancheTotals(
        tranche=tranche,
        **{name: totals[name] or ZERO for name in ("to_providers", "held_back", "unallocated",
                                                   "paid")},
        providers=totals["providers"],
        lines=totals["lines"],
    )


@dataclass
class SpendingRow:
    provider: Provider
    allocated: Decimal
    paid: Decimal
    spending_return: IcfSpendingReturn | None

    @property
    def spent(self) -> Decimal | None:
        return self.spending_return.spent if self.spending_return else None

    @property
    def returned(self) -> Decimal:
        return self.spending_return.returned if self.spending_return else ZERO

    @property
    def to_return(self) -> Decimal | None:
        """Paid but neither spent nor yet returned (None before the provider's return)."""
        if self.spending_return is None:
            return None
        return self.paid - self.spending_return.spent - self.spending_return.returned


def icf_spending_rows(round: IcfRound) -> list[SpendingRow]:
    """Every provider allocated money in the round: allocated, paid, spent, returned (three
    queries)."""
    sums = (
        IcfAllocation.objects.filter(tranche__round=round, kind=AllocationKind.PROVIDER)
        .values("provider")
        .annotate(allocated=Sum("amount"), paid=Sum("amount", filter=Q(paid_on__isnull=False)))
    )
    money = {row["provider"]: row for row in sums}
    returns = {
        r.provider_id: r for r in IcfSpendingReturn.objects.filter(round=round)
    }
    providers = Provider.objects.filter(pk__in=set(money) | set(returns)).order_by("name", "pk")
    return [
        SpendingRow(
            provider=provider,
            allocated=money.get(provider.pk, {}).get("allocated") or ZERO,
            paid=money.get(provider.pk, {}).get("paid") or ZERO,
            spending_return=returns.get(provider.pk),
        )
        for provider in providers
    ]
