"""Changes to the register: providers, business continuity plan reviews, daily returns.

Each write is validated with full_clean(), recorded in history with the user, and guarded by
optimistic locking: a save based on an older version than the stored one is refused with a
message, so nobody silently overwrites somebody else's change.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from providers.models import (
    PROVIDER_CHANNELS,
    BusinessContinuityPlan,
    DailyReturn,
    EnteredVia,
    Provider,
)
from providers.services.escalation import escalations_evaluate, latest_assessment_date, risk_refresh
from winterplan import versions

PROVIDER_FIELDS = (
    "name", "provider_type", "client_group", "cqc_location_id", "registered_beds",
    "people_supported", "prime_provider", "council_run", "risk_rating", "contact_email",
)
BCP_FIELDS = ("received_on", "reviewed_on", "outcome", "next_review_due", "notes")
STALE = (
    "{who} changed this {what} on {when} after you opened the page. Their version is shown "
    "below: check it, then save again."
)


class StaleEdit(ValidationError):
    """The object was saved by someone else after the editor opened it."""

    def __init__(self, current, what: str):
        self.current = current
        latest = current.history.order_by("-history_date").select_related("history_user").first()
        who = (latest.history_user.get_full_name() or latest.history_user.username) if (
            latest and latest.history_user) else "Someone else"
        when = timezone.localtime(latest.history_date).strftime("%d/%m/%Y %H:%M") if latest else ""
        super().__init__(STALE.format(who=who, what=what, when=when))


def _check_version(instance, expected_version: int | None, what: str) -> None:
    """Refuse a save based on another version than the stored one (None: a change that no
    editor made, e.g. an import, which is not checked)."""
    if instance.pk and expected_version is not None and expected_version != instance.version:
        raise StaleEdit(instance, what)


@transaction.atomic
def provider_save(
    *, provider: Provider, data: dict, user=None, expected_version: int | None = None
) -> Provider:
    """Add a provider or change one; a new risk rating re-assesses its RAG."""
    if provider.pk:
        provider = Provider.objects.select_for_update().get(pk=provider.pk)
        _check_version(provider, expected_version, "provider")
        provider.version += 1
    old_rating = provider.risk_rating if provider.pk else None
    for name in PROVIDER_FIELDS:
        if name in data:
            setattr(provider, name, data[name])
    provider.full_clean()
    provider._history_user = user
    provider.save()
    if provider.risk_rating != old_rating:
        risk_refresh(council=provider.council, providers=[provider], user=user)
    return provider


@transaction.atomic
def bcp_review_record(
    *, provider: Provider, data: dict, user=None, expected_version: int
) -> BusinessContinuityPlan:
    """Record that a provider's business continuity plan arrived and how its review went, if
    nobody recorded it since `expected_version` (0: the editor saw no plan yet, so a plan
    recorded meanwhile by someone else is a conflict, not overwritten)."""
    # Lock the provider first: two people recording its first plan then go one after the other.
    Provider.objects.select_for_update().only("pk").get(pk=provider.pk)
    plan = (
        BusinessContinuityPlan.objects.select_for_update().filter(provider=provider).first()
        or BusinessContinuityPlan(provider=provider, version=0)
    )
    if expected_version is None:
        raise ValidationError("Nothing was saved: the version you started from is missing.")
    if plan.pk is None and expected_version != 0:
        raise ValidationError("Nothing was saved: this provider's plan was removed after you "
                              "opened the page. Open it again.")
    _check_version(plan, expected_version, "business continuity plan")
    changed = [name for name in BCP_FIELDS if name in data and getattr(plan, name) != data[name]]
    if plan.pk and not changed:
        return plan
    for name in changed:
        setattr(plan, name, data[name])
    if "reviewed_on" in changed or "outcome" in changed:
        plan.reviewer = user if plan.reviewed_on else None
    today = timezone.localdate()
    for name in ("received_on", "reviewed_on"):
        if getattr(plan, name) and getattr(plan, name) > today:
            raise ValidationError({name: "This date cannot be in the future."})
    plan.version += 1
    plan.full_clean()
    plan._history_user = user
    plan.save()
    return plan


@transaction.atomic
def daily_returns_save(
    *, council, entries: list[tuple[DailyReturn, int | None]], user=None,
    entered_via: str = EnteredVia.STAFF, return_link=None, reason: str | None = None,
) -> int:
    """Store a day's returns entered on one screen, then re-assess the council's RAG.

    `entries` are validated returns with the version each editor started from (None for a
    new one). Refused as a whole when any of them was changed by someone else meanwhile.
    Each return records its channel (`entered_via`): staff returns name the user; a return the
    provider sent through its link (`return_link`) names no user, in the return or its history.
    """
    if entered_via in PROVIDER_CHANNELS:
        user = None
    keys = [(r.provider_id, r.date) for r, _ in entries]
    stored = {
        (r.provider_id, r.date): r
        for r in DailyReturn.objects.select_for_update().filter(
            provider__council=council,
            provider__in={provider for provider, _ in keys},
            date__in={date for _, date in keys},
        ).select_related("provider")
    }
    conflicts = []
    for daily_return, expected in entries:
        current = stored.get((daily_return.provider_id, daily_return.date))
        if current is None and daily_return.pk:
            conflicts.append(f"{daily_return.provider.name}: the return was deleted meanwhile.")
        elif current is not None and (daily_return.pk is None or current.version != expected):
            conflicts.append(
                f"{daily_return.provider.name}: somebody else saved this home's return after "
                "you opened the page. Open the day again to see it, then make your change."
            )
    if conflicts:
        raise ValidationError(conflicts)
    new = [r for r, _ in entries if r.pk is None]
    changed = [r for r, _ in entries if r.pk is not None]
    now = timezone.now()
    for daily_return in changed:
        daily_return.version += 1
    for daily_return in (*new, *changed):
        daily_return.entered_by = user
        daily_return.entered_via = entered_via
        daily_return.return_link = return_link
        daily_return.updated_at = now
        if user is None:  # not the signed-in visitor the history middleware would name
            daily_return._history_user = None
    bulk_create_with_history(new, DailyReturn, batch_size=500, default_user=user,
                             default_change_reason=reason)
    fields = [f.name for f in DailyReturn._meta.concrete_fields
              if f.name not in ("id", "provider", "date")]
    bulk_update_with_history(changed, DailyReturn, fields, batch_size=500, default_user=user,
                             default_change_reason=reason)
    versions.bump([council.pk], versions.PROVIDERS)  # bulk writes send no signals
    if entries:
        reassess(council=council, dates=[date for _, date in keys],
                 providers=[r.provider for r, _ in entries], user=user)
    return len(entries)


def reassess(*, council, dates, providers, user=None) -> None:
    """After returns changed: re-assess their homes as at the risk log's date, or every
    provider when the returns move the risk log on to a later day."""
    latest = latest_assessment_date(council)
    as_at = max(filter(None, [*dates, latest]))
    escalations_evaluate(council=council, as_at=as_at, user=user,
                         providers=providers if as_at == latest else None)
