"""Reads across provider models, for pages, documents and the DHSC letter.

Each selector decides what is joined, so a page's query count does not grow with the number
of providers.
"""

from providers.selectors.funding import (
    icf_round_for_council,
    icf_rounds,
    icf_schedule,
    icf_spending_rows,
    icf_tranche_totals,
)
from providers.selectors.highlight import DOMAINS, HighlightReport, highlight_report
from providers.selectors.register import (
    BcpSummary,
    bcp_state_filter,
    bcp_summary,
    provider_page,
    providers_for_register,
    returns_day,
    risk_log,
)

__all__ = [
    "DOMAINS",
    "BcpSummary",
    "HighlightReport",
    "bcp_state_filter",
    "bcp_summary",
    "highlight_report",
    "icf_round_for_council",
    "icf_rounds",
    "icf_schedule",
    "icf_spending_rows",
    "icf_tranche_totals",
    "provider_page",
    "providers_for_register",
    "returns_day",
    "risk_log",
]
