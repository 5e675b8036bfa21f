"""Turn daily returns into each provider's RAG with reasons (the risk log).

A council's active rules are applied as at a date; a council with no rules at all is judged by
the default rules (`defaults` in fixtures/providers/escalation.yaml) until a manager adopts
them. A rule looks at the home's latest return on or before that date (within the last week)
and, when the rule lasts N days, at every return of the last N days too; "days without a
return" counts from the latest return. Only care homes send returns, so only they are judged
by the rules. A provider's RAG is the worst of the rules' outcomes and the rating an officer
set in the register, and an outbreak is never Green: it makes the RAG at least Amber (Halton's
plan has a home with one case "closely monitored for additional cases"; red is for failing to
provide safe care, which the red rules and the register's rating say). When several rules on
the same measure fire, only the most severe gives the reason (a PPE item short enough to be
"running out" is not also "running low"). "Since" is the first assessment date at that RAG,
kept while the RAG stays the same. A provider's row and its history are written only when its
RAG, reasons or outbreak change; the council's RiskLogAssessment keeps the date every provider
was last assessed as at. An assessment never replaces a later one.
"""

import datetime
import functools
import operator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
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
from providers.models.escalation import RiskLogAssessment
from winterplan import versions
from winterplan.models import Council

#: How far back the latest return may be and still be read.
LATEST_RETURN_WITHIN_DAYS = 7
#: The file whose `defaults` are the rules of a council without rules of its own.
DEFAULT_RULES_FILE = Path(settings.BASE_DIR) / "fixtures" / "providers" / "escalation.yaml"
#: The least RAG of a provider in outbreak.
OUTBREAK_RAG = RiskRating.AMBER
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


@dataclass
class Match:
    """Why a return (or its absence) met a rule."""

    date: datetime.date
    detail: str
    #: PPE rules: the (item, days) that met it, so a less severe rule can leave them out.
    items: tuple[tuple[str, int], ...] = ()


def _days(number) -> str:
    return f"{number} day" if number == 1 else f"{number} days"


def _on(day: datetime.date) -> str:
    return f"return of {day:%d/%m/%Y}"


def _stock(items, day: datetime.date) -> str:
    return f"{', '.join(f'{label} {_days(days)}' for label, days in items)} of stock ({_on(day)})"


def _match(rule: EscalationRule, daily_return: DailyReturn) -> Match | None:
    """Why the return meets the rule, or None when it does not."""
    day = daily_return.date
    if rule.metric in YES_NO:
        return Match(day, _on(day)) if YES_NO[rule.metric](daily_return) else None
    compare, threshold = COMPARE[rule.comparison], Decimal(rule.threshold)
    if rule.metric == Metric.PPE_DAYS:
        short = tuple(
            (label, days) for label, days in daily_return.ppe_days().items()
            if compare(Decimal(days), threshold)
        )
        return Match(day, _stock(short, day), short) if short else None
    among, value = COUNTS[rule.metric]
    number = value(daily_return)
    if not compare(number, threshold):
        return None
    cases = "case" if number == 1 else "cases"
    return Match(day, f"{number} new confirmed {cases}{among} ({_on(day)})")


def _severity(rule: EscalationRule) -> int:
    return RAG_ORDER.get(rule.outcome, 0)


def _reasons(fired: list[tuple[EscalationRule, Match]]) -> list[str]:
    """Each fired rule's reason, in rule order, without saying one thing twice: of the amber
    and red rules on one measure only the most severe gives the reason (for PPE, each item
    is named by the most severe rule it met). Outbreak rules always give theirs."""
    shown: dict[int, str] = {}
    said: dict[str, set[str]] = {}
    ranked = sorted(enumerate(fired), key=lambda pair: (-_severity(pair[1][0]), pair[0]))
    for index, (rule, match) in ranked:
        if rule.outcome == Outcome.OUTBREAK:
            shown[index] = f"{rule.name}: {match.detail}"
            continue
        taken = said.setdefault(rule.metric, set())
        if match.items:
            items = [(label, days) for label, days in match.items if label not in taken]
            taken.update(label for label, _ in items)
            if items:
                shown[index] = f"{rule.name}: {_stock(items, match.date)}"
        elif not taken:
            taken.add(rule.metric)
            shown[index] = f"{rule.name}: {match.detail}"
    return [shown[index] for index in sorted(shown)]


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
    fired: list[tuple[EscalationRule, Match]] = []
    if provider.provider_type in RETURNING_TYPES:
        recent = [r for r in returns if r.date <= as_at]
        latest = recent[-1] if recent else None
        for rule in rules:
            if rule.metric == Metric.DAYS_WITHOUT_RETURN:
                days = (as_at - last_return).days if last_return else None
                met = days is None or COMPARE[rule.comparison](days, Decimal(rule.threshold))
                # Says which return was the last, not how many days ago, so that the reason
                # (and so the row) does not change every day the home stays silent.
                detail = (
                    "no daily return received" if days is None
                    else f"none since the return of {last_return:%d/%m/%Y}"
                )
                matches = [Match(as_at, detail)] if met else []
            else:
                window_start = as_at - datetime.timedelta(days=rule.lasts_days)
                candidates = [r for r in recent if r.date > window_start or r is latest]
                matches = [match for r in candidates if (match := _match(rule, r))]
            if not matches:
                continue
            outcomes.append(rule.outcome)
            fired.append((rule, matches[-1]))
            if rule.outcome == Outcome.OUTBREAK:
                assessment.outbreak = True
                first = matches[0].date
                if assessment.outbreak_from is None or first < assessment.outbreak_from:
                    assessment.outbreak_from = first
    assessment.reasons.extend(_reasons(fired))
    levels = [outcome for outcome in outcomes if outcome in RAG_ORDER]
    if assessment.outbreak:
        levels.append(OUTBREAK_RAG)
    if levels:
        assessment.rag = max(levels, key=RAG_ORDER.__getitem__)
    return assessment


