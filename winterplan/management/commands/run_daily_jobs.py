"""Run the daily jobs, each by its command name, one after another.

    python manage.py run_daily_jobs [--date dd/mm/yyyy]

The one entry point a timer or cron calls once a day (README "Running in production"): every
council's risk log re-assessed, the reminders due sent (and failed ones retried), finished
background task results older than 14 days pruned. A job that fails is logged with its error
and reported, and the next job still runs; the command exits non-zero when any job failed.
"""

import logging
import time
from dataclasses import dataclass

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

logger = logging.getLogger("winterplan.jobs")


@dataclass(frozen=True)
class Job:
    command: str
    args: tuple[str, ...] = ()
    #: Pass `--date` on to this job when the run was given one.
    takes_date: bool = False
    #: Only when the task backend is the database one (otherwise there is nothing to prune).
    needs_database_tasks: bool = False


DAILY_JOBS = (
    Job("evaluate_escalations", ("--all",), takes_date=True),
    Job("send_reminders", takes_date=True),
    Job("prune_db_task_results", ("--min-age-days", "14"), needs_database_tasks=True),
)


def _database_tasks() -> bool:
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--date", help="dd/mm/yyyy: the day the jobs judge (default today).")

    def handle(self, *args, date=None, **options):
        failed = []
        for job in DAILY_JOBS:
            if job.needs_database_tasks and not _database_tasks():
                self.stdout.write(f"{job.command}: skipped (the task backend is not the "
                                  "database)")
                continue
            argv = list(job.args)
            if date and job.takes_date:
                argv += ["--date", date]
            started = time.monotonic()
            try:
                call_command(job.command, *argv, stdout=self.stdout, stderr=self.stderr)
            except (Exception, SystemExit) as error:  # noqa: BLE001 - report it, run the next
                seconds = time.monotonic() - started
                failed.append(job.command)
                logger.exception("daily job %s failed after %.1f s: %s", job.command, seconds,
                                 error)
                self.stderr.write(f"{job.command}: FAILED: {error}")
                continue
            seconds = time.monotonic() - started
            logger.info("daily job %s finished in %.1f s", job.command, seconds)
            self.stdout.write(f"{job.command}: done in {seconds:.1f} s")
        if failed:
            raise CommandError(f"{len(failed)} of {len(DAILY_JOBS)} daily jobs failed: "
                               f"{', '.join(failed)}")
        self.stdout.write("All daily jobs done.")
