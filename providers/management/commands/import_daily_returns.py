"""python manage.py import_daily_returns --council SLUG [--replace] [--dry-run] FILE

Imports care homes' daily returns (CSV or XLSX, format in the README), all-or-nothing like the
register import, then re-assesses every provider's RAG as at the latest day in the file.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from providers.management.commands._common import council_named, read_file, refused
from providers.services.imports import ImportRefused
from providers.services.returns_import import daily_returns_import


class Command(BaseCommand):
    help = "Import daily returns from CSV or XLSX (all-or-nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--council", required=True, help="The council's slug.")
        parser.add_argument("--replace", action="store_true",
                            help="Replace returns already entered for the same home and day "
                                 "(otherwise they are errors).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Check the file and report what would change; write nothing.")
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file.")

    def handle(self, *args, council, replace, dry_run, file, **options):
        council = council_named(council)
        name = Path(file).name
        try:
            result = daily_returns_import(
                council=council, filename=name, content=read_file(file), dry_run=dry_run,
                existing="replace" if replace else "refuse",
            )
        except ImportRefused as error:
            raise refused(error, name) from None
        self.stdout.write(
            f"{council.name}: {len(result.created)} returns added, {len(result.updated)} "
            f"updated, {len(result.unchanged)} unchanged"
            + (" (dry run: nothing written)." if dry_run else ".")
        )
