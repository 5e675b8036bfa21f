"""python manage.py evaluate_escalations (--council SLUG | --all) [--date dd/mm/yyyy]

Applies the escalation rules to the daily returns as at a day (today by default) and updates
each provider's RAG, reasons and "since" (run it daily, e.g. from cron). `--all` assesses
every council in one process, one transaction per council. Only providers whose RAG, reasons
or outbreak changed are written; their history rows say the command changed them.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from providers.management.commands._common import council_named, parse_day
from providers.services.escalation import escalations_evaluate_all


class Command(BaseCommand):
    help = "Re-assess every provider's RAG from the escalation rules as at a day."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--council", help="The council's slug.")
        which.add_argument("--all", action="store_true", dest="every_council",
                           help="Every council.")
        parser.add_argument("--date", help="dd/mm/yyyy or YYYY-MM-DD (default: today).")

    def handle(self, *args, council, every_council, date, **options):
        councils = None if every_council else [council_named(council)]
        as_at = parse_day(date) if date else timezone.localdate()
        reason = f"evaluate_escalations as at {as_at:%d/%m/%Y}"
        totals = [0, 0]
        for each, result in escalations_evaluate_all(as_at=as_at, councils=councils,
                                                     reason=reason):
            totals[0] += result.assessed
            totals[1] += result.written
            self.stdout.write(
                f"{each.name} as at {as_at:%d/%m/%Y}: {result.assessed} assessed, "
                f"{result.written} changed, {result.skipped_newer} already assessed later"
                f"{' (default rules)' if result.default_rules else ''}."
            )
        if every_council:
            self.stdout.write(f"Every council: {totals[0]} assessed, {totals[1]} changed.")
