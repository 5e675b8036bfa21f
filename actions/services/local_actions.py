"""Changes to a local plan: actions, commentary, compliance and key-area text.

Every write goes through here: validated with full_clean(), recorded in history with the user
(django-simple-history, via `_history_user`), and guarded by optimistic locking — a save based
on an older version than the stored one is refused with the other person's changes, so
nothing is silently overwritten.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from actions.models import (
    ActionLink,
    ActionStatus,
    Commentary,
    CommentaryLink,
    LocalAction,
    LocalKeyArea,
    LocalPlan,
    RequirementAssessment,
)
from winterplan import permissions
from winterplan.models import User

CHANGED_MEANWHILE = "Nothing was saved: this was changed meanwhile. Open the page again."

ACTION_FIELDS = ("text", "team", "owner", "deadline", "deadline_ongoing", "status")
NOT_AN_EDITOR = "Choose an officer or manager of the plan's council as the owner."


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str


class EditConflict(Exception):
    """Someone else saved the object after the editor opened it."""

    def __init__(self, current, changes: list[FieldChange], changed_by, changed_at,
                 original=None):
        self.current = current
        self.original = original if original is not None else current
        self.changes = changes
        self.changed_by = changed_by
        self.changed_at = changed_at
        super().__init__("The object was changed by someone else.")


def _display(instance, name: str) -> str:
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def version_as_saved(instance, version: int):
    """The instance as it was saved at `version`, from its history (None if unknown)."""
    record = (
        instance.history.filter(version=version).order_by("-history_date", "-history_id").first()
    )
    return record.instance if record else None


def changes_since(instance, old_instance, fields: tuple[str, ...]) -> list[FieldChange]:
    """What changed between `old_instance` (an earlier version) and `instance`."""
    if old_instance is None:
        return []
    changes = []
    for name in fields:
        before, after = _display(old_instance, name), _display(instance, name)
        if before != after:
            label = str(instance._meta.get_field(name).verbose_name).capitalize()
            changes.append(FieldChange(name, label, before, after))
    return changes


def _conflict(instance, expected_version: int, fields) -> EditConflict:
    latest = instance.history.order_by("-history_date", "-history_id").first()
    original = version_as_saved(instance, expected_version)
    return EditConflict(
        current=instance,
        changes=changes_since(instance, original, fields),
        changed_by=latest.history_user if latest else None,
        changed_at=latest.history_date if latest else None,
        original=original,
    )


def _check_owner(action: LocalAction) -> None:
    """An action's owner is an officer or manager of the plan's council (or nobody)."""
    if action.owner_id is None:
        return
    council_id = LocalKeyArea.objects.filter(pk=action.local_key_area_id).values_list(
        "local_plan__council_id", flat=True).get()
    if not permissions.council_editors(User.objects.filter(pk=action.owner_id),
                                       council_id).exists():
        raise ValidationError({"owner": NOT_AN_EDITOR})


def _locked(model, pk: int):
    return model.objects.select_for_update().get(pk=pk)


def _save(instance, user) -> None:
    instance._history_user = user
    instance.full_clean()
    instance.save()


def _sync_links(model, parent_field: str, parent, links: list[dict[str, str]], user) -> None:
    """Make the parent's links exactly `links` (title, url), in order."""
    existing = list(model.objects.filter(**{parent_field: parent}).order_by("position", "id"))
    for position, link in enumerate(links, start=1):
        row = existing[position - 1] if position <= len(existing) else model(
            **{parent_field: parent}
        )
        if row.pk is None or (row.title, row.url, row.position) != (
            link["title"], link["url"], position
        ):
            row.title, row.url, row.position = link["title"], link["url"], position
            _save(row, user)
    for row in existing[len(links):]:
        row._history_user = user
        row.delete()


@transaction.atomic
def local_action_update(
    *,
    action: LocalAction,
    user,
    data: dict[str, Any],
    expected_version: int,
    requirements=None,
    links: list[dict[str, str]] | None = None,
) -> LocalAction:
    """Apply `data` to the action if nobody saved it since `expected_version`.

    Raises EditConflict (with what the other person changed) when the stored version is newer,
    ValidationError when the data is invalid.
    """
    current = _locked(LocalAction, action.pk)
    if current.version != expected_version:
        raise _conflict(current, expected_version, ACTION_FIELDS)
    owner_before = current.owner_id
    for name, value in data.items():
        setattr(current, name, value)
    if current.owner_id != owner_before:
        _check_owner(current)
    current.version += 1  # safe: the row is locked until the transaction ends
    _save(current, user)
    if requirements is not None and set(current.requirements.all()) != set(requirements):
        current._history_user = user
        current.requirements.set(requirements)
    if links is not None:
        _sync_links(ActionLink, "action", current, links, user)
    return current


