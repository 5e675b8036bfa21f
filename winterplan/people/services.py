"""Writes for people: councils, invitations and the accounts they become, roles, deactivation.

Every change names who made it in history (`_history_user`), whether it comes from a web
request or not. The rules a manager must keep (never an admin, never another council, never
the council's last active manager) are checked here as well as in the views.
"""

import datetime
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from winterplan import permissions
from winterplan.models import Council, Region, Team, User
from winterplan.people import selectors
from winterplan.people.models import Invitation, InvitationStatus, token_digest

LinkFor = Callable[[str], str]


class InvitationUnusable(Exception):
    """An invitation link that cannot be used, with why (an `InvitationStatus` or "invalid",
    "deactivated")."""

    def __init__(self, reason: str, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def _valid_for() -> datetime.timedelta:
    return datetime.timedelta(days=settings.INVITATION_VALID_DAYS)


def _role_group(role: str) -> Group:
    if role not in permissions.INVITABLE_ROLES:
        raise ValidationError({"role": "Choose officer, committee member or manager."},
                              code="role")
    return Group.objects.get_or_create(name=role)[0]


@transaction.atomic
def council_create(*, by: User, name: str, slug: str, address: str, dass_name: str,
                   region: Region | None = None, gss_code: str | None = None,
                   dass_title: str = "Director of Adult Social Services",
                   telephone: str = "", email: str = "", website: str = "",
                   teams: list[str] = ()) -> Council:
    """An admin adds a council with its letterhead details and its teams (names unique)."""
    if not permissions.can_manage_councils(by):
        raise ValidationError("Only an administrator adds a council.", code="forbidden")
    council = Council(name=name, slug=slug, region=region, gss_code=gss_code or None,
                      address=address,
                      dass_name=dass_name, dass_title=dass_title, telephone=telephone,
                      email=email, website=website)
    council.full_clean()
    council._history_user = by
    council.save()
    for team_name in dict.fromkeys(t.strip() for t in teams if t.strip()):
        team = Team(council=council, name=team_name)
        team.full_clean()
        team._history_user = by
        team.save()
    return council


def _send_invitation(invitation: Invitation, token: str, link_for: LinkFor) -> None:
    context = {"invitation": invitation, "link": link_for(token),
               "days": settings.INVITATION_VALID_DAYS}
    send_mail(
        subject=f"You are invited to Winter Plan Tracker for {invitation.council.name}",
        message=render_to_string("people/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def _new_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_digest(token)
    invitation.sent_at = timezone.now()
    invitation.expires_at = invitation.sent_at + _valid_for()
    return token


@transaction.atomic
def invitation_create(*, by: User, council: Council, email: str, role: str,
                      team: Team | None, link_for: LinkFor) -> Invitation:
    """A people manager invites someone to their council with a role (never admin) and a team
    of that council; the link is e-mailed (nothing is saved if it cannot be sent)."""
    if not permissions.can_manage_people(by, council):
        raise ValidationError("You cannot invite people to this council.", code="forbidden")
    group = _role_group(role)
    email = User.objects.normalize_email(email).strip()
    if team is not None and team.council_id != council.pk:
        raise ValidationError({"team": "Choose one of the council's teams."}, code="team")
    existing = selectors.email_in_use(email)
    if existing is not None:
        message = ("This address already has an account that is deactivated: reactivate it "
                   "instead." if not existing.is_active and existing.council_id == council.pk
                   else "This address already has an account.")
        raise ValidationError({"email": message}, code="exists")
    if Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True,
                                 cancelled_at__isnull=True).exists():
        raise ValidationError(
            {"email": "This address already has an open invitation: resend or cancel it."},
            code="open")
    invitation = Invitation(council=council, email=email, role=group.name, team=team,
                            invited_by=by)
    token = _new_token(invitation)
    invitation.full_clean()
    invitation._history_user = by
    invitation.save()
    _send_invitation(invitation, token, link_for)
    return invitation


@transaction.atomic
def invitation_resend(*, by: User, invitation: Invitation, link_for: LinkFor) -> Invitation:
    """E-mail a new link valid for another INVITATION_VALID_DAYS; the old link stops working."""
    if not permissions.can_manage_people(by, invitation.council):
        raise ValidationError("You cannot manage this invitation.", code="forbidden")
    if invitation.accepted_at or invitation.cancelled_at:
        raise ValidationError("This invitation is closed: send a new one.", code="closed")
    token = _new_token(invitation)
    invitation._history_user = by
    invitation._change_reason = "resent"
    invitation.save()
    _send_invitation(invitation, token, link_for)
    return invitation


@transaction.atomic
def invitation_cancel(*, by: User, invitation: Invitation) -> Invitation:
    """Cancel an open invitation: its link stops working."""
    if not permissions.can_manage_people(by, invitation.council):
        raise ValidationError("You cannot manage this invitation.", code="forbidden")
    if invitation.accepted_at:
        raise ValidationError("This invitation was accepted: deactivate the account instead.",
                              code="closed")
    if invitation.cancelled_at is None:
        invitation.cancelled_at = timezone.now()
        invitation._history_user = by
        invitation._change_reason = "cancelled"
        invitation.save()
    return invitation


def invitation_check(invitation: Invitation | None) -> Invitation:
    """The invitation if its link can be used now, else `InvitationUnusable` saying why."""
    if invitation is None:
        raise InvitationUnusable("invalid")
    if invitation.user is not None and not invitation.user.is_active:
        raise InvitationUnusable("deactivated", invitation)
    status = invitation.status
    if status != InvitationStatus.PENDING:
        raise InvitationUnusable(status, invitation)
    existing = selectors.email_in_use(invitation.email)
    if existing is not None:
        raise InvitationUnusable("deactivated" if not existing.is_active else "accepted",
                                 invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, first_name: str, last_name: str,
                      password: str | None) -> User:
    """Turn a usable invitation into an account (username: the e-mail address) with its role
    and team; the link then never works again. `password` None leaves no usable password
    (for sign-in by another route)."""
    found = selectors.invitation_for_token(token)
    if found is not None:  # lock it, so two submissions of one link make one account
        found = Invitation.objects.select_for_update(of=("self",)).select_related(
            "council", "team", "user").get(pk=found.pk)
    return _account_from(invitation_check(found), first_name=first_name, last_name=last_name,
                         password=password)


@transaction.atomic
def invitation_accept_by_sign_in(*, invitation: Invitation, first_name: str,
                                 last_name: str) -> User:
    """Single sign-on with the invited address (verified by the council's provider) accepts an
    open invitation: the account is made with its role and team and no usable password."""
    locked = Invitation.objects.select_for_update(of=("self",)).select_related(
        "council", "team", "user").get(pk=invitation.pk)
    return _account_from(invitation_check(locked), first_name=first_name,
                         last_name=last_name, password=None)


def _account_from(invitation: Invitation, *, first_name: str, last_name: str,
                  password: str | None) -> User:
    user = User(username=invitation.email, email=invitation.email, first_name=first_name,
                last_name=last_name, council=invitation.council, team=invitation.team)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user._history_user = invitation.invited_by
    user._change_reason = f"invitation accepted ({invitation.email})"
    user.save()
    user.groups.set([_role_group(invitation.role)])
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation._history_user = user
    invitation._change_reason = "accepted"
    invitation.save()
    return user


def _require_person(by: User, person: User) -> None:
    if not permissions.can_manage_person(by, person):
        raise ValidationError("You cannot change this account.", code="forbidden")


def _keeps_a_manager(person: User, *, losing: bool) -> None:
    """Refuse a change that would leave the council with no active manager."""
    if (losing and person.is_active and permissions.role_of(person) == permissions.MANAGER
            and selectors.active_manager_count(person.council) <= 1):
        raise ValidationError(
            f"{person} is the only active manager of {person.council}: make someone else a "
            "manager first.", code="last_manager")


@transaction.atomic
def person_update(*, by: User, person: User, role: str, team: Team | None) -> User:
    """Change an account's role (officer, committee, manager) and team; the council keeps at
    least one active manager."""
    _require_person(by, person)
    group = _role_group(role)
    if team is not None and team.council_id != person.council_id:
        raise ValidationError({"team": "Choose one of the council's teams."}, code="team")
    _keeps_a_manager(person, losing=role != permissions.MANAGER)
    person._history_user = by
    if person.team_id != (team.pk if team else None):
        person.team = team
        person.save(update_fields=["team"])
    if permissions.role_of(person) != role:
        person.groups.set([group])
        person._winterplan_role = role
    return person


@transaction.atomic
def person_deactivate(*, by: User, person: User) -> User:
    """Stop an account signing in (it stays, so history keeps who did what); never your own,
    never the council's last active manager."""
    _require_person(by, person)
    _keeps_a_manager(person, losing=True)
    if person.pk == by.pk:
        raise ValidationError("You cannot deactivate your own account.", code="self")
    if person.is_active:
        person.is_active = False
        person._history_user = by
        person._change_reason = "deactivated"
        person.save(update_fields=["is_active"])
    return person


@transaction.atomic
def person_reactivate(*, by: User, person: User) -> User:
    """Let a deactivated account sign in again."""
    _require_person(by, person)
    if not person.is_active:
        person.is_active = True
        person._history_user = by
        person._change_reason = "reactivated"
        person.save(update_fields=["is_active"])
    return person
