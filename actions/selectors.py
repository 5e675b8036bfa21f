"""Reads for the plan pages. Each selector decides what is joined, so a page's query count does
not grow with its rows."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from actions.models import (
    OPEN_STATUSES,
    ActionStatus,
    Commentary,
    LocalAction,
    LocalKeyArea,
    LocalPlan,
    Requirement,
    RequirementAssessment,
    Theme,
)
from winterplan import permissions

DUE_SOON_DAYS = 14

# --- The reporting date: one "today" per page --------------------------------------------

#: `?as_at=` takes dd/mm/yyyy, YYYY-MM-DD or `today`.
AS_AT_PARAM = "as_at"
AS_AT_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
EARLIEST_DATE = datetime.date(2000, 1, 1)


@dataclass(frozen=True)
class ReportingDate:
    """The date a page judges “overdue”, “due” and “review overdue” on, and where it came
    from: `chosen` (the user's `?as_at=`), `today` (`?as_at=today`), `plan` (the plan's
    reporting date) or `clock` (no plan: today's date)."""

    date: datetime.date
    source: str
    #: The plan's own reporting date (None without a plan).
    plan_date: datetime.date | None = None
    #: What was asked for when it was not a date (shown with the default used instead).
    refused: str = ""

    @property
    def chosen(self) -> bool:
        return self.source in ("chosen", "today")

    @property
    def query(self) -> str:
        """`as_at=…` to carry the chosen date into links, or "" for the default."""
        if self.source == "today":
            return f"{AS_AT_PARAM}=today"
        return f"{AS_AT_PARAM}={self.date:%d/%m/%Y}" if self.chosen else ""

    @property
    def label(self) -> str:
        return {
            "chosen": "the date chosen",
            "today": "today",
            "plan": "the plan’s reporting date",
            "clock": "today",
        }[self.source]


def parse_as_at(value: str | None) -> datetime.date | None:
    """The date in an `?as_at=` value (dd/mm/yyyy, YYYY-MM-DD or `today`), None if none."""
    value = (value or "").strip()
    if value.lower() == "today":
        return timezone.localdate()
    for pattern in AS_AT_FORMATS:
        try:
            day = datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        return day if EARLIEST_DATE <= day <= datetime.date(2099, 12, 31) else None
    return None


def reporting_date(*, plan: LocalPlan | None, asked: str | None = None) -> ReportingDate:
    """The page's reporting date: the date asked for with `?as_at=` (or `today`), else the
    plan's reporting date (its as-at date), else today. Council pages use the council's
    newest plan, the one the header shows."""
    plan_date = plan.as_at if plan is not None else None
    if asked and asked.strip():
        day = parse_as_at(asked)
        if day is not None:
            source = "today" if asked.strip().lower() == "today" else "chosen"
            return ReportingDate(day, source, plan_date)
    refused = asked.strip()[:40] if asked and asked.strip() else ""
    if plan_date is not None:
        return ReportingDate(plan_date, "plan", plan_date, refused)
    return ReportingDate(timezone.localdate(), "clock", None, refused)


def council_reporting_date(council) -> datetime.date:
    """A council's reporting date without a request: its newest plan's, else today (what a
    council page shows by default)."""
    newest = (LocalPlan.objects.filter(council=council).order_by("-as_at")
              .values_list("as_at", flat=True).first())
    return newest or timezone.localdate()


def reporting_date_for(request) -> ReportingDate:
    """The request's reporting date (its `?as_at=` and its workspace's plan), once per
    request: every part of a page judges dates on this one."""
    cached = getattr(request, "_reporting_date", None)
    if cached is None:
        from winterplan.workspace import workspace_for

        cached = reporting_date(plan=workspace_for(request).plan,
                                asked=request.GET.get(AS_AT_PARAM))
        request._reporting_date = cached
    return cached


def actions_for_plan(plan: LocalPlan) -> QuerySet[LocalAction]:
    """The plan's actions with what their rows show (key area, theme, team, owner) joined."""
    return (
        LocalAction.objects.for_plan(plan)
        .select_related("local_key_area__key_area__theme", "team", "owner")
        .order_by(
            "local_key_area__key_area__theme__position",
            "local_key_area__key_area__position",
            "position",
            "id",
        )
    )


@dataclass
class ThemeSummary:
    theme: Theme
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def rag(self) -> str:
        """Red with any overdue or at-risk action; amber with any not started; else green."""
        if self.overdue or self.counts.get(ActionStatus.AT_RISK, 0):
            return "red"
        if self.counts.get(ActionStatus.NOT_STARTED, 0):
            return "amber"
        return "green"

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)


