"""The providers pages. Views validate input and call one service or selector each;
permissions come from winterplan.workspace.CouncilMixin (reads for every role, writes for
editors, escalation rules for managers, 403 otherwise; another council's pages are 404)."""

from providers.views.funding import (
    HighlightReportPdfView,
    HighlightReportView,
    IcfAllocateView,
    IcfRoundListView,
    IcfRoundView,
    IcfSpendingView,
    IcfTranchePdfView,
    IcfTrancheView,
)
from providers.views.register import (
    BcpEditView,
    ImportPreviewView,
    ImportView,
    ProviderDetailView,
    ProviderEditView,
    ProviderListView,
    ReturnCreateView,
)
from providers.views.returns import (
    EscalationRulesView,
    ReturnHomeView,
    ReturnsDayView,
    RiskLogView,
)

__all__ = [
    "BcpEditView",
    "EscalationRulesView",
    "HighlightReportPdfView",
    "HighlightReportView",
    "IcfAllocateView",
    "IcfRoundListView",
    "IcfRoundView",
    "IcfSpendingView",
    "IcfTranchePdfView",
    "IcfTrancheView",
    "ImportPreviewView",
    "ImportView",
    "ProviderDetailView",
    "ProviderEditView",
    "ProviderListView",
    "ReturnCreateView",
    "ReturnHomeView",
    "ReturnsDayView",
    "RiskLogView",
]
