"""The weekly COVID-19 highlight report's figures, by care domain, from the data.

A week is the seven days ending on `week_ending`. For each of Cheshire East's four care domains:

- providers: in the register;
- homes reporting cases: care homes whose returns in the week reported new confirmed cases
  (and how many cases among residents and staff);
- outbreaks: providers in outbreak on the risk log (the escalation rules' "outbreak");
- PPE shortages: care homes whose latest return in the week has any PPE item under the
  council's PPE trigger (the highest "under N days" of its PPE rules; 2 days without one);
- vacant beds: the total of each care home's latest return in the week;
- returns missing: each care home is expected to return every day of the week (up to today),
  in a council that collects daily returns (it has escalation rules or has received any);
- red and amber: providers' current RAG;
- BCP reviews due: plans received but not reviewed, and reviews due by the end of the week.

Five queries whatever the number of providers.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from providers.models import (
    CARE_HOME_TYPES,
    PPE_FIELDS,
    RETURNING_TYPES,
    Comparison,
    DailyReturn,
    EscalationRule,
    Metric,
    Provider,
    ProviderType,
    RiskRating,
)
from providers.models.returns import PPE_ITEMS
from providers.selectors.register import providers_for_register
from winterplan.models import Council

DOMAINS = (
    ("Complex Care & Supported Living Network",
     (ProviderType.COMPLEX_CARE, ProviderType.SUPPORTED_LIVING)),
    ("Care At Home", (ProviderType.CARE_AT_HOME,)),
    ("Accommodation with Care", CARE_HOME_TYPES),
    ("Extra Care Housing", (ProviderType.EXTRA_CARE_HOUSING,)),
)
DEFAULT_PPE_SHORTAGE_DAYS = Decimal("2")


@dataclass
class DomainFigures:
    name: str
    providers: int = 0
    sends_returns: bool = False
    homes_reporting_cases: int = 0
    resident_cases: int = 0
    staff_cases: int = 0
    outbreaks: int = 0
    ppe_shortages: int = 0
    vacant_beds: int = 0
    registered_beds: int = 0
    returns_expected: int = 0
    returns_received: int = 0
    red: int = 0
    amber: int = 0
    bcp_reviews_due: int = 0

    @property
    def returns_missing(self) -> int:
        return self.returns_expected - self.returns_received


@dataclass
class Listed:
    provider: Provider
    detail: str


@dataclass
class HighlightReport:
    council: Council
    week_start: datetime.date
    week_ending: datetime.date
    ppe_shortage_days: Decimal
    domains: list[DomainFigures]
    total: DomainFigures
    red_providers: list[Listed] = field(default_factory=list)
    outbreaks: list[Listed] = field(default_factory=list)
    ppe_shortages: list[Listed] = field(default_factory=list)
    missing_returns: list[Listed] = field(default_factory=list)
    bcp_reviews_due: list[Listed] = field(default_factory=list)


def ppe_shortage_days(rules: list[EscalationRule]) -> Decimal:
    """The council's PPE trigger: the highest “under N days” among its active PPE rules."""
    thresholds = [
        rule.threshold for rule in rules
        if rule.metric == Metric.PPE_DAYS and rule.comparison == Comparison.LT
    ]
    return max(thresholds, default=DEFAULT_PPE_SHORTAGE_DAYS)


def _domain_of(provider_type: str) -> int:
    for index, (_, types) in enumerate(DOMAINS):
        if provider_type in types:
            return index
    raise ValueError(provider_type)


def _days(number) -> str:
    return f"{number} day" if number == 1 else f"{number} days"


_WEEK_RETURN_FIELDS = ("provider_id", "date", "resident_cases", "staff_cases", "vacant_beds",
                       *PPE_FIELDS)


