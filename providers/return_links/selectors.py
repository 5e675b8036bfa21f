"""Reads for return links: a home's links, the day a provider may report for, the homes that
have not reported, and who entered each home's return of a day (for the risk log)."""

import datetime
import hmac
import re

from django.conf import settings
from django.db.models import Count, DateTimeField, OuterRef, QuerySet, Subquery
from django.utils import timezone

from providers.models import DailyReturn, Provider, ReturnLink
from providers.models.return_links import token_digest
from providers.selectors.register import returning_providers

#: What `secrets.token_urlsafe(32)` gives: 43 URL-safe characters. Anything else is not a token
#: and is refused before the database is asked.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


def link_for_token(token: str) -> ReturnLink | None:
    """The link whose token this is, with its home and council, or None (also for a string
    that cannot be a token). The hash is looked up by its unique index; no timing of the
    comparison can reveal a token, since only digests are compared."""
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        return None
    digest = token_digest(token)
    link = ReturnLink.objects.select_related("provider__council").filter(token_hash=digest).first()
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    return link


def provider_links(provider: Provider) -> QuerySet[ReturnLink]:
    """A home's links, newest first, with who issued and revoked them and how many returns
    each sent (one query)."""
    return (
        provider.return_links.select_related("created_by", "revoked_by")
        .annotate(returns_sent=Count("returns"))
        .order_by("-created_at", "-pk")
    )


def reporting_days(now: datetime.datetime | None = None) -> list[datetime.date]:
    """The days a provider may send a return for now: today, and yesterday until
    RETURN_LINK_YESTERDAY_UNTIL_HOUR local time."""
    local = timezone.localtime(now)
    today = local.date()
    days = [today]
    if local.hour < settings.RETURN_LINK_YESTERDAY_UNTIL_HOUR:
        days.append(today - datetime.timedelta(days=1))
    return days


def return_of_day(provider: Provider, day: datetime.date) -> DailyReturn | None:
    """The home's return for the day, if it sent or someone entered one."""
    return DailyReturn.objects.filter(provider=provider, date=day).first()


def last_return_before(provider: Provider, day: datetime.date) -> DailyReturn | None:
    """The home's latest return before the day: what the provider may copy forward."""
    return DailyReturn.objects.filter(provider=provider, date__lt=day).order_by("-date").first()


def homes_not_reported(council, day: datetime.date) -> list[Provider]:
    """The council's care homes with no return for the day, by name, each with the expiry of
    its newest working link (`link_expires`, None when it has none). One query."""
    return list(_not_reported(council, day))


def _not_reported(council, day: datetime.date) -> QuerySet[Provider]:
    newest_active = (
        ReturnLink.objects.active().filter(provider=OuterRef("pk"))
        .order_by("-expires_at").values("expires_at")[:1]
    )
    return (returning_providers(council).exclude(daily_returns__date=day)
            .annotate(link_expires=Subquery(newest_active, output_field=DateTimeField())))


#: How many of the homes without a return the risk log and the returns screen list by name
#: (a large council can have hundreds; the reminder to all covers the rest).
NOT_REPORTED_LISTED = 25


def not_reported_context(council, day: datetime.date) -> dict:
    """The "Not reported today" panel: the first NOT_REPORTED_LISTED homes without a return
    for the day (`not_reported`), how many there are in all (`not_reported_total`) and how
    many are not listed (`not_reported_more`). Two queries, whatever the council's size."""
    homes = _not_reported(council, day)
    listed = list(homes[:NOT_REPORTED_LISTED])
    total = homes.count()  # always counted, so the page's queries do not depend on its size
    return {"not_reported": listed, "not_reported_total": total,
            "not_reported_more": total - len(listed)}


def with_return_of_day(providers: QuerySet[Provider], day: datetime.date) -> QuerySet[Provider]:
    """Providers annotated with who entered their return of the day: `day_return_via` (None
    when there is none) and the entering user's `day_return_first_name`, `…_last_name`,
    `…_username` (subqueries: the query count does not grow with the rows)."""
    of_day = DailyReturn.objects.filter(provider=OuterRef("pk"), date=day)
    return providers.annotate(
        day_return_via=Subquery(of_day.values("entered_via")[:1]),
        day_return_first_name=Subquery(of_day.values("entered_by__first_name")[:1]),
        day_return_last_name=Subquery(of_day.values("entered_by__last_name")[:1]),
        day_return_username=Subquery(of_day.values("entered_by__username")[:1]),
    )
