"""Measure the server time and query count of the main pages at national scale.

    python manage.py bench [--runs 20] [--actions N] [--json bench-results.json]
                           [--councils N --providers N --days N] [--sample-only]

First builds the national-scale synthetic data (`build_scale_data`) on the database when it
is not there: 152 councils, 15,000 providers, 180 days of returns on PostgreSQL; 20 councils,
3,000 providers, 30 days on SQLite (a smaller default: SQLite is the embedded, single-machine
choice). Then measures every main page for the largest council (its officer; the oversight
roll-up as a national reader): a warm-up request, then `--runs` requests, p50/p95 ms and the
queries of one request; twice: "cached" (the page asked again, its cached fragment found) and
"built" (each request after a bump of the council's data version, as after an edit).
`--sample-only` measures Cheshire East's sample instead, as before.

`--actions` grows the measured plan to that many actions inside a transaction that is rolled
back. Never asserts anything (tests assert query counts, not times). `--json` writes `pages`
(name → p50_ms, p95_ms, queries) and `scale` (the synthetic rows counted), keeping any other
keys the file holds (the documents benchmark writes `documents`).
"""

import datetime
import json
import statistics
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from simple_history.models import HistoricalRecords

from winterplan import versions
from winterplan.models import User

SAMPLE_PLAN = "cheshire-east-2020-21"
SAMPLE_COUNCIL = "cheshire-east"
DEFAULT_SCALE = {
    "postgresql": {"councils": 152, "providers": 15000, "days": 180},
    "sqlite": {"councils": 20, "providers": 3000, "days": 30},
}


