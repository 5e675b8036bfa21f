"""Who may do what: the roles and one predicate per decision.

Roles are Django groups. A user's role is the highest of their groups (admin > manager >
officer > committee); a superuser is an admin. Every user except an admin belongs to one
council and sees only that council's data: `council_scope` is the one place that rule lives.
"""

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

QS = TypeVar("QS", bound=QuerySet)

OFFICER = "officer"
COMMITTEE = "committee"
MANAGER = "manager"
ADMIN = "admin"

#: Highest first.
ROLES = (ADMIN, MANAGER, OFFICER, COMMITTEE)
ROLE_LABELS = {
    ADMIN: "Administrator",
    MANAGER: "Manager",
    OFFICER: "Officer",
    COMMITTEE: "Committee member",
}
EDITING_ROLES = frozenset({OFFICER, MANAGER, ADMIN})
APPROVING_ROLES = frozenset({MANAGER, ADMIN})


def role_of(user) -> str | None:
    """The user's highest role, or None for an anonymous user or one with no role."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_winterplan_role", False)
    if cached is not False:
        return cached
    if user.is_superuser:
        role = ADMIN
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = next((name for name in ROLES if name in names), None)
    user._winterplan_role = role
    return role


def can_edit(user) -> bool:
    """Officers, managers and admins change plan and provider data; committee members read."""
    return role_of(user) in EDITING_ROLES


def can_approve(user) -> bool:
    """Managers and admins approve plans and letters and export the DHSC letter."""
    return role_of(user) in APPROVING_ROLES


def require(allowed: bool) -> None:
    """Refuse with 403 when a signed-in user lacks the role for what they ask."""
    if not allowed:
        raise PermissionDenied


def council_scope(queryset: QS, user, council_field: str = "council") -> QS:
    """Limit `queryset` to the user's council (everything for admins, nothing without a role)."""
    role = role_of(user)
    if role == ADMIN:
        return queryset
    if role is None or user.council_id is None:
        return queryset.none()
    return queryset.filter(**{council_field: user.council_id})


def council_editors(users: QS, council_id: int) -> QS:
    """The council's active officers and managers: the only people who may own an action."""
    return users.filter(
        council_id=council_id, is_active=True, groups__name__in=(OFFICER, MANAGER)
    ).distinct()


# People: who manages a council's accounts (winterplan/people/).

#: The roles a manager may give: never admin (admins are made by admins, in the admin).
INVITABLE_ROLES = (OFFICER, COMMITTEE, MANAGER)
PEOPLE_MANAGING_ROLES = frozenset({MANAGER, ADMIN})


def can_manage_people(user, council) -> bool:
    """A manager manages their own council's people (invite, change roles, deactivate); an
    admin every council's."""
    role = role_of(user)
    if role == ADMIN:
        return True
    return role == MANAGER and council is not None and user.council_id == council.pk


def can_manage_person(user, person) -> bool:
    """A people manager may change an account of the council they manage, never an admin's."""
    return role_of(person) != ADMIN and can_manage_people(user, person.council)


def can_manage_councils(user) -> bool:
    """Only admins add councils."""
    return role_of(user) == ADMIN
