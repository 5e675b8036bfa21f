"""Reads for the plan pages. Each selector decides what is joined, so a page's query count does
not grow with its rows."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

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
    mine: list[LocalAction]
    team_actions: list[LocalAction]
    totals: dict[str, int]
    compliance: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.totals.values())


def plan_dashboard(*, plan: LocalPlan, as_at: datetime.date, user) -> Dashboard:
    """Counts by status and RAG per theme, overdue and due-soon actions, and the user's own and
    their team's actions, as at `as_at` (a fixed number of queries whatever the plan's size)."""
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
    # Only editors own actions (a committee member only reads), so only they get "My actions".
    mine = list(listed.filter(owner=user)[:50]) if permissions.can_edit(user) else []
    team_actions = (
        list(listed.filter(team_id=user.team_id).exclude(owner=user)[:50])
        if getattr(user, "team_id", None)
        else []
    )
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
        mine=mine,
        team_actions=team_actions,
        totals=totals,
        compliance={row["compliance"]: row["n"] for row in compliance_rows},
    )


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
        .select_related("key_area__theme", "local_plan__council")
        .prefetch_related(
            Prefetch("key_area__requirements", queryset=requirements),
            Prefetch(
                "actions",
                queryset=LocalAction.objects.select_related("team", "owner")
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