@functools.cache
def _default_rule_data() -> tuple[dict, ...]:
    data = yaml.safe_load(DEFAULT_RULES_FILE.read_text(encoding="utf-8")) or {}
    return tuple(data.get("defaults") or ())


def rule_from_data(item: dict, *, council, position: int) -> EscalationRule:
    """An unsaved rule from its description in escalation.yaml."""
    threshold = item.get("threshold")
    return EscalationRule(
        council=council, position=position, name=item["name"], metric=item["metric"],
        comparison=item["comparison"],
        threshold=None if threshold in (None, "") else Decimal(str(threshold)),
        outcome=item["outcome"], lasts_days=item.get("lasts_days", 1),
        active=item.get("active", True),
    )


def default_rules(council) -> list[EscalationRule]:
    """The default rule set (escalation.yaml's `defaults`), unsaved, for the council."""
    return [
        rule_from_data(item, council=council, position=position)
        for position, item in enumerate(_default_rule_data())
    ]


@dataclass
class RulesInForce:
    rules: list[EscalationRule]
    #: True when the council has no rules of its own and the default rules apply.
    default: bool


def rules_in_force(council) -> RulesInForce:
    """The council's active rules, or the default rules when it has no rules at all (one
    query)."""
    own = list(EscalationRule.objects.for_council(council))
    if not own:
        return RulesInForce(default_rules(council), default=True)
    return RulesInForce([rule for rule in own if rule.active], default=False)


def uses_default_rules(council) -> bool:
    """True when the council has no escalation rules of its own (the defaults apply)."""
    return not EscalationRule.objects.for_council(council).exists()


@dataclass
class EvaluationResult:
    as_at: datetime.date
    assessed: int = 0
    written: int = 0
    skipped_newer: int = 0
    #: True when the council has no rules of its own and the default rules were applied.
    default_rules: bool = False


RISK_FIELDS = ("rag", "reasons", "since", "outbreak", "outbreak_since")


