"""The health check."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from winterplan.errors import is_database_busy
from winterplan.models import Council


def _expected_migrations() -> set[tuple[str, str]]:
    """The latest migration of every app, read from disk once per process."""
    global _EXPECTED_MIGRATIONS
    if _EXPECTED_MIGRATIONS is None:
        loader = MigrationLoader(None, ignore_no_migrations=True)
        _EXPECTED_MIGRATIONS = set(loader.graph.leaf_nodes())
    return _EXPECTED_MIGRATIONS


_EXPECTED_MIGRATIONS: set[tuple[str, str]] | None = None


def _database_state() -> str:
    """"ok", or why not: "not migrated" when the schema is missing or behind the code, "busy"
    when SQLite's write lock is held past HEALTH_DB_TIMEOUT_SECONDS, "unavailable" otherwise."""
    expected = _expected_migrations()
    sqlite = connection.vendor == "sqlite"
    try:
        with connection.cursor() as cursor:
            if sqlite:  # wait briefly for the write lock, then give the old timeout back
                cursor.execute("PRAGMA busy_timeout")
                busy_timeout = cursor.fetchone()[0]
                wait_ms = int(settings.HEALTH_DB_TIMEOUT_SECONDS * 1000)
                cursor.execute(f"PRAGMA busy_timeout = {wait_ms}")
            try:
                # A real table, in a write transaction on SQLite (BEGIN IMMEDIATE takes the
                # lock every save needs), so a locked or empty database is not "ok".
                with transaction.atomic():
                    applied = set(
                        MigrationRecorder.Migration.objects.filter(
                            app__in={app for app, _ in expected}
                        ).values_list("app", "name")
                    )
                    Council.objects.exists()
            finally:
                if sqlite:
                    cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout)}")
    except DatabaseError as error:
        if is_database_busy(error):
            return "busy"
        if "no such table" in str(error).lower() or "does not exist" in str(error).lower():
            return "not migrated"
        return "unavailable"
    return "ok" if expected <= applied else "not migrated"


def _task_queue() -> dict:
    """The database task queue: how many tasks are ready to run and how long the oldest has
    waited (whole seconds; null when none waits). Counts and ages only, never a task's
    arguments."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    ready = DBTaskResult.objects.ready()
    count = ready.count()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
    age = None
    if oldest is not None:
        enqueued_at, run_after = oldest
        since = enqueued_at if run_after == get_date_max() else max(enqueued_at, run_after)
        age = max(0, int((timezone.now() - since).total_seconds()))
    return {"ready": count, "oldest_ready_age_seconds": age}


@login_not_required
@never_cache
@require_safe
def health(request):
    """200 when the database answers from its tables with every migration applied and (SQLite)
    its write lock free; 503 naming which of those failed. With it, the task queue's length
    and the age of its oldest ready task, so a stopped worker shows. No secret, no sign-in."""
    state = _database_state()
    if state != "ok":
        return JsonResponse({"status": "error", "database": state}, status=503)
    try:
        tasks = _task_queue()
    except DatabaseError:
        tasks = {"ready": None, "oldest_ready_age_seconds": None}
    return JsonResponse({"status": "ok", "database": "ok", "tasks": tasks})
