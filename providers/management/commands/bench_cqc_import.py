"""python manage.py bench_cqc_import [--rows 120000] [--format ods|xlsx|csv|all] [--council SLUG]

Writes a synthetic national CQC file (the HSCA Active Locations workbook as .ods and .xlsx, the
care directory as Windows-1252 CSV; made-up rows over 155 local authorities) and imports it for
one council as the upload's preview does (read, filter, map, compare with the register; nothing
written), each in a fresh process, printing the file's size, the time and the peak memory
(RSS). Times on a shared machine vary: compare the formats with each other, not across runs.
"""

import json
import subprocess  # noqa: S404 - our own manage.py, no shell
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from providers.cqc import synthetic

#: xlsx: text in shared strings, as Excel writes it; xlsx-inline: as openpyxl writes it.
FORMATS = ("ods", "xlsx", "xlsx-inline", "csv")


def _write(path: Path, kind: str, rows: int) -> None:
    if kind == "ods":
        path.write_bytes(synthetic.hsca_ods(synthetic.national_rows(rows)))
    elif kind == "xlsx":
        path.write_bytes(synthetic.hsca_xlsx_shared_strings(synthetic.national_rows(rows)))
    elif kind == "xlsx-inline":
        path.write_bytes(synthetic.hsca_xlsx(synthetic.national_rows(rows)))
    else:
        path.write_bytes(synthetic.directory_csv(synthetic.national_directory_rows(rows)))


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike getrusage's ru_maxrss it does not
    carry the parent's peak across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Command(BaseCommand):
    help = "Time and measure importing a synthetic national CQC file for one council."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=120_000)
        parser.add_argument("--format", choices=(*FORMATS, "all"), default="all")
        parser.add_argument("--council", default="halton")
        parser.add_argument("--measure", help="(internal) import this file and print figures")

    def handle(self, *args, rows, format, council, measure, **options):
        if measure:
            return self._measure(Path(measure), council)
        limits = (f"limits: {settings.IMPORT_CQC_MAX_UPLOAD_MB} MB, "
                  f"{settings.IMPORT_CQC_MAX_ROWS:,} rows, {settings.IMPORT_CQC_MAX_SECONDS} s")
        self.stdout.write(f"{rows:,} synthetic rows; importing for {council} ({limits})")
        with tempfile.TemporaryDirectory() as folder:
            for kind in FORMATS if format == "all" else (format,):
                path = Path(folder) / f"national-{kind}.{kind.split('-')[0]}"
                started = time.monotonic()
                _write(path, kind, rows)
                written = time.monotonic() - started
                child = subprocess.run(  # noqa: S603
                    [sys.executable, sys.argv[0], "bench_cqc_import", "--council", council,
                     "--measure", str(path)], capture_output=True, text=True, check=False)
                if child.returncode:
                    self.stderr.write(child.stderr[-2000:])
                    continue
                figures = json.loads(child.stdout.strip().splitlines()[-1])
                self.stdout.write(
                    f"{kind:>11}: {path.stat().st_size / 2**20:6.1f} MB file (written in "
                    f"{written:.1f} s); import {figures['seconds']:.1f} s, peak RSS "
                    f"{figures['peak_mb']:.0f} MB (process at start {figures['start_mb']:.0f} "
                    f"MB); {figures['rows_read']:,} rows read, {figures['kept']:,} kept for "
                    f"{council}, {figures['missing']:,} of its providers not in the file")

    def _measure(self, path: Path, slug: str) -> None:
        from providers.management.commands._common import council_named
        from providers.services.imports import providers_import

        council = council_named(slug)
        content = path.read_bytes()
        start_mb = _peak_mb()
        started = time.monotonic()
        result = providers_import(council=council, filename=path.name, content=content,
                                  dry_run=True)
        seconds = time.monotonic() - started
        peak_mb = _peak_mb()
        self.stdout.write(json.dumps({
            "seconds": seconds, "peak_mb": peak_mb, "start_mb": start_mb,
            "rows_read": result.source.rows_read,
            "kept": len(result.created) + len(result.updated) + len(result.unchanged),
            "missing": len(result.missing)}))
