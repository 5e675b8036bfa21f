"""Browser imports in two steps: upload and preview (a dry run), then confirm.

Between the steps the file lives in the database (PendingImport), never in a process's memory,
so the confirming request may reach any web process. The file is read (with the import's
limits) once, when it is uploaded; the preview and the confirmation validate the rows kept
then. Only the person who uploaded it can preview or confirm it; uploads older than a day are
removed.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from providers.cqc.importer import CqcSource
from providers.models import ImportKind, PendingImport
from providers.services import returns_import
from providers.services.escalation import risk_refresh
from providers.services.imports import (
    ImportRefused,
    ImportResult,
    ImportRowError,
    TableError,
    providers_import_rows,
    read_register,
    read_table,
)
from providers.services.returns_import import daily_returns_import_rows

KEEP_FOR = datetime.timedelta(days=1)


def pending_import_create(
    *, council, user, kind: str, filename: str, content: bytes, replace: bool = False
) -> PendingImport:
    """Read an uploaded file once and keep it, with its rows or why it cannot be read, until
    it is confirmed (and forget day-old ones)."""
    PendingImport.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
    pending = PendingImport(council=council, user=user, kind=kind, filename=filename[:200],
                            content=content, replace=replace)
    _read(pending)
    pending.save()
    return pending


def _read(pending: PendingImport) -> None:
    """Read the upload's file into its rows, or the problems that stop it being read. Of a CQC
    file only the council's rows are kept (and not the file: a national file is tens of MB)."""
    pending.rows, pending.problems, pending.source = None, [], None
    content = bytes(pending.content)
    try:
        if pending.kind == ImportKind.DAILY_RETURNS:
            pending.rows = read_table(pending.filename, content,
                                      returns_import.REQUIRED_COLUMNS,
                                      returns_import.OPTIONAL_COLUMNS)
        else:
            pending.rows, source = read_register(pending.filename, content,
                                                 council=pending.council)
            if source is not None:
                pending.source = source.to_json()
                pending.content = b""
    except TableError as error:
        pending.problems = [[e.row, e.field, e.message] for e in error.errors]


def pending_import_run(*, pending: PendingImport, dry_run: bool) -> ImportResult:
    """Check (dry_run) or apply the upload's rows as read on upload; applying removes it.
    Raises ImportRefused."""
    if pending.rows is None and not pending.problems:  # uploaded before files were read once
        _read(pending)
        pending.save(update_fields=["rows", "problems"])
    if pending.rows is None:
        raise ImportRefused(ImportResult(errors=[
            ImportRowError(row, name, message) for row, name, message in pending.problems]))
    rows = [(number, row) for number, row in pending.rows]
    with transaction.atomic():
        if pending.kind == ImportKind.PROVIDERS:
            result = providers_import_rows(
                council=pending.council, rows=rows, user=pending.user, dry_run=dry_run,
                source=CqcSource.from_json(pending.source) if pending.source else None,
            )
            if result.applied and (result.created or result.updated):
                risk_refresh(council=pending.council, user=pending.user)
        else:
            result = daily_returns_import_rows(
                council=pending.council, rows=rows, user=pending.user, dry_run=dry_run,
                existing="replace" if pending.replace else "refuse",
            )
        if not dry_run:
            pending.delete()
    return result