@dataclass
class Dashboard:
    plan: LocalPlan
    as_at: datetime.date
    themes: list[ThemeSummary]
    overdue: list[LocalAction]
    due_soon: list[LocalAction]
    totals: dict[str, int]
    compliance: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.totals.values())


def plan_dashboard(*, plan: LocalPlan, as_at: datetime.date) -> Dashboard:
    """Counts by status and RAG per theme, overdue and due-soon actions, as at `as_at` (a fixed
    number of queries whatever the plan's size). The same for every viewer: a page may cache
    it (the viewer's own actions are `own_actions`)."""
    actions = LocalAction.objects.for_plan(plan)
    rows = (
        actions.values("local_key_area__key_area__theme", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    overdue_rows = (
        actions.overdue(as_at=as_at)
        .values("local_key_area__key_area__theme")
        .annotate(n=Count("id"))
        .order_by()
    )
    themes = list(plan.national_plan.themes.order_by("position"))
    summaries = {theme.pk: ThemeSummary(theme) for theme in themes}
    totals: dict[str, int] = {}
    for row in rows:
        summary = summaries[row["local_key_area__key_area__theme"]]
        summary.counts[row["status"]] = row["n"]
        totals[row["status"]] = totals.get(row["status"], 0) + row["n"]
    for row in overdue_rows:
        summaries[row["local_key_area__key_area__theme"]].overdue = row["n"]

    listed = actions_for_plan(plan)
    compliance_rows = (
        RequirementAssessment.objects.filter(local_plan=plan)
        .values("compliance")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Dashboard(
        plan=plan,
        as_at=as_at,
        themes=[summaries[theme.pk] for theme in themes],
        overdue=list(listed.overdue(as_at=as_at).order_by("deadline", "id")[:50]),
        due_soon=list(
            listed.due_within(as_at=as_at, days=DUE_SOON_DAYS).order_by("deadline", "id")[:50]
        ),
        totals=totals,
        compliance={row["compliance"]: row["n"] for row in compliance_rows},
    )


@dataclass
class OwnActions:
    """The viewer's part of the dashboard: never cached with the rest."""

    mine: list[LocalAction]
    team_actions: list[LocalAction]


def own_actions(*, plan: LocalPlan, user) -> OwnActions:
    """The actions the user owns (only editors own actions, so only they get "My actions") and
    their team's other actions, the first 50 of each (two queries at most)."""
    listed = actions_for_plan(plan)
    mine = list(listed.filter(owner=user)[:50]) if permissions.can_edit(user) else []
    team_actions = (
        list(listed.filter(team_id=user.team_id).exclude(owner=user)[:50])
        if getattr(user, "team_id", None)
        else []
    )
    return OwnActions(mine=mine, team_actions=team_actions)


def key_areas_for_plan(plan: LocalPlan) -> QuerySet[LocalKeyArea]:
    """The plan's key areas in Appendix two order, with action counts."""
    return (
        LocalKeyArea.objects.filter(local_plan=plan)
        .select_related("key_area__theme")
        .annotate(
            action_count=Count("actions", distinct=True),
            open_count=Count(
                "actions", filter=Q(actions__status__in=OPEN_STATUSES), distinct=True
            ),
        )
        .order_by("key_area__theme__position", "key_area__position")
    )


def key_area_page(*, plan: LocalPlan, key_area_slug: str) -> LocalKeyArea:
    """One key area with its requirements (links, assessment), actions (team, owner, links,
    requirements) and commentary (links) prefetched: a fixed number of queries."""
    requirements = Requirement.objects.order_by("position").prefetch_related(
        "links",
        Prefetch(
            "assessments",
            queryset=RequirementAssessment.objects.filter(local_plan=plan),
            to_attr="plan_assessments",
        ),
    )
    return (
        LocalKeyArea.objects.filter(local_plan=plan, key_area__slug=key_area_slug)
        .select_related("key_area__theme", "local_plan__council",
                        "carried_from__local_plan", "carried_from__key_area")
        .prefetch_related(
            Prefetch("key_area__requirements", queryset=requirements),
            Prefetch(
                "actions",
                queryset=LocalAction.objects.select_related(
                    "team", "owner", "carried_from__local_key_area__local_plan")
                .prefetch_related("links", "requirements")
                .order_by("position", "id"),
            ),
            Prefetch(
                "commentary",
                queryset=Commentary.objects.prefetch_related("links").order_by("position", "id"),
            ),
        )
        .get()
    )

