"""Benchmark the plan's documents: python manage.py bench_documents [--sizes 1,4,16] [--json F].

For each document and plan size (the sample plan with its actions and commentary copied N
times, inside a transaction that is rolled back): a cold whole render in a fresh Python
process (python + WeasyPrint import + render of the standalone HTML; Django's start-up is not
included), a warm whole render in this process, after one edit (edit an action -> fresh
document stored; the section cache warm), a download from the cache by the download view's
path (`cached_ms`: found by the data version; `rebuilt_key_ms`: the data rebuilt and hashed,
as before data versions), the document's page body from the cache (`page_cached_ms`), and
Chromium's `--headless --print-to-pdf` of the same HTML when /usr/bin/chromium exists. Merges
the figures into the JSON file under `documents` -> name -> {cold_s, warm_s, after_edit_s,
cached_ms, rebuilt_key_ms, page_cached_ms, chromium_s} (sizes other than 1× as `name@N×`).
Timings on a shared machine vary: read the ratios.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

CHROMIUM = "/usr/bin/chromium"
DOCUMENTS = ("appendix-two", "committee-report")


class _Rollback(Exception):
    pass


def _timed(function, runs: int = 1) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _grow(plan, times: int) -> None:
    """Copy every action and top-level commentary bullet of the plan `times - 1` times."""
    from actions.models import Commentary, LocalAction

    for model in (LocalAction, Commentary):
        rows = model.objects.filter(local_key_area__local_plan=plan)
        if model is Commentary:
            rows = rows.filter(indent=0)
        originals = [{f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields}
                     for row in rows]
        copies = []
        for copy_number in range(1, times):
            for values in originals:
                copies.append(model(**{
                    **values, "id": None,
                    "position": values["position"] + 100 * copy_number,
                    "text": f"{values['text']} (copy {copy_number})"}))
        model.objects.bulk_create(copies, batch_size=500)
    from winterplan import versions

    versions.bump([plan.council_id], versions.PLAN)  # bulk_create sends no signals


class Command(BaseCommand):
    help = "Time the documents at several plan sizes against Chromium."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="1,4,16", help="plan sizes, e.g. 1,4,16")
        parser.add_argument("--documents", default=",".join(DOCUMENTS))
        parser.add_argument("--json", dest="json_path")

    def handle(self, *args, sizes, documents, json_path, **options):
        figures = {}
        for size in [int(value) for value in sizes.split(",")]:
            try:
                with transaction.atomic():
                    figures.update(self._measure(size, documents.split(",")))
                    raise _Rollback
            except _Rollback:
                pass
        self._print(figures)
        if json_path:
            path = Path(json_path)
            data = json.loads(path.read_text()) if path.exists() else {}
            data.setdefault("documents", {}).update(figures)
            path.write_text(json.dumps(data, indent=2) + "\n")

    def _measure(self, size: int, slugs: list[str]) -> dict:
        from actions.models import LocalPlan
        from reports.pdf import warm_up

        warm_up()
        plan = LocalPlan.objects.select_related("council", "national_plan").get(
            slug="cheshire-east-2020-21")
        if size > 1:
            _grow(plan, size)
        return {(slug if size == 1 else f"{slug}@{size}x"): self._document(slug, size, plan)
                for slug in slugs}

    def _document(self, slug: str, size: int, plan) -> dict:
        from actions.models import LocalAction
        from reports import documents
        from reports.pdf import _render_here

        document = documents.get(slug)
        html = documents.render_html(documents.build(document, plan))
        row = {"size": size}
        with tempfile.TemporaryDirectory() as directory:
            row["cold_s"] = self._cold(html, Path(directory))
            row["chromium_s"] = self._chromium(html, Path(directory))
        row["warm_s"] = _timed(lambda: _render_here(html))
        documents.render_pdf(documents.build(document, plan))  # stored; section cache filled
        action = LocalAction.objects.filter(local_key_area__local_plan=plan).first()

        def edit_and_store():
            action.text = f"{action.text}."
            action.save()
            result = documents.render_pdf(documents.build(document, plan))
            row["after_edit_pages"] = result.pages
            row["after_edit_laid_out"] = len(result.laid_out)

        row["after_edit_s"] = _timed(edit_and_store, runs=3)  # median of three edits
        documents.pdf_for(document, plan)  # found by its data hash; version key recorded
        # The download view's path: found by the data version, no data read.
        row["cached_ms"] = 1000 * _timed(lambda: documents.pdf_for(document, plan), runs=5)
        # The path before data versions: rebuild all the data and hash it.
        row["rebuilt_key_ms"] = 1000 * _timed(
            lambda: documents.render_pdf(documents.build(document, plan)), runs=5)
        documents.page_body(document, plan)
        row["page_cached_ms"] = 1000 * _timed(lambda: documents.page_body(document, plan),
                                              runs=5)
        return row

    def _cold(self, html: str, directory: Path) -> float:
        """A fresh interpreter: import WeasyPrint, render the standalone HTML (PDF/UA-1)."""
        source = directory / "document.html"
        source.write_text(self._local_html(html))
        script = ("import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1])"
                  ".write_pdf(sys.argv[2], pdf_variant='pdf/ua-1')")
        return _timed(lambda: subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-c", script, str(source), str(directory / "w.pdf")],
            check=True, capture_output=True))

    def _chromium(self, html: str, directory: Path) -> float | None:
        if not os.path.exists(CHROMIUM):
            return None
        source = directory / "chromium.html"
        source.write_text(self._local_html(html))
        command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                   "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", "--no-pdf-header-footer",
                   f"--print-to-pdf={directory / 'c.pdf'}", source.as_uri()]
        return _timed(lambda: subprocess.run(command,  # noqa: S603 - fixed arguments
                                             check=True, capture_output=True,
                                             timeout=300))

    def _local_html(self, html: str) -> str:
        from reports.pdf import STATIC_BASE

        static = (Path(settings.BASE_DIR) / "static").as_uri() + "/"
        return html.replace(STATIC_BASE, static)

    def _print(self, figures: dict) -> None:
        self.stdout.write(f"{'document':28} {'pages':>5} {'cold s':>7} {'warm s':>7} "
                          f"{'edit s':>7} {'cache ms':>8} {'rehash ms':>9} {'page ms':>7} "
                          f"{'chrome s':>8} {'cold/ch':>7} {'edit/ch':>7}")
        for name, row in figures.items():
            chromium = row["chromium_s"]

            def ratio(value, chromium=chromium):
                return f"{value / chromium:7.2f}" if chromium else "      -"

            self.stdout.write(
                f"{name:28} {row['after_edit_pages']:5d} {row['cold_s']:7.2f} "
                f"{row['warm_s']:7.2f} {row['after_edit_s']:7.2f} {row['cached_ms']:8.1f} "
                f"{row['rebuilt_key_ms']:9.1f} {row['page_cached_ms']:7.1f} "
                f"{(chromium or 0):8.2f} {ratio(row['cold_s'])} {ratio(row['after_edit_s'])}")
