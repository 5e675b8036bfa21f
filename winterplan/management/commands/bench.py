"""Measure the server time and query count of the main pages.

    python manage.py bench [--runs 20] [--actions 500] [--json bench-results.json]

Runs inside a transaction that is rolled back, so `--actions` may grow the Cheshire East plan
to a size worth measuring without changing the database. Prints p50/p95 milliseconds and the
number of queries per page; never asserts anything (tests assert query counts, not times).
"""

import datetime
import json
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from actions.models import LocalAction, LocalKeyArea, LocalPlan
from winterplan.models import User

PLAN = "cheshire-east-2020-21"
PAGES = [
    ("dashboard", "actions:dashboard", [PLAN]),
    ("actions table", "actions:action-list", [PLAN]),
    ("actions export (xlsx)", "actions:action-list", [PLAN], {"_export": "xlsx"}),
    ("key area", "actions:key-area", [PLAN, "safe-discharge"]),
    ("key areas", "actions:key-area-list", [PLAN]),
    ("provider register", "providers:provider-list", ["cheshire-east"]),
]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--actions", type=int, default=0,
                            help="grow the plan to this many actions first (rolled back)")
        parser.add_argument("--json", dest="json_path", help="also write the figures here")

    def handle(self, *args, runs: int, actions: int, json_path: str | None, **options):
        if not LocalPlan.objects.filter(slug=PLAN).exists():
            raise CommandError("Load the sample data first: python manage.py load_sample_data")
        results = {}
        try:
            with transaction.atomic():
                if actions:
                    self._grow(actions)
                client = Client(SERVER_NAME="localhost")
                client.force_login(User.objects.get(username="officer"))
                for page in PAGES:
                    label, name, args = page[:3]
                    params = page[3] if len(page) > 3 else {}
                    try:
                        url = reverse(name, args=args)
                    except NoReverseMatch:
                        continue
                    results[label] = self._measure(client, url, params, runs)
                raise Rollback
        except Rollback:
            pass
        self.stdout.write(f"{'page':28} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
        for label, figures in results.items():
            self.stdout.write(
                f"{label:28} {figures['p50_ms']:8.1f} {figures['p95_ms']:8.1f} "
                f"{figures['queries']:8d}"
            )
        if json_path:
            with open(json_path, "w", encoding="utf-8") as file:
                json.dump({"pages": results}, file, indent=2)

    def _measure(self, client, url, params, runs):
        client.get(url, params, secure=True)  # warm-up
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, params, secure=True)
            timings.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        timings.sort()
        return {
            "p50_ms": statistics.median(timings),
            "p95_ms": timings[min(len(timings) - 1, int(len(timings) * 0.95))],
            "queries": len(queries.captured_queries),
        }

    def _grow(self, total: int) -> None:
        areas = list(LocalKeyArea.objects.filter(local_plan__slug=PLAN))
        team = LocalAction.objects.filter(local_key_area__local_plan__slug=PLAN).first().team
        existing = LocalAction.objects.filter(local_key_area__local_plan__slug=PLAN).count()
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

