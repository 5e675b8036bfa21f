"""Reads for the roll-up: the councils of a scope, each annotated with its figures."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

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
from providers.models import IcfAllocation, IcfRound, IcfTranche, Provider
from reports.models import DhscLetter
from winterplan.models import Council

NO_LETTER = "none"
MONEY = DecimalField(max_digits=14, decimal_places=2)
LETTER_BLOBS = ("approved_pdf", "approved_html", "approved_docx")


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


# The figures counted per council, by family. Each family is one GROUP BY over the councils
# in scope; the families run as one UNION ALL query, so the page's query count is the same
# for 2 councils or 316.
ACTION_FIGURES = ("actions_total", "actions_complete", "actions_open", "actions_overdue",
                  "areas_without_action")
ASSESSMENT_FIGURES = ("requirements_not_met", "requirements_partly_met")
PROVIDER_FIGURES = ("providers_total", "providers_red", "providers_amber", "bcp_reviewed")
COUNTED = {1: ACTION_FIGURES, 2: ASSESSMENT_FIGURES, 3: PROVIDER_FIGURES}
SUMMED_MONEY = {4: "icf_allocated", 5: "icf_paid"}
COUNT_COLUMNS = max(len(names) for names in COUNTED.values())


def _family(queryset, council: str, tag: int, *, counts=(), money=None):
    """`queryset` grouped by council as rows (council pk, tag, the counts padded with zeros to
    COUNT_COLUMNS, a sum of money or 0): one shape for every family, so they can be unioned."""
    padded = [*counts, *[Value(0)] * (COUNT_COLUMNS - len(counts))]
    columns = {
        "family": Value(tag, output_field=IntegerField()),
        **{f"n{position}": count for position, count in enumerate(padded)},
        "money": Coalesce(money or Value(None), Value(Decimal("0")), output_field=MONEY),
    }
    return (queryset.order_by().values(council_pk=F(council)).annotate(**columns)
            .values_list("council_pk", *columns))


def _figures(councils: QuerySet[Council], *, national_plan: NationalPlan,
             as_at: datetime.date) -> dict[int, dict]:
    """Every figure of `councils` (one query): name → value, per council pk; a council
    without rows in a family is left out of it (its figures are 0)."""
    council_pks = councils.order_by().values("pk")  # a subquery, not a list of parameters
    open_ = Q(actions__status__in=OPEN_STATUSES)
    key_areas = LocalKeyArea.objects.filter(local_plan__council__in=council_pks,
                                            local_plan__national_plan=national_plan)
    actions = _family(key_areas, "local_plan__council", 1, counts=[  # ACTION_FIGURES
        Count("actions"),
        Count("actions", filter=Q(actions__status=ActionStatus.COMPLETE)),
        Count("actions", filter=open_),
        Count("actions", filter=open_ & Q(actions__deadline_ongoing=False,
                                          actions__deadline__lt=as_at)),
        Count("pk", filter=Q(actions__isnull=True)),  # a key area's row without an action
    ])
    assessments = _family(
        RequirementAssessment.objects.filter(local_plan__council__in=council_pks,
                                             local_plan__national_plan=national_plan),
        "local_plan__council", 2, counts=[  # ASSESSMENT_FIGURES
            Count("pk", filter=Q(compliance=Compliance.NOT_MET)),
            Count("pk", filter=Q(compliance=Compliance.PARTIALLY_MET)),
        ])
    providers = _family(Provider.objects.filter(council__in=council_pks), "council", 3, counts=[
        Count("pk"),  # PROVIDER_FIGURES; risk and continuity plan are one row per provider
        Count("risk", filter=Q(risk__rag="red")),
        Count("risk", filter=Q(risk__rag="amber")),
        Count("business_continuity_plan", filter=Q(
            business_continuity_plan__reviewed_on__isnull=False,
            business_continuity_plan__reviewed_on__lte=as_at)),
    ])
    allocated = _family(IcfRound.objects.filter(council__in=council_pks), "council", 4,
                        money=Sum("allocation"))
    # paid: summed per tranche first (an index probe per tranche), then per council — half
    # the time of joining every allocation of England to its tranche and round
    paid_by_tranche = IcfAllocation.objects.filter(
        tranche=OuterRef("pk"), paid_on__isnull=False, paid_on__lte=as_at,
    ).order_by().values("tranche").annotate(s=Sum("amount")).values("s")
    paid = _family(IcfTranche.objects.filter(round__council__in=council_pks),
                   "round__council", 5, money=Sum(Subquery(paid_by_tranche, output_field=MONEY)))
    figures: dict[int, dict] = {}
    for council_pk, tag, *counts, money in actions.union(
            assessments, providers, allocated, paid, all=True):
        row = figures.setdefault(council_pk, {})
        if tag in COUNTED:
            row.update(zip(COUNTED[tag], counts, strict=False))
        else:
            row[SUMMED_MONEY[tag]] = Decimal(money)
    return figures


ZERO_FIGURES = {**dict.fromkeys((*ACTION_FIGURES, *ASSESSMENT_FIGURES, *PROVIDER_FIGURES), 0),
                **dict.fromkeys(SUMMED_MONEY.values(), Decimal("0.00"))}


def _percent(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`; None when `whole` is 0."""
    return part * 100.0 / whole if whole else None


def _letter(plans):
    """The letter of the newest of `plans` that has one (then the newest letter), else None."""
    letters = [(plan.as_at, plan.dhsc_letter.pk, plan.dhsc_letter) for plan in plans
               if hasattr(plan, "dhsc_letter")]
    return max(letters, key=lambda item: item[:2], default=(None, None, None))[2]


def rollup_councils(councils: QuerySet[Council], *, national_plan: NationalPlan,
                    as_at: datetime.date) -> list[Council]:
    """The councils that existed on `as_at`, in region and name order, each with its roll-up
    figures for `national_plan` judged on `as_at` (overdue: open with a dated deadline before
    it; paid and reviewed: on or before it) and its plans for that national plan, newest
    first, as `rollup_plans`. Three queries: the councils, their plans and letters, the
    figures."""
    rows = list(
        councils.active_on(as_at)
        .select_related("region")
        .prefetch_related(Prefetch(
            "local_plans",
            queryset=LocalPlan.objects.filter(national_plan=national_plan)
            .select_related("dhsc_letter")
            .defer(*(f"dhsc_letter__{name}" for name in LETTER_BLOBS))
            .order_by("-as_at"),
            to_attr="rollup_plans",
        ))
        .order_by("region__name", "name")
    )
    figures = _figures(councils.active_on(as_at), national_plan=national_plan,
                       as_at=as_at) if rows else {}
    for row in rows:
        row.__dict__.update(ZERO_FIGURES)
        row.__dict__.update(figures.get(row.pk, {}))
        row.plan_count = len(row.rollup_plans)
        row.newest_plan_slug = row.rollup_plans[0].slug if row.rollup_plans else None
        letter = _letter(row.rollup_plans)
        row.letter_state = letter.state if letter else NO_LETTER
        row.letter_sent_on = letter.sent_on if letter else None
        row.percent_complete = _percent(row.actions_complete, row.actions_total)
        row.bcp_reviewed_percent = _percent(row.bcp_reviewed, row.providers_total)
    return rows


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
