"""The providers app's models, one module per concern (see each module's docstring)."""

from providers.models.escalation import (
    YES_NO_METRICS,
    Comparison,
    EscalationRule,
    Metric,
    Outcome,
    ProviderRisk,
)
from providers.models.funding import (
    AllocationBasis,
    AllocationKind,
    IcfAllocation,
    IcfRound,
    IcfShare,
    IcfSpendingReturn,
    IcfTranche,
)
from providers.models.register import (
    CARE_HOME_TYPES,
    BcpOutcome,
    BcpState,
    BusinessContinuityPlan,
    ClientGroup,
    Provider,
    ProviderQuerySet,
    ProviderType,
    RiskRating,
    validate_cqc_location_id,
)
from providers.models.return_links import ReturnLink, ReturnLinkStatus
from providers.models.returns import (
    PPE_FIELDS,
    PPE_ITEMS,
    PROVIDER_CHANNELS,
    RETURNING_TYPES,
    DailyReturn,
    EnteredVia,
)
from providers.models.uploads import ImportKind, PendingImport

__all__ = [
    "CARE_HOME_TYPES",
    "PPE_FIELDS",
    "PPE_ITEMS",
    "PROVIDER_CHANNELS",
    "RETURNING_TYPES",
    "YES_NO_METRICS",
    "AllocationBasis",
    "AllocationKind",
    "BcpOutcome",
    "BcpState",
    "BusinessContinuityPlan",
    "ClientGroup",
    "Comparison",
    "DailyReturn",
    "EnteredVia",
    "EscalationRule",
    "IcfAllocation",
    "IcfRound",
    "IcfShare",
    "IcfSpendingReturn",
    "IcfTranche",
    "ImportKind",
    "Metric",
    "Outcome",
    "PendingImport",
    "Provider",
    "ProviderQuerySet",
    "ProviderRisk",
    "ProviderType",
    "ReturnLink",
    "ReturnLinkStatus",
    "RiskRating",
    "validate_cqc_location_id",
]
