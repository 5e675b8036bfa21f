"""Which history the audit trail reads: one entry per model a council changes, as data.

`council` is the path from the historical row to its council (through the live parents, so a
row whose parent plan or provider was deleted is no longer found: those are not deletable
while history names them in practice — plans, providers and approved letters are protected).
`title` makes the "what" column from the row and the `values` joined in the same query;
`link` the object's page from the same (None where it has none).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.urls import reverse

from actions.models import (
    ActionLink,
    Commentary,
    CommentaryLink,
    LocalAction,
    LocalKeyArea,
    LocalPlan,
    RequirementAssessment,
)
from providers.models import (
    BusinessContinuityPlan,
    DailyReturn,
    EscalationRule,
    IcfAllocation,
    IcfRound,
    IcfShare,
    IcfSpendingReturn,
    IcfTranche,
    Provider,
    ProviderRisk,
)
from reports.models import AppendixLink, CommitteeReport, DhscLetter, ReportSection


@dataclass(frozen=True)
class Audited:
    model: type[models.Model]
    label: str
    council: str
    #: Joined in the row's query: name -> path from the historical row.
    values: dict[str, str] = field(default_factory=dict)
    title: Callable[[object], str] = str
    link: Callable[[object], str | None] = lambda row: None


def _short(text, length=80) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _plan_url(name, *extra):
    def link(row):
        return reverse(name, args=[row.v_plan, *[getattr(row, attr) for attr in extra]])
    return link


def _council_url(name, *extra):
    def link(row):
        return reverse(name, args=[row.v_council, *[getattr(row, attr) for attr in extra]])
    return link


PLAN = {"v_plan": "local_plan__slug"}
AREA_PLAN = {"v_plan": "local_key_area__local_plan__slug",
             "v_area": "local_key_area__key_area__slug"}

AUDITED: tuple[Audited, ...] = (
    Audited(LocalPlan, "Plan", "council", {"v_plan": "slug"},
            title=lambda r: r.title, link=_plan_url("actions:dashboard")),
    Audited(LocalKeyArea, "Key area", "local_plan__council",
            {**PLAN, "v_area": "key_area__slug", "v_area_title": "key_area__title"},
            title=lambda r: r.v_area_title,
            link=lambda r: reverse("actions:key-area", args=[r.v_plan, r.v_area])),
    Audited(LocalAction, "Action", "local_key_area__local_plan__council", AREA_PLAN,
            title=lambda r: _short(r.text), link=_plan_url("actions:action-detail", "id")),
    Audited(ActionLink, "Action link", "action__local_key_area__local_plan__council",
            {"v_plan": "action__local_key_area__local_plan__slug"},
            title=lambda r: _short(r.title),
            link=lambda r: reverse("actions:action-detail", args=[r.v_plan, r.action_id])),
    Audited(Commentary, "Commentary", "local_key_area__local_plan__council", AREA_PLAN,
            title=lambda r: _short(r.text),
            link=lambda r: reverse("actions:key-area", args=[r.v_plan, r.v_area])),
    Audited(CommentaryLink, "Commentary link",
            "commentary__local_key_area__local_plan__council",
            {"v_plan": "commentary__local_key_area__local_plan__slug",
             "v_area": "commentary__local_key_area__key_area__slug"},
            title=lambda r: _short(r.title),
            link=lambda r: reverse("actions:key-area", args=[r.v_plan, r.v_area])),
    Audited(RequirementAssessment, "Requirement assessment", "local_plan__council",
            {**PLAN, "v_ref": "requirement__ref", "v_area": "requirement__key_area__slug"},
            title=lambda r: f"Requirement {r.v_ref}".strip(),
            link=lambda r: reverse("actions:key-area", args=[r.v_plan, r.v_area])),
    Audited(Provider, "Provider", "council", {"v_council": "council__slug"},
            title=lambda r: r.name, link=_council_url("providers:provider-detail", "id")),
    Audited(BusinessContinuityPlan, "Business continuity plan", "provider__council",
            {"v_council": "provider__council__slug", "v_provider": "provider__name"},
            title=lambda r: f"Continuity plan of {r.v_provider}",
            link=_council_url("providers:provider-detail", "provider_id")),
    Audited(DailyReturn, "Daily return", "provider__council",
            {"v_council": "provider__council__slug", "v_provider": "provider__name"},
            title=lambda r: f"{r.v_provider}, {r.date:%d/%m/%Y}",
            link=_council_url("providers:provider-detail", "provider_id")),
    Audited(ProviderRisk, "Provider risk", "provider__council",
            {"v_council": "provider__council__slug", "v_provider": "provider__name"},
            title=lambda r: f"Risk of {r.v_provider}",
            link=_council_url("providers:provider-detail", "provider_id")),
    Audited(EscalationRule, "Escalation rule", "council", {"v_council": "council__slug"},
            title=lambda r: f"Escalation rule {r.position}",
            link=_council_url("providers:escalation-rules")),
    Audited(IcfRound, "Infection Control Fund round", "council", {"v_council": "council__slug"},
            title=lambda r: r.name, link=_council_url("providers:icf-round", "slug")),
    Audited(IcfTranche, "Fund tranche", "round__council",
            {"v_council": "round__council__slug", "v_round": "round__slug",
             "v_round_name": "round__name"},
            title=lambda r: f"{r.v_round_name}, tranche {r.number}",
            link=lambda r: reverse("providers:icf-tranche",
                                   args=[r.v_council, r.v_round, r.number])),
    Audited(IcfShare, "Fund share", "round__council",
            {"v_council": "round__council__slug", "v_round": "round__slug",
             "v_round_name": "round__name"},
            title=lambda r: f"{r.v_round_name}: {r.name}",
            link=lambda r: reverse("providers:icf-round", args=[r.v_council, r.v_round])),
    Audited(IcfAllocation, "Fund allocation", "tranche__round__council",
            {"v_council": "tranche__round__council__slug", "v_round": "tranche__round__slug",
             "v_round_name": "tranche__round__name", "v_number": "tranche__number",
             "v_provider": "provider__name"},
            title=lambda r: f"{r.v_round_name}, tranche {r.v_number}: {r.v_provider or 'share'}",
            link=lambda r: reverse("providers:icf-tranche",
                                   args=[r.v_council, r.v_round, r.v_number])),
    Audited(IcfSpendingReturn, "Fund spending return", "round__council",
            {"v_council": "round__council__slug", "v_round": "round__slug",
             "v_round_name": "round__name", "v_provider": "provider__name"},
            title=lambda r: f"{r.v_round_name}: spending of {r.v_provider}",
            link=lambda r: reverse("providers:icf-spending", args=[r.v_council, r.v_round])),
    Audited(CommitteeReport, "Committee report", "local_plan__council", PLAN,
            title=lambda r: r.title, link=_plan_url("reports:committee-report")),
    Audited(ReportSection, "Committee report section", "report__local_plan__council",
            {"v_plan": "report__local_plan__slug"},
            title=lambda r: f"{r.number} {r.heading}",
            link=_plan_url("reports:committee-report")),
    Audited(AppendixLink, "Committee report link", "report__local_plan__council",
            {"v_plan": "report__local_plan__slug"},
            title=lambda r: _short(r.title), link=_plan_url("reports:committee-report")),
    Audited(DhscLetter, "DHSC letter", "local_plan__council", PLAN,
            title=lambda r: f"DHSC letter, {r.v_plan}", link=_plan_url("reports:dhsc-letter")),
)

BY_LABEL = {entry.model._meta.label_lower: entry for entry in AUDITED}
