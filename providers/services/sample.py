"""Load the providers' sample files (fixtures/providers/, described in the README).

Called by winterplan.sample_data after the registers. Rows are found by natural keys (council
slug, provider name, round slug, tranche number, rule position); existing rows are left alone
unless `update`, and a second run writes nothing.

History is dated when it was true: a plan review when it was reviewed (or received), a round and
its rule when its first tranche arrived, allocations when their tranche did, payments when they
were paid, rules with the register, each risk assessment on the day it was made as at. `dated`
maps a council's slug to the day its sample register describes; `started` is when the load began
(only history written since then is dated).
"""

import datetime
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from providers.models import (
    BusinessContinuityPlan,
    EscalationRule,
    IcfAllocation,
    IcfRound,
    IcfShare,
    IcfTranche,
    Provider,
    ProviderRisk,
)
from providers.services.escalation import escalations_evaluate
from providers.services.funding import icf_payments_record, icf_tranche_allocate
from providers.services.imports import providers_import
from providers.services.returns_import import daily_returns_import
from winterplan import versions
from winterplan.history import history_moment, history_redate
from winterplan.models import Council
from winterplan.sync import RowError, upsert


def _read_yaml(path: Path):
    from actions.services.plan_files import read_yaml

    return read_yaml(path)


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def providers_sample_load(
    directory: Path, *, update: bool, report, dated: dict[str, datetime.date],
    started: datetime.datetime,
) -> None:
    """Plans, funding, rules, returns and assessments, in that order, dated when true."""
    councils = {council.slug: council for council in Council.objects.all()}
    bcp_load(directory / "bcp-reviews.yaml", councils, update=update, report=report,
             dated=dated)
    icf_load(directory / "icf-rounds.yaml", councils, update=update, report=report,
             dated=dated, started=started)
    escalation = _read_yaml(directory / "escalation.yaml")
    rules_load(escalation.get("rules") or {}, councils, update=update, report=report,
               dated=dated)
    returns_load(directory / "halton-returns", councils["halton"], update=update, report=report)
    for item in escalation.get("assessments") or []:
        as_at = _date(item["as_at"])
        result = escalations_evaluate(council=councils[item["council"]], as_at=as_at)
        report.add("provider risk assessments", result.written)
        history_redate(ProviderRisk, since=started, moment=history_moment(as_at),
                       assessed_on=as_at)


def bcp_load(path: Path, councils, *, update: bool, report, dated) -> None:
    """Plans in bulk (about 200 rows): validated like upsert, written only when they differ."""
    providers = {(p.council.slug, p.name): p for p in Provider.objects.select_related("council")}
    existing = {plan.provider_id: plan for plan in BusinessContinuityPlan.objects.all()}
    new, changed = [], []
    for number, item in enumerate(_read_yaml(path)["plans"], start=1):
        where = f"{path.name}, plan {number} ({item.get('provider')})"
        provider = providers.get((item["council"], item["provider"]))
        if provider is None:
            raise RowError(where, "no such provider in the council's register.")
        values = {
            "received_on": _date(item.get("received")),
            "reviewed_on": _date(item.get("reviewed")),
            "outcome": item.get("outcome") or "",
            "next_review_due": _date(item.get("next_review_due")),
            "notes": item.get("notes", ""),
        }
        plan = existing.get(provider.pk)
        if plan is not None and not update:
            continue
        differs = plan is None or any(getattr(plan, k) != v for k, v in values.items())
        if not differs:
            continue
        if plan is None:
            plan = BusinessContinuityPlan(provider=provider)
            plan._history_date = history_moment(
                values["reviewed_on"] or values["received_on"] or dated.get(item["council"])
            )
        for name, value in values.items():
            setattr(plan, name, value)
        try:
            plan.full_clean(exclude=["provider", "reviewer"], validate_unique=False,
                            validate_constraints=False)
        except ValidationError as error:
            raise RowError(where, error) from error
        (changed if plan.pk else new).append(plan)
    for plan in changed:
        plan.version += 1
    bulk_create_with_history(new, BusinessContinuityPlan, batch_size=500)
    bulk_update_with_history(
        changed, BusinessContinuityPlan, ["received_on", "reviewed_on", "outcome",
                                          "next_review_due", "notes", "version"],
        batch_size=500,
    )
    versions.bump({plan.provider.council_id for plan in (*new, *changed)},
                  versions.PROVIDERS)
    report.add("business continuity plans", len(new) + len(changed))


