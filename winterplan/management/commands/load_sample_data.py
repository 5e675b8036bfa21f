from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from winterplan.sample_data import sample_data_load


class Command(BaseCommand):
    help = (
        "Load the sample councils, DHSC's 2020/21 winter plan, the Cheshire East and Halton "
        "local plans and their providers; with --demo-users (or under DEBUG) also the demo "
        "users. Existing rows are left as they are unless --update is given; a second run "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Bring rows that already exist back to the sample files' values. An existing "
            "user's password, role and rights are never changed.",
        )
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="Create the missing demo users with DEMO_PASSWORD (the default under DEBUG; "
            "without DEBUG they are created only with this flag).",
        )

    def handle(self, *args, update: bool = False, demo_users: bool = False, **options):
        if not settings.DEBUG:
            if demo_users:
                self.stderr.write(self.style.WARNING(
                    "Warning: creating demo users with the published demo password under "
                    "production settings (--demo-users). Remove them before going live."
                ))
            else:
                self.stderr.write(self.style.WARNING(
                    "Demo users not created: DEBUG is off. Pass --demo-users to create them."
                ))
        try:
            report = sample_data_load(update=update, demo_users=demo_users or settings.DEBUG)
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
