"""python manage.py import_providers --council SLUG [--dry-run] FILE

Imports a provider register (CSV or XLSX, format in the README), or CQC's own file as published
(the HSCA Active Locations workbook, .xlsx or .ods, or the care directory CSV), recognised by its
layout: only the council's adult social care locations that are not dormant are imported.
All-or-nothing: one bad row refuses the file, every error names its row and field, and the
command exits non-zero.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from providers.management.commands._common import council_named, read_file, refused
from providers.services.escalation import risk_refresh
from providers.services.imports import ImportRefused, providers_import


class Command(BaseCommand):
    help = ("Import a council's provider register from CSV or XLSX, or from CQC's HSCA Active "
            "Locations workbook or care directory CSV (all-or-nothing).")

    def add_arguments(self, parser):
        parser.add_argument("--council", required=True, help="The council's slug.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Check the file and report what would change; write nothing.")
        parser.add_argument("file", help="A .csv or .xlsx file, or CQC's .xlsx, .ods or .csv.")

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
        source = result.source
        if source is not None:
            self.stdout.write(
                f"{source.title}: {source.rows_read:,} locations read, {source.other_areas:,} "
                "of other local authorities"
                + "".join(f", {count:,} {reason}" for reason, count in source.left_out.items())
                + ".")
        for change in result.changes:
            fields = "; ".join(f"{item.label}: {item.old} → {item.new}" for item in change.fields)
            self.stdout.write(f"  changed {change.name} ({change.cqc_location_id}): {fields}")
        for missing in result.missing:
            self.stdout.write(f"  kept {missing.name} ({missing.cqc_location_id}): "
                              f"{missing.reason}")
        self.stdout.write(
            f"{council.name}: {len(result.created)} added, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged"
            + (f", {len(result.missing)} not in CQC's latest file (kept)"
               if source is not None else "")
            + (" (dry run: nothing written)." if dry_run else ".")
        )
