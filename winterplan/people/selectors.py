"""Reads for the people pages: a council's accounts and invitations, an invitation by link."""

from django.contrib.auth.models import Group
from django.db.models import Prefetch, Q, QuerySet

from winterplan import permissions
from winterplan.models import Council, User
from winterplan.people.models import Invitation, token_digest


def council_people(council: Council) -> QuerySet[User]:
    """The council's accounts, active first, with their roles and team in three queries."""
    return (
        User.objects.filter(council=council)
        .select_related("team")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.only("name")))
        .order_by("-is_active", "last_name", "first_name", "username")
    )


def council_open_invitations(council: Council) -> QuerySet[Invitation]:
    """The council's invitations neither accepted nor cancelled (expired ones included)."""
    return (
        Invitation.objects.filter(council=council, accepted_at__isnull=True,
                                  cancelled_at__isnull=True)
        .select_related("team", "invited_by")
        .order_by("email")
    )


def active_manager_count(council: Council) -> int:
    """How many active managers the council has (it must keep at least one)."""
    return (
        User.objects.filter(council=council, is_active=True, groups__name=permissions.MANAGER)
        .exclude(is_superuser=True)
        .distinct()
        .count()
    )


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token opens, or None for a token that matches none."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("council", "team", "user")
        .filter(token_hash=token_digest(token))
        .first()
    )


def pending_invitation_for_email(email: str) -> Invitation | None:
    """The open, unexpired invitation for an e-mail address (for sign-in by another route)."""
    from django.utils import timezone

    return (
        Invitation.objects.select_related("council", "team")
        .filter(email__iexact=email, accepted_at__isnull=True, cancelled_at__isnull=True,
                expires_at__gt=timezone.now())
        .first()
    )


def email_in_use(email: str) -> User | None:
    """The account that already uses an e-mail address (as e-mail or username), if any."""
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()