def icf_load(path: Path, councils, *, update: bool, report, dated, started) -> None:
    for item in _read_yaml(path)["rounds"]:
        where = f"{path.name}, round {item['council']}/{item['slug']}"
        received = [_date(t.get("received")) for t in item.get("tranches", [])]
        moment = history_moment(min((d for d in received if d), default=None)
                                or dated.get(item["council"]))
        icf_round, written = upsert(
            IcfRound, where=where,
            lookup={"council": councils[item["council"]], "slug": item["slug"]},
            values={
                "name": item["name"],
                "allocation": Decimal(item["allocation"]),
                "return_due": _date(item.get("return_due")),
                "notes": item.get("notes", ""),
            },
            update=update,
            history_date=moment,
        )
        report.add("Infection Control Fund rows", written)
        tranches = {}
        for tranche in item.get("tranches", []):
            received_on = _date(tranche.get("received"))
            tranches[tranche["number"]], written = upsert(
                IcfTranche, where=f"{where}, tranche {tranche['number']}",
                lookup={"round": icf_round, "number": tranche["number"]},
                values={"amount": Decimal(tranche["amount"]), "received_on": received_on},
                update=update,
                history_date=history_moment(received_on) if received_on else moment,
            )
            report.add("Infection Control Fund rows", written)
        for position, share in enumerate(item.get("rule", [])):
            _, written = upsert(
                IcfShare, where=f"{where}, share {position + 1}",
                lookup={"round": icf_round, "position": position},
                values={
                    "name": share["name"],
                    "percent": Decimal(str(share["percent"])),
                    "basis": share["basis"],
                    "provider_types": list(share["provider_types"]),
                    "held_back_percent": Decimal(str(share.get("held_back_percent", "0"))),
                    "discretionary": bool(share.get("discretionary", False)),
                },
                update=update,
                history_date=moment,
            )
            report.add("Infection Control Fund rows", written)
        for number in item.get("allocate", []):
            tranche = tranches[number]
            first = not IcfAllocation.objects.filter(tranche=tranche).exists()
            if not (first or update):
                continue
            try:
                outcome = icf_tranche_allocate(tranche=tranche)
            except ValidationError as error:
                if update:  # paid already: the schedule stays as it was paid
                    report.skipped.append(f"{tranche}: {' '.join(error.messages)}")
                    continue
                raise RowError(f"{where}, tranche {number}", error) from error
            report.add("Infection Control Fund rows", len(outcome.allocations) * outcome.written)
            if first:
                history_redate(IcfAllocation, since=started, tranche_id=tranche.pk,
                               moment=history_moment(tranche.received_on) if tranche.received_on
                               else moment)
        for payment in item.get("payments", []):
            tranche = tranches[payment["tranche"]]
            if IcfAllocation.objects.filter(tranche=tranche, paid_on__isnull=False).exists():
                continue
            written = icf_payments_record(
                tranche=tranche, paid_on=_date(payment["paid_on"]),
                reference=payment.get("reference", ""),
            )
            report.add("Infection Control Fund rows", written)
            history_redate(IcfAllocation, since=started, tranche_id=tranche.pk,
                           paid_on=_date(payment["paid_on"]),
                           moment=history_moment(_date(payment["paid_on"])))


def rules_load(rules: dict, councils, *, update: bool, report, dated) -> None:
    for slug, items in rules.items():
        for position, rule in enumerate(items):
            _, written = upsert(
                EscalationRule, where=f"escalation.yaml, rule {position + 1} of {slug}",
                lookup={"council": councils[slug], "position": position},
                values={
                    "name": rule["name"],
                    "metric": rule["metric"],
                    "comparison": rule["comparison"],
                    "threshold": (Decimal(str(rule["threshold"]))
                                  if rule.get("threshold") not in (None, "") else None),
                    "outcome": rule["outcome"],
                    "lasts_days": rule.get("lasts_days", 1),
                    "active": rule.get("active", True),
                },
                update=update,
                history_date=history_moment(dated.get(slug)),
            )
            report.add("escalation rules", written)


def returns_load(directory: Path, council, *, update: bool, report) -> None:
    for path in sorted(directory.glob("*.csv")):
        result = daily_returns_import(
            council=council, filename=path.name, content=path.read_bytes(),
            existing="replace" if update else "skip", assess=False,
        )
        report.add("daily returns", len(result.created) + len(result.updated))


def providers_load(*, fixtures: Path, update: bool, report, started: datetime.datetime,
                   **_) -> None:
    """A step of winterplan.sample_data (settings.SAMPLE_DATA_STEPS): the registers
    (registers.yaml), each dated in history on the day it describes, then the rest of the
    providers' sample."""
    directory = fixtures / "providers"
    dated = {}
    for item in _read_yaml(directory / "registers.yaml")["registers"]:
        council = Council.objects.get(slug=item["council"])
        dated[council.slug] = item["as_at"]
        first = not Provider.objects.filter(council=council).exists()
        if not (first or update):
            report.skipped.append(f"providers of {council}")
            continue
        result = providers_import(council=council, filename=item["file"],
                                  content=(directory / item["file"]).read_bytes())
        report.add("providers", len(result.created) + len(result.updated))
        if first:  # a register that existed already keeps its changes dated when made
            history_redate(Provider, since=started, moment=history_moment(item["as_at"]),
                           council_id=council.pk)
    # Plan reviews, Infection Control Fund, escalation rules, daily returns, risk logs.
    providers_sample_load(directory, update=update, report=report, dated=dated,
                          started=started)
