"""Render one of a plan's documents to a PDF, Word (.docx) or standalone HTML file."""

import datetime
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from actions.models import LocalPlan
from reports import documents, docx
from reports.contexts import PLAN_DOCUMENTS
from reports.pdf import RenderError
from reports.selectors import NotYetCreated, end_of_day


class Command(BaseCommand):
    help = (
        "Render a plan's document to FILE: PDF, Word when FILE ends in .docx, or standalone "
        "HTML when it ends in .html. "
        "--as-at YYYY-MM-DD rebuilds it from the change history as the plan stood at the end "
        "of that day (Europe/London). --with-status makes Appendix two's working copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("document", choices=PLAN_DOCUMENTS)
        parser.add_argument("--plan", required=True, help="the local plan's slug")
        parser.add_argument("--as-at", dest="as_at", help="YYYY-MM-DD (or dd/mm/yyyy)")
        parser.add_argument("-o", "--output", required=True, help="the file to write")
        parser.add_argument("--no-cache", action="store_true",
                            help="render even if an identical render is cached")
        parser.add_argument("--with-status", action="store_true",
                            help="appendix-two only: the working copy, with each action's status")

    def handle(self, *args, document, plan, as_at, output, no_cache, with_status, **options):
        try:
            local_plan = LocalPlan.objects.select_related("council", "national_plan").get(
                slug=plan)
        except LocalPlan.DoesNotExist:
            raise CommandError(f"No local plan with slug “{plan}”.") from None
        moment = end_of_day(_parse_date(as_at)) if as_at else None
        chosen = {"status"} if with_status else set()
        started = time.perf_counter()
        try:
            built = documents.build(documents.get(document), local_plan, as_at=moment,
                                    options=chosen)
        except NotYetCreated as error:
            raise CommandError(str(error)) from None
        except ValueError:
            raise CommandError(f"--with-status applies to appendix-two only, not {document}."
                               ) from None
        path = Path(output)
        if path.suffix.lower() in (".html", ".htm"):
            path.write_text(documents.render_html(built), encoding="utf-8")
            self.stdout.write(f"Wrote {path} (HTML) in {time.perf_counter() - started:.2f} s")
            return
        if path.suffix.lower() == ".docx":
            try:
                word = docx.render_docx(built)
            except docx.NotKept:
                raise CommandError("This letter was approved before Word copies were kept: "
                                   "only its PDF is the letter as approved.") from None
            path.write_bytes(word.content)
            source = "as approved" if word.stored else f"written in {word.seconds:.2f} s"
            self.stdout.write(
                f"Wrote {path} (Word, {len(word.content) // 1024} KB, {source}) in "
                f"{time.perf_counter() - started:.2f} s"
            )
            return
        try:
            pdf = documents.render_pdf(built, use_cache=not no_cache,
                                       wait_seconds=documents.lease_seconds())
        except RenderError as error:
            raise CommandError(f"The PDF could not be made: {error}") from None
        path.write_bytes(pdf.content)
        source = "from cache" if pdf.cached else f"{pdf.pages} pages rendered"
        self.stdout.write(
            f"Wrote {path} ({len(pdf.content) // 1024} KB, {source}) in "
            f"{time.perf_counter() - started:.2f} s"
        )


def _parse_date(value: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise CommandError(f"--as-at “{value}” is not a date: use YYYY-MM-DD.")
