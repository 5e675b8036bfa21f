"""Browser imports in two steps: upload and preview (a dry run), then confirm.

Between the steps the file lives in the database (PendingImport), never in a process's memory,
so the confirming request may reach any web process. Only the person who uploaded it can
preview or confirm it; uploads older than a day are removed.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from providers.models import ImportKind, PendingImport
from providers.services.escalation import risk_refresh
from providers.services.imports import ImportResult, providers_import
from providers.services.returns_import import daily_returns_import

KEEP_FOR = datetime.timedelta(days=1)


def pending_import_create(
    *, council, user, kind: str, filename: str, content: bytes, replace: bool = False
) -> PendingImport:
    """Keep an uploaded file until it is confirmed (and forget day-old ones)."""
    PendingImport.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
    return PendingImport.objects.create(
        council=council, user=user, kind=kind, filename=filename[:200], content=content,
        replace=replace,
    )


def pending_import_run(*, pending: PendingImport, dry_run: bool) -> ImportResult:
    """Check (dry_run) or apply the upload; applying removes it. Raises ImportRefused."""
    content = bytes(pending.content)
    with transaction.atomic():
        if pending.kind == ImportKind.PROVIDERS:
            result = providers_import(
                council=pending.council, filename=pending.filename, content=content,
                user=pending.user, dry_run=dry_run,
            )
            if result.applied and (result.created or result.updated):
                risk_refresh(council=pending.council, user=pending.user)
        else:
            result = daily_returns_import(
                council=pending.council, filename=pending.filename, content=content,
                user=pending.user, dry_run=dry_run,
                existing="replace" if pending.replace else "refuse",
            )
        if not dry_run:
            pending.delete()
    return result
