"""Reads for the sign-in pages."""

from django.contrib.auth import get_user_model

from winterplan.models import Council
from winterplan.permissions import MANAGER


def council_to_ask(*, user=None, email: str = "") -> Council | None:
    """The council a refused person belongs to: the matched user's, else the one council whose
    users' addresses share the e-mail's domain (none when several or none do)."""
    if user is not None:
        return user.council
    domain = email.rpartition("@")[2]
    if not domain:
        return None
    ids = set(get_user_model().objects.filter(
        email__iendswith=f"@{domain}", council__isnull=False
    ).values_list("council", flat=True)[:2])
    return Council.objects.get(pk=ids.pop()) if len(ids) == 1 else None


def council_managers(council: Council | None):
    """The council's active managers, by name: whom to ask for access."""
    if council is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(
        council=council, is_active=True, groups__name=MANAGER
    ).distinct().order_by("first_name", "last_name", "username")
