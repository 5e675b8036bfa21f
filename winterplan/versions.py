"""Data versions: one counter per council, raised whenever data its documents show changes.

The domain apps say which model changes raise which council's version (see
`reports.versioning`: rules as data, connected to post_save/post_delete) and call `bump()`
themselves after bulk writes that send no signals. `bump()` runs inside the caller's
transaction, so a reader sees the new data and the new version together, never one without
the other. This module imports no domain app.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Now

from winterplan.models import DataVersion


def bump(council_ids: Iterable[int | None]) -> None:
    """Raise the versions of these councils by one (rows created when missing), in the
    caller's transaction; the UPDATE locks the rows, so concurrent bumps never lose one."""
    ids = sorted({pk for pk in council_ids if pk is not None})
    if not ids:
        return
    with transaction.atomic():
        DataVersion.objects.bulk_create(
            [DataVersion(council_id=pk) for pk in ids], ignore_conflicts=True)
        DataVersion.objects.filter(council_id__in=ids).update(
            version=F("version") + 1, changed_at=Now())


def current(council_id: int) -> int:
    """The council's data version (0 before anything was recorded)."""
    return current_many([council_id]).get(council_id, 0)


def current_many(council_ids: Iterable[int]) -> dict[int, int]:
    """{council id: version} for these councils (0 for one without a row), in one query."""
    ids = sorted(set(council_ids))
    found = dict(DataVersion.objects.filter(council_id__in=ids)
                 .values_list("council_id", "version"))
    return {pk: found.get(pk, 0) for pk in ids}
