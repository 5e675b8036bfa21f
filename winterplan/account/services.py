from django.core.exceptions import ValidationError
from django.db import transaction

from winterplan.models import User


@transaction.atomic
def user_reminders_update(*, user: User, reminders_enabled: bool) -> User:
    """A user turns their own e-mail reminders on or off; the change is kept in their history."""
    if not user.is_authenticated:
        raise ValidationError("Sign in to change your account.")
    account = User.objects.select_for_update().get(pk=user.pk)
    if account.reminders_enabled == reminders_enabled:
        return account
    account.reminders_enabled = reminders_enabled
    account.full_clean(exclude=["password"])
    account._history_user = user
    account._change_reason = "Your account: e-mail reminders " + (
        "on" if reminders_enabled else "off")
    account.save(update_fields=["reminders_enabled"])
    return account
