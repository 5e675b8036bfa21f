"""Year on year: last winter's state of each key area beside this winter's, in fixed queries."""

from dataclasses import dataclass, field

from django.db.models import Count

from actions.models import ActionStatus, LocalAction, LocalKeyArea, LocalPlan


@dataclass
class AreaStatus:
    """A key area's actions by status, and a one-line summary of them."""

    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def complete(self) -> int:
        return self.counts.get(ActionStatus.COMPLETE, 0)

    @property
    def summary(self) -> str:
        if not self.total:
            return "No actions"
        return f"{self.complete} of {self.total} complete"


@dataclass
class YearOnYearRow:
    area: LocalKeyArea
    this_winter: AreaStatus
    last_winter: AreaStatus | None  # None: a key area new this winter


@dataclass
class YearOnYear:
    plan: LocalPlan
    predecessor: LocalPlan
    rows: list[YearOnYearRow]

    def row_for(self, key_area_id: int) -> YearOnYearRow | None:
        return next((row for row in self.rows if row.area.key_area_id == key_area_id), None)


def _statuses(plan_ids: list[int]) -> dict[int, AreaStatus]:
    """Actions by status per local key area of the plans, in one query."""
    statuses: dict[int, AreaStatus] = {}
    rows = (LocalAction.objects.filter(local_key_area__local_plan_id__in=plan_ids)
            .values("local_key_area_id", "status").annotate(n=Count("id")).order_by())
    for row in rows:
        statuses.setdefault(row["local_key_area_id"], AreaStatus()).counts[row["status"]] = row["n"]
    return statuses


def year_on_year(plan: LocalPlan) -> YearOnYear | None:
    """For a plan started from last winter's: every key area with this winter's and last
    winter's action status (three queries whatever the number of areas); None otherwise."""
    if plan.carried_from_id is None:
        return None
    predecessor = LocalPlan.objects.select_related("national_plan").get(pk=plan.carried_from_id)
    areas = list(LocalKeyArea.objects.filter(local_plan=plan)
                 .select_related("key_area__theme", "carried_from__key_area")
                 .order_by("key_area__theme__position", "key_area__position"))
    statuses = _statuses([plan.pk, predecessor.pk])
    rows = [YearOnYearRow(
        area=area, this_winter=statuses.get(area.pk, AreaStatus()),
        last_winter=(statuses.get(area.carried_from_id, AreaStatus())
                     if area.carried_from_id else None),
    ) for area in areas]
    return YearOnYear(plan=plan, predecessor=predecessor, rows=rows)


def deadlines_needed(plan: LocalPlan):
    """Carried-forward actions with no deadline yet, for the officer to set."""
    return (LocalAction.objects.for_plan(plan)
            .filter(deadline__isnull=True, deadline_ongoing=False)
            .select_related("local_key_area__key_area__theme", "team", "owner")
            .order_by("local_key_area__key_area__theme__position",
                      "local_key_area__key_area__position", "position", "id"))


def winter_plans(council_id: int):
    """Every winter plan of the council, newest first."""
    return (LocalPlan.objects.filter(council_id=council_id).select_related("national_plan")
            .order_by("-as_at"))


@dataclass
class AreaYearOnYear:
    last_area: LocalKeyArea
    this_winter: AreaStatus
    last_winter: AreaStatus


def area_year_on_year(area: LocalKeyArea) -> AreaYearOnYear | None:
    """This winter's and last winter's action status for one key area carried from last
    winter (one query; `area.carried_from` joined by the caller), else None."""
    if area.carried_from_id is None:
        return None
    statuses: dict[int, AreaStatus] = {}
    rows = (LocalAction.objects.filter(local_key_area_id__in=[area.pk, area.carried_from_id])
            .values("local_key_area_id", "status").annotate(n=Count("id")).order_by())
    for row in rows:
        statuses.setdefault(row["local_key_area_id"], AreaStatus()).counts[row["status"]] = row["n"]
    return AreaYearOnYear(last_area=area.carried_from,
                          this_winter=statuses.get(area.pk, AreaStatus()),
                          last_winter=statuses.get(area.carried_from_id, AreaStatus()))
