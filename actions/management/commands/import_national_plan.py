"""python manage.py import_national_plan FILE [--dry-run] [--slug … --title … (spreadsheets)]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from actions.plan_imports.files import PLAN_FIELDS, read_plan_file
from actions.plan_imports.services import PlanImportRefused, plan_import_apply


class Command(BaseCommand):
    help = ("Import a national plan from YAML, CSV or XLSX (see README, “Data formats”). "
            "All-or-nothing; --dry-run shows what would change and writes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true")
        for name in PLAN_FIELDS:
            option = "plan-version" if name == "version" else name.replace("_", "-")
            parser.add_argument(f"--{option}", dest=name, default="",
                                help="For a CSV or XLSX file: the plan's " + name.replace(
                                    "_", " ") + ".")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        plan_file = read_plan_file(file.name, file.read_bytes(),
                                   {name: options.get(name) for name in PLAN_FIELDS})
        errors = plan_file.errors
        report = None
        if not errors:
            try:
                report = plan_import_apply(data=plan_file.data, lines=plan_file.lines,
                                           names=plan_file.names, dry_run=dry_run)
            except PlanImportRefused as refused:
                errors = refused.report.errors
        if errors:
            for error in errors:
                self.stderr.write(f"{file.name}: {error}")
            raise CommandError(f"{file.name}: {len(errors)} error(s); nothing was imported.")
        counts = report.counts
        self.stdout.write(
            f"{report.slug}: {counts['themes']} themes, {counts['key_areas']} key areas, "
            f"{counts['requirements']} requirements.")
        for label, tally in (("themes", report.themes), ("key areas", report.key_areas),
                             ("requirements", report.requirements), ("links", report.links)):
            self.stdout.write(f"  {label}: {tally.new} new, {tally.changed} changed, "
                              f"{tally.unchanged} unchanged, {tally.deleted} deleted")
        self.stdout.write("Dry run: nothing was written." if dry_run
                          else f"Imported: {report.written} row(s) written.")