class _WeekReturn:
    """The figures of one daily return the report reads (a week of a large council's returns
    is thousands of rows: plain values, not model instances)."""

    __slots__ = _WEEK_RETURN_FIELDS

    def __init__(self, *values):
        for name, value in zip(_WEEK_RETURN_FIELDS, values, strict=True):
            setattr(self, name, value)

    @property
    def new_cases(self) -> int:
        return self.resident_cases + self.staff_cases

    def ppe_days(self) -> dict[str, int]:
        """Days of stock of each PPE item the return reported, by label (as DailyReturn's)."""
        return {label: getattr(self, name) for name, label in PPE_ITEMS
                if getattr(self, name) is not None}


def highlight_report(*, council: Council, week_ending: datetime.date) -> HighlightReport:
    """The week's figures by care domain and the providers behind them."""
    week_start = week_ending - datetime.timedelta(days=6)
    last_day = min(week_ending, timezone.localdate())
    days_expected = max((last_day - week_start).days + 1, 0)
    rules = list(EscalationRule.objects.for_council(council).filter(active=True))
    shortage = ppe_shortage_days(rules)
    collects = bool(rules) or DailyReturn.objects.for_council(council).exists()
    providers = list(providers_for_register(council))
    returns: dict[int, list[_WeekReturn]] = {}
    for row in DailyReturn.objects.filter(
        provider__council=council, date__gte=week_start, date__lte=week_ending
    ).order_by("date").values_list(*_WEEK_RETURN_FIELDS):
        week_return = _WeekReturn(*row)
        returns.setdefault(week_return.provider_id, []).append(week_return)

    report = HighlightReport(
        council=council, week_start=week_start, week_ending=week_ending,
        ppe_shortage_days=shortage,
        domains=[
            DomainFigures(name, sends_returns=collects and any(t in RETURNING_TYPES for t in types))
            for name, types in DOMAINS
        ],
        total=DomainFigures("All care domains", sends_returns=collects),
    )
    for provider in providers:
        figures = (report.domains[_domain_of(provider.provider_type)], report.total)
        week = returns.get(provider.pk, [])
        latest = week[-1] if week else None
        risk = getattr(provider, "risk", None)
        plan = getattr(provider, "business_continuity_plan", None)
        for f in figures:
            f.providers += 1
            f.registered_beds += provider.registered_beds or 0
        if provider.current_rag == RiskRating.RED:
            report.red_providers.append(
                Listed(provider, "; ".join(risk.reasons) if risk else "Rated red in the register")
            )
        if risk and risk.outbreak:
            report.outbreaks.append(Listed(provider, f"since {risk.outbreak_since:%d/%m/%Y}"))
        due = plan and plan.received_on and (
            plan.reviewed_on is None
            or (plan.next_review_due and plan.next_review_due <= week_ending)
        )
        if due:
            report.bcp_reviews_due.append(Listed(
                provider,
                "received, not reviewed" if plan.reviewed_on is None
                else f"review due {plan.next_review_due:%d/%m/%Y}",
            ))
        cases = [r for r in week if r.new_cases]
        short = {
            label: days for label, days in (latest.ppe_days() if latest else {}).items()
            if days < shortage
        }
        if short:
            report.ppe_shortages.append(Listed(provider, ", ".join(
                f"{label} {_days(days)}" for label, days in short.items())))
        received = len({r.date for r in week if r.date <= last_day})
        is_home = collects and provider.provider_type in RETURNING_TYPES
        if is_home and received < days_expected:
            report.missing_returns.append(
                Listed(provider, f"{days_expected - received} of {days_expected} missing")
            )
        for f in figures:
            f.red += provider.current_rag == RiskRating.RED
            f.amber += provider.current_rag == RiskRating.AMBER
            f.outbreaks += bool(risk and risk.outbreak)
            f.bcp_reviews_due += bool(due)
            f.homes_reporting_cases += bool(cases)
            f.resident_cases += sum(r.resident_cases for r in week)
            f.staff_cases += sum(r.staff_cases for r in week)
            f.ppe_shortages += bool(short)
            f.vacant_beds += (latest.vacant_beds or 0) if latest else 0
            if is_home:
                f.returns_expected += days_expected
                f.returns_received += received
    return report
