"""manage.py clone_plan: start a council's next winter plan from last winter's (actions.winters)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from actions.models import LocalPlan, NationalPlan
from actions.selectors import parse_as_at
from actions.winters.mapping import read_mapping
from actions.winters.services import CloneRefused, plan_clone, plan_clone_preview
from actions.winters.text import preview_lines
from winterplan.history import system_user


class Command(BaseCommand):
    help = ("Start a new winter plan from last winter's: key areas matched by slug then title, "
            "requirements by an optional mapping file; open actions, team lines and narrative "
            "carried (commentary with --with-commentary). --dry-run shows the preview only.")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True,
                            help="slug of last winter's local plan")
        parser.add_argument("--national-plan", required=True, help="slug of the new national plan")
        parser.add_argument("--slug", required=True, help="slug of the new local plan")
        parser.add_argument("--title", default="", help="title (default: last winter's, with "
                            "the new winter's years)")
        parser.add_argument("--as-at", default="", help="reporting date, dd/mm/yyyy "
                            "(default: the national plan's publication date)")
        parser.add_argument("--mapping", default="", help="requirement mapping file "
                            "(CSV, XLSX or YAML: old_ref, new_ref)")
        parser.add_argument("--with-commentary", action="store_true")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        source = LocalPlan.objects.select_related("council", "national_plan").filter(
            slug=options["source"]).first()
        if source is None:
            raise CommandError(f"--from: no local plan “{options['source']}”.")
        national_plan = NationalPlan.objects.filter(slug=options["national_plan"]).first()
        if national_plan is None:
            raise CommandError(f"--national-plan: no national plan “{options['national_plan']}”.")
        as_at = national_plan.published_on
        if options["as_at"]:
            as_at = parse_as_at(options["as_at"])
            if as_at is None:
                raise CommandError(f"--as-at: “{options['as_at']}” is not a date (dd/mm/yyyy).")
        mapping = None
        if options["mapping"]:
            path = Path(options["mapping"])
            if not path.is_file():
                raise CommandError(f"--mapping: no file {path}.")
            mapping = read_mapping(path.name, path.read_bytes())
        arguments = {"source": source, "national_plan": national_plan, "slug": options["slug"],
                     "as_at": as_at, "mapping": mapping, "title": options["title"],
                     "with_commentary": options["with_commentary"]}
        if options["dry_run"]:
            preview = plan_clone_preview(**arguments)
            for line in preview_lines(preview):
                self.stdout.write(line)
            if preview.errors:
                raise CommandError("Refused: " + "; ".join(preview.errors))
            self.stdout.write("Dry run: nothing written.")
            return
        try:
            plan, preview = plan_clone(user=system_user(), **arguments)
        except CloneRefused as refused:
            raise CommandError("Refused: " + "; ".join(refused.preview.errors)) from refused
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        for line in preview_lines(preview):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Plan {plan.slug} started from {source.slug}."))
