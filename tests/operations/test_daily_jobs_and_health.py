"""The daily jobs run from one command, each failure reported without stopping the others;
/health reports the task queue; Sentry is on only with SENTRY_DSN."""

import datetime
import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _task(status="READY", enqueued_ago=datetime.timedelta(), run_after=None, finished=None):
    task = DBTaskResult.objects.create(
        status=status, args_kwargs={"args": [], "kwargs": {}}, task_path="reports.tasks.x",
        backend_name="default", run_after=run_after or get_date_max(),
        exception_class_path="", traceback="", finished_at=finished)
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - enqueued_ago)
    return task


@override_settings(TASKS=DB_TASKS)
def test_run_daily_jobs_runs_each_job_and_prunes_old_finished_tasks():
    old = _task(status="SUCCESSFUL", finished=timezone.now() - datetime.timedelta(days=30))
    recent = _task(status="SUCCESSFUL", finished=timezone.now() - datetime.timedelta(days=1))
    out = io.StringIO()
    call_command("run_daily_jobs", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    for job in ("evaluate_escalations: done", "send_reminders: done",
                "prune_db_task_results: done", "All daily jobs done."):
        assert job in text
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()
    assert DBTaskResult.objects.filter(pk=recent.pk).exists()


@override_settings(TASKS=DB_TASKS)
def test_a_failing_job_is_reported_and_the_others_still_run(caplog):
    old = _task(status="FAILED", finished=timezone.now() - datetime.timedelta(days=30))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="2 of 3 daily jobs failed: evaluate_escalations, "
                                           "send_reminders"):
        call_command("run_daily_jobs", "--date", "not-a-date", stdout=out, stderr=err)
    assert "evaluate_escalations: FAILED" in err.getvalue()
    assert "send_reminders: FAILED" in err.getvalue()
    assert "prune_db_task_results: done" in out.getvalue()  # ran after the failures
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()
    assert any(r.name == "winterplan.jobs" and r.levelname == "ERROR" for r in caplog.records)


def test_pruning_is_skipped_when_the_task_backend_is_not_the_database():
    out = io.StringIO()
    call_command("run_daily_jobs", stdout=out, stderr=io.StringIO())
    assert "prune_db_task_results: skipped" in out.getvalue()


def test_health_reports_the_task_queue_length_and_the_oldest_ready_tasks_age(client):
    DBTaskResult.objects.all().delete()
    empty = client.get("/health").json()
    assert empty["tasks"] == {"ready": 0, "oldest_ready_age_seconds": None}
    _task(enqueued_ago=datetime.timedelta(minutes=10))
    _task(enqueued_ago=datetime.timedelta(minutes=2))
    _task(enqueued_ago=datetime.timedelta(hours=5),
          run_after=timezone.now() + datetime.timedelta(hours=1))  # not ready yet
    _task(status="SUCCESSFUL", enqueued_ago=datetime.timedelta(days=3))
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["tasks"]["ready"] == 2
    assert 600 <= body["tasks"]["oldest_ready_age_seconds"] < 700
    assert "reports.tasks" not in str(body)  # counts and ages, never a task itself


def _sentry_active(**env) -> str:
    code = ("import django; django.setup(); import sentry_sdk; "
            "c = sentry_sdk.get_client(); "
            "print(c.is_active(), c.options.get('send_default_pii'), c.options.get('environment'))")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    environment |= {"DJANGO_SETTINGS_MODULE": "tests.settings", **env}
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR,
                            env=environment, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_sentry_is_initialised_only_when_sentry_dsn_is_set():
    assert _sentry_active().startswith("False")
    # A DSN to a loopback port nothing answers: initialising sends nothing.
    assert _sentry_active(SENTRY_DSN="http://public@127.0.0.1:9/1",
                          SENTRY_ENVIRONMENT="staging") == "True False staging"