@transaction.atomic
def escalations_evaluate(
    *, council, as_at: datetime.date, providers: list[Provider] | None = None, user=None,
    reason: str | None = None,
) -> EvaluationResult:
    """Apply the council's rules as at `as_at` and store each provider's RAG.

    A provider's row (and a history row, with `reason` as its change reason) is written only
    when its RAG, reasons or outbreak change. A provider already assessed as at a later date
    is left alone. Assessing every provider (no `providers`, or the council's first
    assessment) moves the council's risk log date on. Seven queries at most, whatever the
    number of providers, plus the writes.
    """
    result = EvaluationResult(as_at=as_at)
    in_force = rules_in_force(council)
    rules, result.default_rules = in_force.rules, in_force.default
    log = RiskLogAssessment.objects.filter(council=council).first()
    whole = providers is None or log is None
    scope = Provider.objects.filter(council=council).select_related("risk")
    if not whole:
        scope = scope.filter(pk__in=[provider.pk for provider in providers])
    providers = list(scope.order_by("pk"))
    lookback = max([rule.lasts_days for rule in rules] + [LATEST_RETURN_WITHIN_DAYS])
    homes = {"provider__council": council} if whole else {
        "provider__in": [provider.pk for provider in providers]}
    returns: dict[int, list[DailyReturn]] = {}
    for daily_return in DailyReturn.objects.filter(
        **homes,
        date__gt=as_at - datetime.timedelta(days=lookback),
        date__lte=as_at,
    ).order_by("date"):
        returns.setdefault(daily_return.provider_id, []).append(daily_return)
    last_returns = dict(
        DailyReturn.objects.filter(**homes, date__lte=as_at)
        .values("provider").annotate(last=Max("date")).values_list("provider", "last")
    )
    new, changed = [], []
    for provider in providers:
        current: ProviderRisk | None = getattr(provider, "risk", None)
        if current is not None:
            # Every row was assessed as at the risk log's date, changed or not.
            judged = max(current.assessed_on, log.assessed_on) if log else current.assessed_on
            if judged > as_at:
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
        }
        if current is None:
            values["since"] = as_at
            values["outbreak_since"] = assessment.outbreak_from
            new.append(ProviderRisk(provider=provider, assessed_on=as_at, **values))
            continue
        values["since"] = current.since if current.rag == assessment.rag else as_at
        values["outbreak_since"] = (
            (current.outbreak_since if current.outbreak else assessment.outbreak_from)
            if assessment.outbreak else None
        )
        if any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            current.assessed_on = as_at
            current.updated_at = timezone.now()
            changed.append(current)
    bulk_create_with_history(new, ProviderRisk, batch_size=500, default_user=user,
                             default_change_reason=reason)
    bulk_update_with_history(
        changed, ProviderRisk, [*RISK_FIELDS, "assessed_on", "updated_at"],
        batch_size=500, default_user=user, default_change_reason=reason,
    )
    result.written = len(new) + len(changed)
    if whole and log is None:
        RiskLogAssessment.objects.create(council=council, assessed_on=as_at)
    elif whole and as_at > log.assessed_on:
        RiskLogAssessment.objects.filter(pk=log.pk).update(
            assessed_on=as_at, updated_at=timezone.now())
    if new or changed or (whole and log is not None and as_at > log.assessed_on):
        versions.bump([council.pk], versions.PROVIDERS)  # bulk writes send no signals
    return result


def escalations_evaluate_all(
    *, as_at: datetime.date, councils=None, user=None, reason: str | None = None
) -> list[tuple[object, EvaluationResult]]:
    """Assess every council (or those given) as at `as_at`, one transaction per council."""
    councils = list(Council.objects.order_by("name")) if councils is None else councils
    return [
        (council, escalations_evaluate(council=council, as_at=as_at, user=user, reason=reason))
        for council in councils
    ]


def latest_assessment_date(council) -> datetime.date | None:
    """The date the council's risk log was last assessed as at (every provider)."""
    return (
        RiskLogAssessment.objects.filter(council=council)
        .values_list("assessed_on", flat=True).first()
    )


def risk_refresh(*, council, providers: list[Provider] | None = None, user=None,
                 reason: str | None = None):
    """Re-assess (some of) the council's providers as at its risk log's date (today if none),
    after a rating, a rule or a return changed."""
    as_at = latest_assessment_date(council) or timezone.localdate()
    return escalations_evaluate(council=council, as_at=as_at, providers=providers, user=user,
                                reason=reason)


STALE_RULES = (
    "{names}: another manager changed the rules after you opened the page, so nothing was "
    "saved. The rules are shown below as they are now: make your change again."
)


@transaction.atomic
def escalation_rules_save(
    *,
    council,
    changed: list[tuple[EscalationRule, int | None]],
    deleted: list[tuple[EscalationRule, int | None]],
    user=None,
):
    """Save a manager's edits to the council's rules, each existing rule guarded by the
    version the manager started from (refused as a whole when any is stale or missing), then
    re-assess every provider."""
    stored = {
        rule.pk: rule
        for rule in EscalationRule.objects.select_for_update().filter(council=council)
    }
    stale = [
        rule.name for rule, expected in [*changed, *deleted]
        if rule.pk is not None and (rule.pk not in stored or expected is None
                                    or stored[rule.pk].version != expected)
    ]
    if stale:
        raise ValidationError(STALE_RULES.format(names=", ".join(stale)), code="stale")
    for rule, _ in deleted:
        rule._history_user = user
        rule.delete()
    for rule, _ in changed:
        rule.council = council
        rule.version = stored[rule.pk].version + 1 if rule.pk else 1
        rule.full_clean()
        rule._history_user = user
        rule.save()
    return risk_refresh(council=council, user=user, reason="Escalation rules changed")


@transaction.atomic
def escalation_rules_adopt_defaults(*, council, user=None):
    """Give a council without rules its own copy of the default rules, to edit, then
    re-assess every provider (which the defaults already judged: nothing else changes)."""
    if EscalationRule.objects.select_for_update().filter(council=council).exists():
        raise ValidationError("The council already has its own escalation rules.",
                              code="stale")
    for rule in default_rules(council):
        rule.full_clean()
        rule._history_user = user
        rule.save()
    return risk_refresh(council=council, user=user, reason="Default escalation rules adopted")
