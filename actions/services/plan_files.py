"""Load national and local plans from their YAML files (see README, "Data formats").

Both loaders are all-or-nothing (one transaction), validate every row, and name the place in
the file of any error. Run twice on the same file they write nothing the second time.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from actions.deadlines import parse_deadline
from actions.models import (
    ActionLink,
    ActionStatus,
    Commentary,
    CommentaryLink,
    KeyArea,
    LocalAction,
    LocalKeyArea,
    LocalPlan,
    NationalPlan,
    Requirement,
    RequirementAssessment,
)
from winterplan import permissions
from winterplan.history import history_moment
from winterplan.models import Council, Team, User
from winterplan.sync import RowError, read_yaml, upsert  # noqa: F401 (read_yaml: used by callers)


def _required(data: dict[str, Any], key: str, where: str) -> Any:
    if data.get(key) in (None, ""):
        raise RowError(where, f"“{key}” is required.")
    return data[key]


def _date(value: Any, where: str, key: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(str(value), "%d/%m/%Y").date()
    except ValueError:
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            raise RowError(where, f"{key}: “{value}” is not a date (dd/mm/yyyy).") from None


def _sync_links(model, *, parent_field: str, parent, links: list[dict], where: str, update: bool,
                history_date=None):
    written = 0
    for position, link in enumerate(links or [], start=1):
        link_where = f"{where}, link {position}"
        _, changed = upsert(
            model,
            where=link_where,
            lookup={parent_field: parent, "position": position},
            values={
                "title": _required(link, "title", link_where),
                "url": _required(link, "url", link_where),
            },
            update=update,
            history_date=history_date,
        )
        written += changed
    if update:
        stale = model._default_manager.filter(**{parent_field: parent}, position__gt=len(links))
        written += stale.count()
        stale.delete()
    return written


def _columns(columns: dict[str, Any]) -> dict[str, Any]:
    """The plan file's `columns:` (headings and whether part headings print), with DHSC's
    Appendix two for what it leaves out."""
    from actions.models import (
        DEFAULT_COMMENTARY_HEADING,
        DEFAULT_REQUIREMENTS_HEADING,
        DEFAULT_RESPONSIBLE_HEADING,
    )

    return {
        "requirements_heading": str(columns.get("requirements", DEFAULT_REQUIREMENTS_HEADING)
                                    or ""),
        "responsible_heading": columns.get("responsible") or DEFAULT_RESPONSIBLE_HEADING,
        "commentary_heading": columns.get("commentary") or DEFAULT_COMMENTARY_HEADING,
        "part_headings_shown": bool(columns.get("part_headings", True)),
    }


@transaction.atomic
def national_plan_import(data: dict[str, Any], *, update: bool = True) -> tuple[NationalPlan, int]:
    """Create or update a national plan with its themes, key areas and requirements.

    The sample loader's entry point (see actions.plan_imports.services for files, previews and
    re-import rules). Returns the plan and the number of rows written; raises RowError.
    """
    from actions.plan_imports.services import PlanImportRefused, plan_import_apply

    try:
        report = plan_import_apply(data=data, update=update)
    except PlanImportRefused as refused:
        first = refused.report.errors[0]
        raise RowError(f"national plan {data.get('slug', '?')}, {first.where}",
                       f"{first.field}: {first.message}") from None
    return report.plan, report.written


def _requirement_at(key_area: KeyArea, position: int | None, where: str) -> Requirement | None:
    if position in (None, ""):
        return None
    try:
        return key_area.requirements.get(position=int(position))
    except (Requirement.DoesNotExist, ValueError):
        raise RowError(
            where, f"requirement {position} does not exist in key area “{key_area.title}”."
        ) from None


@transaction.atomic
def local_plan_import(
    data: dict[str, Any], *, update: bool = True, owners: bool = True
) -> tuple[LocalPlan, int]:
    """Create or update a council's local plan: key-area answers, actions and commentary.

    An action's `owner` names an officer or manager of the council by username (`owners=False`
    leaves actions unowned, e.g. when the sample's demo users are not loaded).
    Rows it creates are dated in history at the start of the plan's as-at date (what the file
    describes was true then); changes to existing rows are dated now. Returns the plan and the
    number of rows written.
    """
    where = f"local plan {data.get('slug', '?')}"
    council_slug = _required(data, "council", where)
    try:
        council = Council.objects.get(slug=council_slug)
    except Council.DoesNotExist:
        raise RowError(where, f"no council with slug “{council_slug}”.") from None
    national_slug = _required(data, "national_plan", where)
    try:
        national_plan = NationalPlan.objects.get(slug=national_slug)
    except NationalPlan.DoesNotExist:
        raise RowError(where, f"no national plan with slug “{national_slug}”.") from None

    as_at = _date(_required(data, "as_at", where), where, "as_at")
    moment = history_moment(as_at)
    plan, written = upsert(
        LocalPlan,
        where=where,
        lookup={"slug": _required(data, "slug", where)},
        values={
            "council": council,
            "national_plan": national_plan,
            "title": _required(data, "title", where),
            "as_at": as_at,
            "status": data.get("status", LocalPlan.Status.DRAFT),
        },
        update=update,
        history_date=moment,
    )
    written = int(written)
    key_areas = {area.slug: area for area in national_plan.key_areas.all()}
    teams: dict[str, Team] = {}

    def team_named(name: str, team_where: str) -> Team:
        if name not in teams:
            team, created = upsert(
                Team, where=team_where, lookup={"council": council, "name": name}, values={}
            )
            teams[name] = team
            nonlocal written
            written += created
        return teams[name]

    editors: dict[str, User] = {}

    def owner_named(username: str | None, owner_where: str) -> User | None:
        """An action's owner: an officer or manager of the plan's council, by username."""
        if not username or not owners:
            return None
        if username not in editors:
            user = permissions.council_editors(
                User.objects.filter(username=username), council.pk).first()
            if user is None:
                raise RowError(owner_where, f"owner “{username}” is not an officer or manager "
                                            f"of {council}.")
            editors[username] = user
        return editors[username]

    # Every key area of the national plan gets an answer row, even one the file leaves out.
    answers = {item["key_area"]: item for item in data.get("key_areas") or [] if "key_area" in item}
    unknown = sorted(set(answers) - set(key_areas))
    if unknown:
        raise RowError(where, f"unknown key area(s): {', '.join(unknown)}.")
    for slug, key_area in key_areas.items():
        item = answers.get(slug, {})
        area_where = f"{where}, key area {slug}"
        local_area, changed = upsert(
            LocalKeyArea,
            where=area_where,
            lookup={"local_plan": plan, "key_area": key_area},
            values={
                "responsible_team": (item.get("responsible_team") or "").strip(),
                "narrative": (item.get("narrative") or "").strip(),
            },
            update=update,
            history_date=moment,
        )
        written += changed
        written += _import_actions(local_area, key_area, item.get("actions") or [], area_where,
                                   team_named, owner_named, update, moment)
        written += _import_commentary(local_area, key_area, item.get("commentary") or [],
                                      area_where, update, moment)
        for requirement in key_area.requirements.all():
            if requirement.is_assessable:
                _, changed = upsert(
                    RequirementAssessment,
                    where=f"{area_where}, requirement {requirement.position}",
                    lookup={"local_plan": plan, "requirement": requirement},
                    values={},
                    history_date=moment,
                )
                written += changed
    plan.__dict__.pop("_history_date", None)  # the caller's own saves are dated when made
    return plan, written


def _import_actions(local_area, key_area, actions, where, team_named, owner_named,
                    update, moment) -> int:
    written = 0
    for position, action_data in enumerate(actions, start=1):
        action_where = f"{where}, action {position}"
        try:
            deadline = parse_deadline(_required(action_data, "deadline", action_where))
        except ValidationError as error:
            raise RowError(action_where, error) from error
        team = team_named(_required(action_data, "team", action_where), action_where)
        action, changed = upsert(
            LocalAction,
            where=action_where,
            lookup={"local_key_area": local_area, "position": position},
            values={
                "text": _required(action_data, "text", action_where).strip(),
                "team": team,
                "owner": owner_named(action_data.get("owner"), action_where),
                "deadline": deadline.date,
                "deadline_ongoing": deadline.ongoing,
                "status": action_data.get(
                    "status",
                    ActionStatus.ONGOING if deadline.ongoing else ActionStatus.IN_PROGRESS,
                ),
            },
            update=update,
            history_date=moment,
        )
        written += changed
        wanted = {
            _requirement_at(key_area, number, action_where).pk
            for number in action_data.get("requirements") or []
        }
        if changed or update:
            current = set(action.requirements.values_list("pk", flat=True))
            if current != wanted:
                action.requirements.set(wanted)
                written += 1
        written += _sync_links(
            ActionLink,
            parent_field="action",
            parent=action,
            links=action_data.get("links") or [],
            where=action_where,
            update=update,
            history_date=moment,
        )
    if update:
        stale = local_area.actions.filter(position__gt=len(actions))
        written += stale.count()
        stale.delete()
    return written


def _import_commentary(local_area, key_area, bullets, where, update, moment) -> int:
    written = 0
    position = 0
    for number, bullet in enumerate(bullets, start=1):
        bullet_where = f"{where}, commentary {number}"
        requirement = _requirement_at(key_area, bullet.get("requirement"), bullet_where)
        rows = [(0, _required(bullet, "text", bullet_where), bullet.get("links") or [])]
        rows += [(1, text, []) for text in bullet.get("subitems") or []]
        for indent, text, links in rows:
            position += 1
            row, changed = upsert(
                Commentary,
                where=bullet_where,
                lookup={"local_key_area": local_area, "position": position},
                values={"requirement": requirement, "indent": indent, "text": text.strip()},
                update=update,
                history_date=moment,
            )
            written += changed
            written += _sync_links(
                CommentaryLink,
                parent_field="commentary",
                parent=row,
                links=links,
                where=bullet_where,
                update=update,
                history_date=moment,
            )
    if update:
        stale = local_area.commentary.filter(position__gt=position)
        written += stale.count()
        stale.delete()
    return written
