from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from winterplan.sample_data import sample_data_load


class Command(BaseCommand):
    help = (
        "Load the sample councils, DHSC's 2020/21 winter plan, the Cheshire East and Halton "
        "local plans, their providers and the demo users. Existing rows are left as they are "
        "unless --update is given; a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Bring rows that already exist back to the sample files' values "
            "(and reset the demo users' password to DEMO_PASSWORD).",
        )

    def handle(self, *args, update: bool = False, **options):
        try:
            report = sample_data_load(update=update)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        for what, count in report.written.items():
            if count:
                self.stdout.write(f"{what}: {count} written")
        for what in report.skipped:
            self.stdout.write(f"{what}: already loaded, left as it is")
        self.stdout.write(
            self.style.SUCCESS(f"Sample data loaded ({report.total} rows written).")
        )
