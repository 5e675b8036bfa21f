"""Data versions: counters per council, raised whenever data its documents and pages show
changes, one counter per *part* of the council's data, so that an edit of one part does not
invalidate what shows only the other:

- `plan`: the council's plans (key areas, actions, commentary, assessments, links), the
  national plan's wording they answer, the committee report and the DHSC letter;
- `providers`: the register, continuity plans, daily returns, the risk log and its rules, the
  Infection Control Fund.

A change to the council itself (its name, its teams) raises both. Whatever shows both parts
(a plan document with provider figures) is keyed by both counters.

The domain apps say which model changes raise which part of which council's version (see
`reports.versioning`: rules as data, connected to post_save/post_delete) and call `bump()`
themselves after bulk writes that send no signals. `bump()` runs inside the caller's
transaction, so a reader sees the new data and the new version together, never one without
the other. This module imports no domain app.
"""

from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from winterplan.models import DataVersion

PLAN = "plan"
PROVIDERS = "providers"
#: Every part, in the order version tuples list them.
PARTS = (PLAN, PROVIDERS)
#: Both parts (a change to the council itself; a document that shows both).
BOTH = PARTS


def _columns(parts: str | Iterable[str]) -> tuple[str, ...]:
    """The parts asked for, validated, in PARTS order."""
    wanted = {parts} if isinstance(parts, str) else set(parts)
    unknown = wanted - set(PARTS)
    if unknown or not wanted:
        raise ValueError(f"unknown data version part(s): {sorted(unknown) or 'none given'}")
    return tuple(part for part in PARTS if part in wanted)


def bump(council_ids: Iterable[int | None], parts: str | Iterable[str]) -> None:
    """Raise these parts of these councils' versions by one (rows created when missing), in
    the caller's transaction: one upsert, which locks the rows (in id order), so concurrent
    bumps never lose one (PostgreSQL and SQLite 3.24+ share the syntax)."""
    raised = _columns(parts)
    ids = sorted({pk for pk in council_ids if pk is not None})
    if not ids:
        return
    table = connection.ops.quote_name(DataVersion._meta.db_table)
    now = timezone.now()
    columns = [f"{part}_version" for part in PARTS]
    starts = ", ".join("1" if part in raised else "0" for part in PARTS)
    rows = ", ".join([f"(%s, {starts}, %s)"] * len(ids))
    params = [value for pk in ids for value in (pk, now)]
    updates = ", ".join(f"{part}_version = {table}.{part}_version + 1" for part in raised)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (council_id, {', '.join(columns)}, changed_at) "  # noqa: S608
            f"VALUES {rows} ON CONFLICT (council_id) DO UPDATE SET {updates}, "
            "changed_at = excluded.changed_at",
            params,
        )


def current(council_id: int, parts: str | Iterable[str] = PARTS) -> int:
    """The sum of these parts of the council's version (0 before anything was recorded): it
    rises with every bump of any of them."""
    return sum(current_many([council_id], parts)[council_id])


def current_many(council_ids: Iterable[int],
                 parts: str | Iterable[str] = PARTS) -> dict[int, tuple[int, ...]]:
    """{council id: (counter of each part asked for, in PARTS order)} for these councils
    (zeros for one without a row), in one query."""
    columns = [f"{part}_version" for part in _columns(parts)]
    ids = sorted(set(council_ids))
    found = {row[0]: tuple(row[1:]) for row in
             DataVersion.objects.filter(council_id__in=ids).values_list("council_id", *columns)}
    return {pk: found.get(pk, (0,) * len(columns)) for pk in ids}
