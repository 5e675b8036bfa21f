"""Writes for return links: issue (and e-mail), revoke, a provider's return through its link,
and reminders to homes that have not reported.

Issuing and revoking are for the council's editors (officers, managers; admins), recorded in
history with who. A provider's return goes through `daily_returns_save`, the staff service,
with its channel and link and no user; a second return the same day replaces the first (the
web form always, the API only when asked), and the replaced one stays in history.
"""

import datetime
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from providers.models import RETURNING_TYPES, DailyReturn, EnteredVia, Provider, ReturnLink
from providers.models.return_links import ReturnLinkStatus, token_digest
from providers.services.register import daily_returns_save
from winterplan import permissions

logger = logging.getLogger(__name__)

LinkFor = Callable[[str], str]
#: The change reason in the return's history when the provider sent it.
REASONS = {
    EnteredVia.LINK: "Entered by the provider via link",
    EnteredVia.API: "Sent by the provider's system (API)",
}
MAX_VALID_DAYS = 366


class LinkUnusable(Exception):
    """A token that opens nothing, with why: "invalid" (unknown or malformed: nothing more is
    said), "revoked" or "expired"."""

    def __init__(self, reason: str, link: ReturnLink | None = None):
        super().__init__(reason)
        self.reason = reason
        self.link = link


class DuplicateReturn(Exception):
    """The home already has a return for the day and the sender did not ask to replace it."""

    def __init__(self, existing: DailyReturn):
        super().__init__("duplicate")
        self.existing = existing


def _require_editor(user, provider: Provider) -> None:
    """Only the council's editors (and admins) manage its homes' links."""
    allowed = permissions.can_edit(user) and (
        permissions.role_of(user) == permissions.ADMIN or user.council_id == provider.council_id
    )
    if not allowed:
        raise PermissionDenied


@dataclass
class IssuedLink:
    link: ReturnLink
    #: The token, in clear: shown once on the page and in the e-mail, never stored.
    token: str
    url: str


@transaction.atomic
def return_link_issue(*, provider: Provider, user, link_for: LinkFor, days: int | None = None,
                      send_email: bool = False) -> IssuedLink:
    """Issue a care home a new link, valid for `days` (RETURN_LINK_VALID_DAYS by default), and
    e-mail it to the home's contact address if asked (nothing is saved if it cannot be sent).
    Older links keep working until they expire or are revoked."""
    _require_editor(user, provider)
    if provider.provider_type not in RETURNING_TYPES:
        raise ValidationError("Only care homes send daily returns.")
    days = settings.RETURN_LINK_VALID_DAYS if days is None else days
    if not 1 <= days <= MAX_VALID_DAYS:
        raise ValidationError({"days": f"Enter a number of days from 1 to {MAX_VALID_DAYS}."})
    if send_email and not provider.contact_email:
        raise ValidationError({"send_email": f"{provider.name} has no contact e-mail address: "
                                             "add one to the provider first."})
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = ReturnLink(provider=provider, token_hash=token_digest(token), created_at=now,
                      created_by=user, expires_at=now + datetime.timedelta(days=days),
                      emailed_to=provider.contact_email if send_email else "")
    link.full_clean()
    link._history_user = user
    link.save()
    url = link_for(token)
    if send_email:
        context = {"provider": provider, "council": provider.council, "url": url, "link": link,
                   "issued_by": user.get_full_name() or user.username}
        EmailMessage(
            subject=f"Send {provider.name}'s daily return to {provider.council.name}",
            body=render_to_string("providers/return_links/email/link.txt", context),
            to=[provider.contact_email],
        ).send()
    return IssuedLink(link=link, token=token, url=url)


@transaction.atomic
def return_link_revoke(*, link: ReturnLink, user) -> ReturnLink:
    """Revoke a link: it stops working at once (the web form and the API). Revoking twice
    changes nothing."""
    _require_editor(user, link.provider)
    link = ReturnLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is None:
        link.revoked_at, link.revoked_by = timezone.now(), user
        link._history_user = user
        link._change_reason = "revoked"
        link.save()
    return link


def return_link_check(link: ReturnLink | None) -> ReturnLink:
    """The link if it works now, else `LinkUnusable` saying why."""
    if link is None:
        raise LinkUnusable("invalid")
    status = link.status
    if status != ReturnLinkStatus.ACTIVE:
        raise LinkUnusable(status, link)
    return link


@transaction.atomic
def provider_return_save(*, link: ReturnLink, daily_return: DailyReturn, entered_via: str,
                         replace: bool) -> tuple[DailyReturn, bool]:
    """Store the return a provider sent with its link (validated by DailyReturnForm) for the
    link's home, then re-assess as the staff form does. Returns (the return, whether it
    replaced one). A return already there for the day is replaced when `replace`, else
    `DuplicateReturn`; a link revoked meanwhile is refused."""
    link = return_link_check(ReturnLink.objects.select_for_update().filter(pk=link.pk).first())
    if daily_return.provider_id != link.provider_id:  # the form is built from the link only
        raise PermissionDenied
    stored = (DailyReturn.objects.select_for_update()
              .filter(provider_id=link.provider_id, date=daily_return.date).first())
    if stored is not None and not replace:
        raise DuplicateReturn(stored)
    if stored is None:
        daily_return.pk = None  # deleted since the form was opened: a new return
        daily_return.version = 1
    else:
        daily_return.pk, daily_return.version = stored.pk, stored.version
    daily_returns_save(
        council=link.provider.council, entries=[(daily_return, daily_return.version
                                                 if stored else None)],
        entered_via=entered_via, return_link=link, reason=REASONS[entered_via],
    )
    ReturnLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    return daily_return, stored is not None


@dataclass
class RemindersResult:
    sent: list[Provider] = field(default_factory=list)
    no_email: list[Provider] = field(default_factory=list)
    failed: list[Provider] = field(default_factory=list)
    #: Reminded, but with no working link to send the return with (issue one).
    no_link: list[Provider] = field(default_factory=list)


def return_reminders_send(*, council, homes: list[Provider], day: datetime.date, user,
                          contact_url: str = "") -> RemindersResult:
    """E-mail each home (of `homes_not_reported`) a reminder to send its return for the day,
    over one mail connection. Homes without a contact address are named, not skipped silently;
    a message the mail server refuses is reported as failed."""
    if not permissions.can_edit(user) or (
        permissions.role_of(user) != permissions.ADMIN and user.council_id != council.pk
    ):
        raise PermissionDenied
    result = RemindersResult()
    connection = get_connection(fail_silently=False)
    try:
        for home in homes:
            if home.council_id != council.pk:
                raise PermissionDenied
            if not home.contact_email:
                result.no_email.append(home)
                continue
            context = {"provider": home, "council": council, "day": day,
                       "link_expires": getattr(home, "link_expires", None),
                       "sender": user.get_full_name() or user.username,
                       "sender_email": user.email, "contact_url": contact_url}
            message = EmailMessage(
                subject=f"{home.name}: daily return for {day:%d/%m/%Y} not received",
                body=render_to_string("providers/return_links/email/reminder.txt", context),
                to=[home.contact_email], connection=connection,
                reply_to=[user.email] if user.email else None,
            )
            try:
                message.send()
            except Exception as error:  # any backend's refusal: say which home, go on
                logger.warning("Return reminder to %s not sent: %s", home.contact_email, error)
                result.failed.append(home)
                connection.close()
                continue
            result.sent.append(home)
            if context["link_expires"] is None:
                result.no_link.append(home)
    finally:
        connection.close()
    return result
