"""python manage.py send_reminders [--date dd/mm/yyyy] [--dry-run]

Run daily (README: cron and systemd). E-mails each reminder due on the day (default today,
Europe/London) once, and tries again every reminder a previous run could not send. Exits
non-zero when any message failed, so the scheduler shows it; the failures are recorded and
retried on the next run.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actions.reminders.services import reminders_run
from providers.management.commands._common import parse_day


class Command(BaseCommand):
    help = "E-mail the deadline reminders and notices due on a day (and retry failed ones)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="dd/mm/yyyy or YYYY-MM-DD (default: today).")
        parser.add_argument("--dry-run", action="store_true",
                            help="List what would be recorded and sent; send and write nothing.")

    def handle(self, *args, date, dry_run, **options):
        on = parse_day(date) if date else timezone.localdate()
        result = reminders_run(on=on, dry_run=dry_run)
        for reminder in result.recorded:
            self.stdout.write(f"{'Would send' if dry_run else 'Due'}: {reminder.email}: "
                              f"{reminder.subject}")
        if dry_run:
            self.stdout.write(f"Dry run as at {on:%d/%m/%Y}: {len(result.recorded)} reminder(s) "
                              "would be sent; nothing was sent or recorded.")
            return
        for reminder in result.failed:
            self.stderr.write(f"Not sent (attempt {reminder.attempts}, retried next run): "
                              f"{reminder.email}: {reminder.subject}: {reminder.last_error}")
        self.stdout.write(f"As at {on:%d/%m/%Y}: {len(result.recorded)} new reminder(s) recorded, "
                          f"{len(result.sent)} sent, {len(result.failed)} failed.")
        if result.failed:
            raise CommandError(f"{len(result.failed)} reminder(s) could not be sent; "
                               "they are recorded and will be tried again on the next run.")
