"""Turn daily returns into each provider's RAG with reasons (the risk log).

A council's active rules are applied as at a date. A rule looks at the home's latest return on
or before that date (within the last week) and, when the rule lasts N days, at every return of
the last N days too; "days without a return" counts from the latest return. Only care homes
send returns, so only they are judged by the rules. A provider's RAG is the worst of the rules'
outcomes and the rating an officer set in the register; "since" is the first assessment date at
that RAG, kept while the RAG stays the same. An assessment never replaces a later one.
"""

import datetime
import operator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from providers.models import (
    RETURNING_TYPES,
    Comparison,
    DailyReturn,
    EscalationRule,
    Metric,
    Outcome,
    Provider,
    ProviderRisk,
    RiskRating,
)

#: How far back the latest return may be and still be read.
LATEST_RETURN_WITHIN_DAYS = 7
RAG_ORDER = {RiskRating.GREEN: 0, RiskRating.AMBER: 1, RiskRating.RED: 2}
COMPARE = {
    Comparison.LT: operator.lt,
    Comparison.LTE: operator.le,
    Comparison.GTE: operator.ge,
    Comparison.GT: operator.gt,
}
#: Yes/no metrics as a function of a return.
YES_NO = {
    Metric.ESSENTIAL_SERVICE_IMPACT: lambda r: r.essential_service_impact,
    Metric.STAFFING_ISSUE: lambda r: r.staffing_issue,
    Metric.ADMISSIONS_RESTRICTED: lambda r: r.admissions_restricted,
    Metric.MEDICATION_ISSUE: lambda r: r.medication_issue,
    Metric.OTHER_SUPPLIES_ISSUE: lambda r: r.other_supplies_issue,
    Metric.IT_ISSUE: lambda r: r.it_issue,
    Metric.CAPACITY_TRACKER_NOT_UPDATED: lambda r: not r.capacity_tracker_updated,
    Metric.NHSMAIL_NOT_WORKING: lambda r: not r.nhsmail_working,
}
COUNTS = {
    Metric.NEW_CASES: ("", lambda r: r.new_cases),
    Metric.RESIDENT_CASES: (" among residents", lambda r: r.resident_cases),
    Metric.STAFF_CASES: (" among staff", lambda r: r.staff_cases),
}


@dataclass
class Assessment:
    rag: str = RiskRating.GREEN
    reasons: list[str] = field(default_factory=list)
    outbreak: bool = False
    #: The earliest return that put the provider in outbreak, within the rule's window.
    outbreak_from: datetime.date | None = None


def _days(number) -> str:
    return f"{number} day" if number == 1 else f"{number} days"


def _on(day: datetime.date) -> str:
    return f"return of {day:%d/%m/%Y}"


def _match(rule: EscalationRule, daily_return: DailyReturn) -> str | None:
    """Why the return meets the rule (the reason's detail), or None when it does not."""
    if rule.metric in YES_NO:
        return _on(daily_return.date) if YES_NO[rule.metric](daily_return) else None
    compare, threshold = COMPARE[rule.comparison], Decimal(rule.threshold)
    if rule.metric == Metric.PPE_DAYS:
        short = [
            f"{label} {_days(days)}"
            for label, days in daily_return.ppe_days().items()
            if compare(Decimal(days), threshold)
        ]
        return f"{', '.join(short)} of stock ({_on(daily_return.date)})" if short else None
    among, value = COUNTS[rule.metric]
    number = value(daily_return)
    if not compare(number, threshold):
        return None
    cases = "case" if number == 1 else "cases"
    return f"{number} new confirmed {cases}{among} ({_on(daily_return.date)})"


def assess(
    *,
    provider: Provider,
    rules: list[EscalationRule],
    returns: list[DailyReturn],
    last_return: datetime.date | None,
    as_at: datetime.date,
) -> Assessment:
    """Apply the rules to one provider's returns (oldest first, none after `as_at`)."""
    assessment = Assessment()
    outcomes: list[str] = []
    if provider.risk_rating != RiskRating.GREEN:
        outcomes.append(provider.risk_rating)
        assessment.reasons.append(
            f"Rated {provider.get_risk_rating_display().lower()} in the provider register"
        )
    if provider.provider_type in RETURNING_TYPES:
        recent = [r for r in returns if r.date <= as_at]
        latest = recent[-1] if recent else None
        for rule in rules:
            if rule.metric == Metric.DAYS_WITHOUT_RETURN:
                days = (as_at - last_return).days if last_return else None
                met = days is None or COMPARE[rule.comparison](days, Decimal(rule.threshold))
                detail = (
                    "no daily return received" if days is None
                    else f"{_days(days)} since the return of {last_return:%d/%m/%Y}"
                )
                matches = [(as_at, detail)] if met else []
            else:
                window_start = as_at - datetime.timedelta(days=rule.lasts_days)
                candidates = [r for r in recent if r.date > window_start or r is latest]
                matches = [
                    (r.date, detail) for r in candidates if (detail := _match(rule, r))
                ]
            if not matches:
                continue
            outcomes.append(rule.outcome)
            assessment.reasons.append(f"{rule.name}: {matches[-1][1]}")
            if rule.outcome == Outcome.OUTBREAK:
                assessment.outbreak = True
                first = matches[0][0]
                if assessment.outbreak_from is None or first < assessment.outbreak_from:
                    assessment.outbreak_from = first
    levels = [outcome for outcome in outcomes if outcome in RAG_ORDER]
    if levels:
        assessment.rag = max(levels, key=RAG_ORDER.__getitem__)
    return assessment


