"""Who may do what: the roles and one predicate per decision.

Roles are Django groups. A user's role is the highest of their groups (admin > national >
regional > manager > officer > committee); a superuser is an admin. A council's users belong
to it and see only its data; a regional reader sees every council of their ADASS region, a
national reader every council, and both change nothing. `council_scope` is the one place
those rules live.
"""

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

QS = TypeVar("QS", bound=QuerySet)

OFFICER = "officer"
COMMITTEE = "committee"
MANAGER = "manager"
ADMIN = "admin"
REGIONAL = "regional"
NATIONAL = "national"

#: Highest first.
ROLES = (ADMIN, NATIONAL, REGIONAL, MANAGER, OFFICER, COMMITTEE)
ROLE_LABELS = {
    ADMIN: "Administrator",
    NATIONAL: "National reader",
    REGIONAL: "Regional reader",
    MANAGER: "Manager",
    OFFICER: "Officer",
    COMMITTEE: "Committee member",
}
EDITING_ROLES = frozenset({OFFICER, MANAGER, ADMIN})
APPROVING_ROLES = frozenset({MANAGER, ADMIN})
#: Who starts a council's next winter plan in the browser (admins use `clone_plan`).
WINTER_STARTING_ROLES = frozenset({MANAGER})
#: Read every council of a region or of England; never change anything.
OVERSIGHT_ROLES = frozenset({REGIONAL, NATIONAL})
#: Who opens the roll-up across councils.
OVERSIGHT_READ_ROLES = OVERSIGHT_ROLES | {ADMIN}
#: The DHSC letter is read by the council's managers and by those who receive and oversee it.
LETTER_READ_ROLES = APPROVING_ROLES | OVERSIGHT_ROLES
#: The audit trail (who changed what, when) of a council: its managers, admins, and the
#: readers whose scope holds it; officers and committee members never.
AUDIT_READ_ROLES = APPROVING_ROLES | OVERSIGHT_ROLES


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


def can_read_audit(user) -> bool:
    """Managers, admins and regional and national readers read a council's audit trail (which
    council: `council_scope`)."""
    return role_of(user) in AUDIT_READ_ROLES


def require(allowed: bool) -> None:
    """Refuse with 403 when a signed-in user lacks the role for what they ask."""
    if not allowed:
        raise PermissionDenied


def council_scope(queryset: QS, user, council_field: str = "council") -> QS:
    """Limit `queryset` to the councils the user reads: their own council; a regional
    reader's region; every council for national readers and admins; nothing without a role."""
    role = role_of(user)
    if role in (ADMIN, NATIONAL):
        return queryset
    if role == REGIONAL:
        if user.region_id is None:
            return queryset.none()
        region_field = "region" if council_field == "pk" else f"{council_field}__region"
        return queryset.filter(**{region_field: user.region_id})
    if role is None or user.council_id is None:
        return queryset.none()
    return queryset.filter(**{council_field: user.council_id})


def can_oversee(user) -> bool:
    """Regional and national readers and admins see the roll-up across councils."""
    return role_of(user) in OVERSIGHT_READ_ROLES


def can_oversee_every_region(user) -> bool:
    """National readers and admins may open any region's roll-up; a regional reader only
    their own."""
    return role_of(user) in (NATIONAL, ADMIN)


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
