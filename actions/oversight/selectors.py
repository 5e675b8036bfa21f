"""Reads for the roll-up: the councils of a scope, each annotated with its figures."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf

from actions.models import (
    OPEN_STATUSES,
    ActionStatus,
    Compliance,
    LocalAction,
    LocalKeyArea,
    LocalPlan,
    NationalPlan,
    RequirementAssessment,
)
from providers.models import IcfAllocation, IcfRound, Provider
from reports.models import DhscLetter
from winterplan.models import Council

NO_LETTER = "none"
MONEY = DecimalField(max_digits=14, decimal_places=2)


def national_plans() -> QuerySet[NationalPlan]:
    """The national plans a roll-up can be about, newest first."""
    return NationalPlan.objects.order_by("-published_on", "title")


def default_national_plan() -> NationalPlan | None:
    """The newest national plan that asks councils to confirm by a deadline, else the newest."""
    plans = national_plans()
    return plans.filter(confirmation_deadline__isnull=False).first() or plans.first()


def default_date(national_plan: NationalPlan | None) -> datetime.date:
    """The day the roll-up is judged on by default: the plan's confirmation deadline (the
    councils of that winter), else today."""
    if national_plan is not None and national_plan.confirmation_deadline:
        return national_plan.confirmation_deadline
    return datetime.date.today()


def _count(queryset, group: str):
    """The number of `queryset`'s rows for the outer council (0 when none)."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _sum(queryset, group: str, amount: str):
    """The sum of `amount` over `queryset`'s rows for the outer council (0 when none)."""
    summed = queryset.order_by().values(group).annotate(s=Sum(amount)).values("s")[:1]
    return Coalesce(Subquery(summed, output_field=MONEY), Value(Decimal("0")), output_field=MONEY)


def _percent(part: str, whole: str):
    """`part` as a percentage of `whole`; None when `whole` is 0."""
    return Cast(F(part), FloatField()) * 100.0 / NullIf(Cast(F(whole), FloatField()), 0.0)


def rollup_councils(councils: QuerySet[Council], *, national_plan: NationalPlan,
                    as_at: datetime.date) -> QuerySet[Council]:
    """The councils that existed on `as_at`, each annotated with its roll-up figures for
    `national_plan` judged on `as_at` (overdue: open with a dated deadline before it; paid and
    reviewed: on or before it), and its plans for that national plan prefetched."""
    plans = LocalPlan.objects.filter(council=OuterRef("pk"), national_plan=national_plan)
    actions = LocalAction.objects.filter(
        local_key_area__local_plan__council=OuterRef("pk"),
        local_key_area__local_plan__national_plan=national_plan,
    )
    group = "local_key_area__local_plan__council"
    assessments = RequirementAssessment.objects.filter(
        local_plan__council=OuterRef("pk"), local_plan__national_plan=national_plan
    )
    bare_areas = LocalKeyArea.objects.filter(
        local_plan__council=OuterRef("pk"), local_plan__national_plan=national_plan
    ).exclude(Exists(LocalAction.objects.filter(local_key_area=OuterRef("pk"))))
    letters = DhscLetter.objects.filter(
        local_plan__council=OuterRef("pk"), local_plan__national_plan=national_plan
    ).order_by("-local_plan__as_at", "-pk")
    providers = Provider.objects.filter(council=OuterRef("pk"))
    paid = IcfAllocation.objects.filter(
        tranche__round__council=OuterRef("pk"), paid_on__isnull=False, paid_on__lte=as_at
    )
    return (
        councils.active_on(as_at)
        .select_related("region")
        .prefetch_related(Prefetch(
            "local_plans",
            queryset=LocalPlan.objects.filter(national_plan=national_plan).order_by("-as_at"),
            to_attr="rollup_plans",
        ))
        .annotate(
            plan_count=_count(plans, "council"),
            newest_plan_slug=Subquery(plans.order_by("-as_at").values("slug")[:1]),
            actions_total=_count(actions, group),
            actions_complete=_count(actions.filter(status=ActionStatus.COMPLETE), group),
            actions_open=_count(actions.filter(status__in=OPEN_STATUSES), group),
            actions_overdue=_count(actions.filter(
                status__in=OPEN_STATUSES, deadline_ongoing=False, deadline__lt=as_at), group),
            areas_without_action=_count(bare_areas, "local_plan__council"),
            requirements_not_met=_count(
                assessments.filter(compliance=Compliance.NOT_MET), "local_plan__council"),
            requirements_partly_met=_count(
                assessments.filter(compliance=Compliance.PARTIALLY_MET), "local_plan__council"),
            letter_state=Coalesce(Subquery(letters.values("state")[:1]), Value(NO_LETTER)),
            letter_sent_on=Subquery(letters.values("sent_on")[:1]),
            providers_total=_count(providers, "council"),
            providers_red=_count(providers.filter(risk__rag="red"), "council"),
            providers_amber=_count(providers.filter(risk__rag="amber"), "council"),
            bcp_reviewed=_count(providers.filter(
                business_continuity_plan__reviewed_on__isnull=False,
                business_continuity_plan__reviewed_on__lte=as_at), "council"),
            icf_allocated=_sum(IcfRound.objects.filter(council=OuterRef("pk")), "council",
                               "allocation"),
            icf_paid=_sum(paid, "tranche__round__council", "amount"),
        )
        .annotate(
            percent_complete=_percent("actions_complete", "actions_total"),
            bcp_reviewed_percent=_percent("bcp_reviewed", "providers_total"),
        )
        .order_by("region__name", "name")
    )