def pages(plan: str, council: str, round_slug: str | None) -> list[tuple]:
    """(label, URL name, args, query, who) of every main page; who is "officer" or
    "national"."""
    listed = [
        ("dashboard", "actions:dashboard", [plan], {}, "officer"),
        ("actions table", "actions:action-list", [plan], {}, "officer"),
        ("actions export (csv)", "actions:action-list", [plan], {"_export": "csv"}, "officer"),
        ("actions export (xlsx)", "actions:action-list", [plan], {"_export": "xlsx"},
         "officer"),
        ("key area", "actions:key-area", [plan, "safe-discharge"], {}, "officer"),
        ("key areas", "actions:key-area-list", [plan], {}, "officer"),
        ("appendix two (html)", "reports:appendix-two", [plan], {}, "officer"),
        ("provider register", "providers:provider-list", [council], {}, "officer"),
        ("provider export (csv)", "providers:provider-list", [council], {"_export": "csv"},
         "officer"),
        ("risk log", "providers:risk-log", [council], {}, "officer"),
        ("returns screen", "providers:returns-day", [council], {}, "officer"),
        ("highlight report", "providers:highlight-report", [council], {}, "officer"),
        ("oversight roll-up", "oversight:rollup", [], {}, "national"),
    ]
    if round_slug:
        listed.insert(-1, ("funding tranche", "providers:icf-tranche", [council, round_slug, 1],
                           {}, "officer"))
    return listed


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--actions", type=int, default=0,
                            help="grow the measured plan to this many actions first (rolled "
                                 "back)")
        parser.add_argument("--json", dest="json_path", help="also write the figures here")
        parser.add_argument("--councils", type=int)
        parser.add_argument("--providers", type=int)
        parser.add_argument("--days", type=int)
        parser.add_argument("--only", action="append", default=[],
                            help="measure only pages whose name contains this (repeatable)")
        parser.add_argument("--sample-only", action="store_true",
                            help="measure the Cheshire East sample; build nothing")

    def handle(self, *args, runs: int, actions: int, json_path: str | None, sample_only: bool,
               only: list[str], **options):
        if not apps.get_model("actions", "LocalPlan").objects.filter(slug=SAMPLE_PLAN).exists():
            raise CommandError("Load the sample data first: python manage.py load_sample_data")
        from providers.scale.builder import largest_synthetic_council, scale_counts

        scale = {}
        if sample_only:
            council_slug, plan_slug = SAMPLE_COUNCIL, SAMPLE_PLAN
            officer = User.objects.get(username="officer")
        else:
            self._build_when_absent(options)
            council = largest_synthetic_council()
            council_slug, plan_slug = council.slug, f"{council.slug}-2020-21"
            officer = User.objects.get(username=f"{council.slug}-officer")
            scale = scale_counts()
            scale["largest_council_providers"] = council.providers.count()
        national = self._national_reader()
        icf_round = apps.get_model("providers", "IcfRound").objects.filter(
            council__slug=council_slug).order_by("pk").first()
        results = {}
        council_pk = apps.get_model("winterplan", "Council").objects.get(slug=council_slug).pk
        # The test client's requests end by clearing simple-history's request; keep the
        # command line's attribution (manage.py) for when the command ends.
        attribution = getattr(HistoricalRecords.context, "request", None)
        try:
            with transaction.atomic():
                if actions:
                    self._grow(plan_slug, actions)
                clients = {"officer": Client(SERVER_NAME="localhost"),
                           "national": Client(SERVER_NAME="localhost")}
                clients["officer"].force_login(officer)
                clients["national"].force_login(national)
                for label, name, url_args, params, who in pages(
                        plan_slug, council_slug, icf_round.slug if icf_round else None):
                    if only and not any(part in label for part in only):
                        continue
                    try:
                        url = reverse(name, args=url_args)
                    except NoReverseMatch:
                        continue
                    # Built: each request after a bump of the council's data version (as
                    # after an edit), so no cached fragment or document page is found.
                    built = self._measure(clients[who], url, params, runs,
                                          before=lambda: versions.bump([council_pk],
                                                                       versions.BOTH))
                    results[label] = {
                        **self._measure(clients[who], url, params, runs),
                        **{f"built_{key}": value for key, value in built.items()},
                    }
                raise Rollback
        except Rollback:
            pass
        finally:
            if attribution is not None:
                HistoricalRecords.context.request = attribution
        if scale:
            self.stdout.write(f"Measured {council_slug} ({scale['largest_council_providers']} "
                              f"providers) of {scale['councils']} synthetic councils, "
                              f"{scale['providers']:,} providers, "
                              f"{scale['daily_returns']:,} daily returns.")
        self.stdout.write("cached: as a page is served again while its data is unchanged; "
                          "built: after an edit of its data (nothing found in the cache)")
        self.stdout.write(f"{'page':28} {'cached p50':>10} {'p95':>7} {'queries':>8}   "
                          f"{'built p50':>9} {'p95':>7} {'queries':>8}")
        for label, figures in results.items():
            self.stdout.write(
                f"{label:28} {figures['p50_ms']:10.1f} {figures['p95_ms']:7.1f} "
                f"{figures['queries']:8d}   {figures['built_p50_ms']:9.1f} "
                f"{figures['built_p95_ms']:7.1f} {figures['built_queries']:8d}"
            )
        if json_path:
            path = Path(json_path)
            try:
                existing = json.loads(path.read_text(encoding="utf-8"))
            except (FileNotFoundError, ValueError):
                existing = {}
            if not isinstance(existing, dict):
                existing = {}
            existing.update({"pages": results, "scale": scale,
                             "database": connection.vendor})
            path.write_text(json.dumps(existing, indent=2), encoding="utf-8")

    def _build_when_absent(self, options) -> None:
        from providers.scale.builder import synthetic_councils

        if synthetic_councils().exists():
            return
        wanted = dict(DEFAULT_SCALE.get(connection.vendor, DEFAULT_SCALE["sqlite"]))
        wanted.update({key: options[key] for key in wanted if options.get(key)})
        self.stdout.write(f"No synthetic data on this database: building {wanted}…")
        call_command("build_scale_data", password=settings.DEMO_PASSWORD, stdout=self.stdout,
                     **wanted)

    @staticmethod
    def _national_reader() -> User:
        """The demo national reader, else the builder's."""
        user = User.objects.filter(username="national").first()
        if user is None:
            user = User.objects.get(username="synthetic-national")
        return user

    def _measure(self, client, url, params, runs, before=None):
        client.get(url, params, secure=True)  # warm-up
        timings = []
        for _ in range(runs):
            if before is not None:
                before()
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, params, secure=True)
                if response.streaming:  # the time includes producing every row
                    b"".join(response.streaming_content)
            timings.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        timings.sort()
        return {
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 1),
            "queries": len(queries.captured_queries),
        }

    def _grow(self, plan_slug: str, total: int) -> None:
        LocalAction = apps.get_model("actions", "LocalAction")
        LocalKeyArea = apps.get_model("actions", "LocalKeyArea")
        areas = list(LocalKeyArea.objects.filter(local_plan__slug=plan_slug))
        actions = LocalAction.objects.filter(local_key_area__local_plan__slug=plan_slug)
        team = actions.first().team
        existing = actions.count()
        LocalAction.objects.bulk_create(
            LocalAction(
                local_key_area=areas[number % len(areas)],
                position=1000 + number,
                text=f"Benchmark action {number}",
                team=team,
                deadline=datetime.date(2020, 10, 1) + datetime.timedelta(days=number % 90),
                status=("not_started", "in_progress", "complete", "at_risk")[number % 4],
            )
            for number in range(max(0, total - existing))
        )