@dataclass
class EvaluationResult:
    as_at: datetime.date
    assessed: int = 0
    written: int = 0
    skipped_newer: int = 0


@transaction.atomic
def escalations_evaluate(
    *, council, as_at: datetime.date, providers: list[Provider] | None = None, user=None
) -> EvaluationResult:
    """Apply the council's active rules as at `as_at` and store each provider's RAG.

    Writes only the rows whose result changed. A provider already assessed as at a later date
    is left alone. Five queries whatever the number of providers.
    """
    result = EvaluationResult(as_at=as_at)
    rules = list(EscalationRule.objects.for_council(council).filter(active=True))
    scope = Provider.objects.filter(council=council).select_related("risk")
    if providers is not None:
        scope = scope.filter(pk__in=[provider.pk for provider in providers])
    providers = list(scope.order_by("pk"))
    lookback = max([rule.lasts_days for rule in rules] + [LATEST_RETURN_WITHIN_DAYS])
    returns: dict[int, list[DailyReturn]] = {}
    for daily_return in DailyReturn.objects.filter(
        provider__in=[p.pk for p in providers],
        date__gt=as_at - datetime.timedelta(days=lookback),
        date__lte=as_at,
    ).order_by("date"):
        returns.setdefault(daily_return.provider_id, []).append(daily_return)
    last_returns = dict(
        DailyReturn.objects.filter(provider__in=[p.pk for p in providers], date__lte=as_at)
        .values("provider").annotate(last=Max("date")).values_list("provider", "last")
    )
    new, changed = [], []
    for provider in providers:
        current: ProviderRisk | None = getattr(provider, "risk", None)
        if current is not None and current.assessed_on > as_at:
            result.skipped_newer += 1
            continue
        assessment = assess(
            provider=provider, rules=rules, returns=returns.get(provider.pk, []),
            last_return=last_returns.get(provider.pk), as_at=as_at,
        )
        result.assessed += 1
        values = {
            "rag": assessment.rag,
            "reasons": assessment.reasons,
            "outbreak": assessment.outbreak,
            "assessed_on": as_at,
        }
        if current is None:
            values["since"] = as_at
            values["outbreak_since"] = assessment.outbreak_from
            new.append(ProviderRisk(provider=provider, **values))
            continue
        values["since"] = current.since if current.rag == assessment.rag else as_at
        values["outbreak_since"] = (
            (current.outbreak_since if current.outbreak else assessment.outbreak_from)
            if assessment.outbreak else None
        )
        if any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            current.updated_at = timezone.now()
            changed.append(current)
    bulk_create_with_history(new, ProviderRisk, batch_size=500, default_user=user)
    bulk_update_with_history(
        changed, ProviderRisk,
        ["rag", "reasons", "since", "outbreak", "outbreak_since", "assessed_on", "updated_at"],
        batch_size=500, default_user=user,
    )
    result.written = len(new) + len(changed)
    return result


def latest_assessment_date(council) -> datetime.date | None:
    """The date the council's risk log was last assessed as at."""
    return ProviderRisk.objects.filter(provider__council=council).aggregate(
        latest=Max("assessed_on")
    )["latest"]


def risk_refresh(*, council, providers: list[Provider] | None = None, user=None):
    """Re-assess (some of) the council's providers as at its risk log's date (today if none),
    after a rating, a rule or a return changed."""
    as_at = latest_assessment_date(council) or timezone.localdate()
    return escalations_evaluate(council=council, as_at=as_at, providers=providers, user=user)


@transaction.atomic
def escalation_rules_save(
    *, council, changed: list[EscalationRule], deleted: list[EscalationRule], user=None
):
    """Save a manager's edits to the council's rules, then re-assess every provider."""
    for rule in deleted:
        if rule.council_id != council.pk:
            raise ValueError("A rule of another council.")
        rule._history_user = user
        rule.delete()
    for rule in changed:
        rule.council = council
        rule.full_clean()
        rule._history_user = user
        rule.save()
    return risk_refresh(council=council, user=user)