def sent_by_deadline(council: Council, national_plan: NationalPlan) -> bool | None:
    """Whether the council's letter was sent on or before the plan's confirmation deadline;
    None when the plan sets no deadline."""
    deadline = national_plan.confirmation_deadline if national_plan else None
    if deadline is None:
        return None
    return council.letter_sent_on is not None and council.letter_sent_on <= deadline


@dataclass
class RegionSummary:
    """One region's totals over the roll-up's rows (computed from them, no query)."""

    name: str
    councils: int = 0
    with_plan: int = 0
    letters_sent: int = 0
    sent_by_deadline: int = 0
    actions_total: int = 0
    actions_complete: int = 0
    actions_open: int = 0
    actions_overdue: int = 0
    areas_without_action: int = 0
    requirements_not_met: int = 0
    requirements_partly_met: int = 0
    providers_total: int = 0
    providers_red: int = 0
    providers_amber: int = 0
    bcp_reviewed: int = 0
    icf_allocated: Decimal = field(default_factory=Decimal)
    icf_paid: Decimal = field(default_factory=Decimal)

    @property
    def percent_complete(self) -> float | None:
        return self.actions_complete * 100 / self.actions_total if self.actions_total else None

    @property
    def bcp_reviewed_percent(self) -> float | None:
        return self.bcp_reviewed * 100 / self.providers_total if self.providers_total else None


SUMMED = ("actions_total", "actions_complete", "actions_open", "actions_overdue",
          "areas_without_action", "requirements_not_met", "requirements_partly_met",
          "providers_total", "providers_red", "providers_amber", "bcp_reviewed",
          "icf_allocated", "icf_paid")


def region_summaries(councils, national_plan: NationalPlan) -> list[RegionSummary]:
    """Per region of the rows, in region order: the councils, how many have a plan and sent
    their letter (by the deadline), and the sums of every figure."""
    summaries: dict[str, RegionSummary] = {}
    for council in councils:
        name = council.region.name if council.region else "No region"
        summary = summaries.setdefault(name, RegionSummary(name=name))
        summary.councils += 1
        summary.with_plan += bool(council.plan_count)
        summary.letters_sent += council.letter_state == DhscLetter.State.SENT
        summary.sent_by_deadline += bool(sent_by_deadline(council, national_plan))
        for name_ in SUMMED:
            setattr(summary, name_, getattr(summary, name_) + getattr(council, name_))
    return [summaries[name] for name in sorted(summaries)]


def letters_received(councils: QuerySet[Council], *, national_plan: NationalPlan | None):
    """The DHSC letters of `councils`' plans for `national_plan`, by region and council."""
    return (
        DhscLetter.objects.filter(local_plan__council__in=councils,
                                  local_plan__national_plan=national_plan)
        .select_related("local_plan__council__region")
        .defer("approved_pdf", "approved_html", "approved_docx")
        .order_by("local_plan__council__region__name", "local_plan__council__name",
                  "-local_plan__as_at")
    )


def region_key_issues(councils: QuerySet[Council], *, national_plan: NationalPlan | None,
                      as_at: datetime.date) -> list[dict]:
    """The region's key issues grouped by the national plan's themes, in plan order: each
    council's overdue actions and its requirements not met or partly met (two queries)."""
    themes: dict[int, dict] = {}

    def theme(pk, position, title):
        return themes.setdefault(pk, {"position": position, "title": title, "issues": []})

    overdue = (
        LocalAction.objects.overdue(as_at=as_at)
        .filter(local_key_area__local_plan__council__in=councils,
                local_key_area__local_plan__national_plan=national_plan)
        .values_list("local_key_area__key_area__theme_id",
                     "local_key_area__key_area__theme__position",
                     "local_key_area__key_area__theme__title",
                     "local_key_area__local_plan__council__name", "text", "deadline")
        .order_by("local_key_area__key_area__theme__position",
                  "local_key_area__local_plan__council__name", "deadline", "pk")
    )
    for pk, position, title, council, text, deadline in overdue:
        theme(pk, position, title)["issues"].append(
            f"{council}: overdue since {deadline:%d/%m/%Y}: {text}")
    unmet = (
        RequirementAssessment.objects.filter(
            local_plan__council__in=councils, local_plan__national_plan=national_plan,
            compliance__in=(Compliance.NOT_MET, Compliance.PARTIALLY_MET))
        .values_list("requirement__key_area__theme_id", "requirement__key_area__theme__position",
                     "requirement__key_area__theme__title", "local_plan__council__name",
                     "compliance", "requirement__key_area__title", "requirement__text")
        .order_by("requirement__key_area__theme__position", "local_plan__council__name",
                  "requirement__key_area__position", "requirement__position")
    )
    labels = dict(Compliance.choices)
    for pk, position, title, council, compliance, area, text in unmet:
        theme(pk, position, title)["issues"].append(
            f"{council}: {labels[compliance].lower()} ({area}): {text}")
    return sorted(themes.values(), key=lambda item: item["position"])
