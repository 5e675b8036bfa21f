"""Data versions: one counter per council, raised whenever data its documents show changes.

The domain apps say which model changes raise which council's version (see
`reports.versioning`: rules as data, connected to post_save/post_delete) and call `bump()`
themselves after bulk writes that send no signals. `bump()` runs inside the caller's
transaction, so a reader sees the new data and the new version together, never one without
the other. This module imports no domain app.
"""

from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from winterplan.models import DataVersion


def bump(council_ids: Iterable[int | None]) -> None:
    """Raise the versions of these councils by one (rows created when missing), in the
    caller's transaction: one upsert, which locks the rows (in id order), so concurrent bumps
    never lose one (PostgreSQL and SQLite 3.24+ share the syntax)."""
    ids = sorted({pk for pk in council_ids if pk is not None})
    if not ids:
        return
    table = connection.ops.quote_name(DataVersion._meta.db_table)
    now = timezone.now()
    rows = ", ".join(["(%s, 1, %s)"] * len(ids))
    params = [value for pk in ids for value in (pk, now)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (council_id, version, changed_at) VALUES {rows} "  # noqa: S608
            f"ON CONFLICT (council_id) DO UPDATE SET version = {table}.version + 1, "
            "changed_at = excluded.changed_at",
            params,
        )


def current(council_id: int) -> int:
    """The council's data version (0 before anything was recorded)."""
    return current_many([council_id]).get(council_id, 0)


def current_many(council_ids: Iterable[int]) -> dict[int, int]:
    """{council id: version} for these councils (0 for one without a row), in one query."""
    ids = sorted(set(council_ids))
    found = dict(DataVersion.objects.filter(council_id__in=ids)
                 .values_list("council_id", "version"))
    return {pk: found.get(pk, 0) for pk in ids}