@transaction.atomic
def local_action_create(
    *,
    local_key_area: LocalKeyArea,
    user,
    data: dict[str, Any],
    requirements=(),
    links: list[dict[str, str]] | None = None,
) -> LocalAction:
    """Add an action at the end of the key area's list."""
    last = local_key_area.actions.aggregate(last=Max("position"))["last"] or 0
    action = LocalAction(local_key_area=local_key_area, position=last + 1, **data)
    _check_owner(action)
    _save(action, user)
    if requirements:
        action._history_user = user
        action.requirements.set(requirements)
    if links:
        _sync_links(ActionLink, "action", action, links, user)
    return action


def local_action_complete(*, action: LocalAction, user, expected_version: int) -> LocalAction:
    """Mark the action complete (refused like any edit if someone saved it meanwhile)."""
    return local_action_update(
        action=action,
        user=user,
        data={"status": ActionStatus.COMPLETE},
        expected_version=expected_version,
    )





@transaction.atomic
def commentary_save(
    *,
    commentary: Commentary,
    user,
    data: dict[str, Any],
    expected_version: int | None,
    links: list[dict[str, str]] | None = None,
) -> Commentary:
    """Create (expected_version None) or update a commentary bullet, with optimistic locking."""
    if commentary.pk is None:
        last = commentary.local_key_area.commentary.aggregate(last=Max("position"))["last"] or 0
        commentary.position = last + 1
        for name, value in data.items():
            setattr(commentary, name, value)
        _save(commentary, user)
        current = commentary
    else:
        current = _locked(Commentary, commentary.pk)
        if current.version != expected_version:
            raise _conflict(current, expected_version, ("text", "requirement", "indent"))
        for name, value in data.items():
            setattr(current, name, value)
        current.version += 1
        _save(current, user)
    if links is not None:
        _sync_links(CommentaryLink, "commentary", current, links, user)
    return current


@transaction.atomic
def commentary_delete(*, commentary: Commentary, user, expected_version: int) -> None:
    current = _locked(Commentary, commentary.pk)
    if current.version != expected_version:
        raise _conflict(current, expected_version, ("text", "requirement", "indent"))
    current._history_user = user
    current.delete()


@transaction.atomic
def assessment_set(
    *, plan, requirement, compliance: str, user, expected_version: int
) -> RequirementAssessment:
    """Record the council's compliance judgement for one requirement, if nobody judged it since
    `expected_version` (0: the editor saw no judgement yet)."""
    if not requirement.is_assessable:
        raise ValidationError("A note asks nothing, so it has no compliance status.")
    # Lock the plan so that two first judgements of a requirement are made one after the other.
    LocalPlan.objects.select_for_update().only("pk").get(pk=plan.pk)
    assessment = RequirementAssessment.objects.select_for_update().filter(
        local_plan=plan, requirement=requirement
    ).first()
    if assessment is None:
        if expected_version != 0:
            raise ValidationError(CHANGED_MEANWHILE)
        assessment = RequirementAssessment(local_plan=plan, requirement=requirement, version=0)
    elif assessment.version != expected_version:
        raise _conflict(assessment, expected_version, ("compliance",))
    if assessment.pk is None or assessment.compliance != compliance:
        assessment.compliance = compliance
        assessment.version += 1
        _save(assessment, user)
    return assessment


@transaction.atomic
def local_key_area_update(
    *, local_key_area: LocalKeyArea, user, data: dict[str, Any], expected_version: int
) -> LocalKeyArea:
    """Change the team line or narrative of a key area, with optimistic locking."""
    current = _locked(LocalKeyArea, local_key_area.pk)
    if current.version != expected_version:
        raise _conflict(current, expected_version, ("responsible_team", "narrative"))
    for name, value in data.items():
        setattr(current, name, value)
    current.version += 1
    _save(current, user)
    return current
