"""Reads across provider models, for pages, documents and the DHSC letter."""

from dataclasses import dataclass

from django.db.models import Count, Q

from providers.models import Provider
from winterplan.models import Council


@dataclass(frozen=True)
class BcpSummary:
    providers: int
    received: int
    reviewed: int
    adequate: int

    @property
    def not_reviewed(self) -> int:
        return self.providers - self.reviewed


def bcp_summary(council: Council) -> BcpSummary:
    """How many of the council's providers have had their business continuity plan received,
    reviewed, and found adequate (one query)."""
    counts = Provider.objects.filter(council=council).aggregate(
        providers=Count("id"),
        received=Count("id", filter=Q(business_continuity_plan__received_on__isnull=False)),
        reviewed=Count("id", filter=Q(business_continuity_plan__reviewed_on__isnull=False)),
        adequate=Count("id", filter=Q(business_continuity_plan__outcome="adequate")),
    )
    return BcpSummary(**counts)
