"""python manage.py import_providers --council SLUG [--dry-run] FILE

Imports a provider register (CSV or XLSX, format in the README). All-or-nothing: one bad row
refuses the file, every error names its row and field, and the command exits non-zero.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from providers.management.commands._common import council_named, read_file, refused
from providers.services.escalation import risk_refresh
from providers.services.imports import ImportRefused, providers_import


class Command(BaseCommand):
    help = "Import a council's provider register from CSV or XLSX (all-or-nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--council", required=True, help="The council's slug.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Check the file and report what would change; write nothing.")
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file.")

    def handle(self, *args, council, dry_run, file, **options):
        council = council_named(council)
        name = Path(file).name
        try:
            result = providers_import(council=council, filename=name, content=read_file(file),
                                      dry_run=dry_run)
        except ImportRefused as error:
            raise refused(error, name) from None
        if result.applied and (result.created or result.updated):
            risk_refresh(council=council)
        self.stdout.write(
            f"{council.name}: {len(result.created)} added, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged"
            + (" (dry run: nothing written)." if dry_run else ".")
        )
