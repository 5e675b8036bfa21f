"""Writes made by signing in."""

import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from winterplan.permissions import ADMIN, ROLES, role_of

LOGGER = logging.getLogger(__name__)


@transaction.atomic
def user_role_set_from_claims(*, user, claims: dict) -> bool:
    """With OIDC_ROLE_CLAIM and OIDC_ROLE_MAP set, the user's role becomes the highest role the
    token's groups map to, on every sign-in, with history; False when none maps (no access).
    Without them, or for an admin, the role stays as managed here."""
    claim, mapping = settings.OIDC_ROLE_CLAIM, settings.OIDC_ROLE_MAP
    if not (claim and mapping) or role_of(user) == ADMIN:
        return True
    unknown = set(mapping.values()) - set(ROLES) | ({ADMIN} & set(mapping.values()))
    if unknown:
        raise ImproperlyConfigured(f"OIDC_ROLE_MAP names roles it may not give: {unknown}")
    values = claims.get(claim) or []
    values = [values] if isinstance(values, str) else values
    mapped = {mapping[value] for value in values if value in mapping}
    role = next((name for name in ROLES if name in mapped), None)
    council_roles = set(ROLES) - {ADMIN}
    held = [group for group in user.groups.all() if group.name in council_roles]
    user._history_user = user  # the person signing in, as their provider vouches
    user._change_reason = f"Role from council sign-in ({claim})"
    stale = [group for group in held if group.name != role]
    if stale:
        user.groups.remove(*stale)
    if role and role not in {group.name for group in held}:
        user.groups.add(Group.objects.get(name=role))
    if stale or (role and role not in {group.name for group in held}):
        LOGGER.info("Role of %s set to %s from the %s claim", user.username, role, claim)
    user.__dict__.pop("_winterplan_role", None)
    return role is not None
