"""python manage.py evaluate_escalations --council SLUG [--date dd/mm/yyyy]

Applies the council's escalation rules to its daily returns as at a day (today by default)
and updates every provider's RAG, reasons and "since" (run it daily, e.g. from cron).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from providers.management.commands._common import council_named, parse_day
from providers.services.escalation import escalations_evaluate


class Command(BaseCommand):
    help = "Re-assess every provider's RAG from the escalation rules as at a day."

    def add_arguments(self, parser):
        parser.add_argument("--council", required=True, help="The council's slug.")
        parser.add_argument("--date", help="dd/mm/yyyy or YYYY-MM-DD (default: today).")

    def handle(self, *args, council, date, **options):
        council = council_named(council)
        as_at = parse_day(date) if date else timezone.localdate()
        result = escalations_evaluate(council=council, as_at=as_at)
        self.stdout.write(
            f"{council.name} as at {as_at:%d/%m/%Y}: {result.assessed} assessed, "
            f"{result.written} changed, {result.skipped_newer} already assessed later."
        )
