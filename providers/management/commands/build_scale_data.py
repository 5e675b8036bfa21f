"""Build national-scale synthetic data on the database in DATABASE_URL.

    python manage.py build_scale_data [--councils 152] [--providers 15000] [--days 180]
                                      [--password PW] [--force]

Refuses when the database holds councils whose data is neither sample nor synthetic (use
--force to build beside them) and when synthetic councils exist already. Loads the sample data
first when the template plan (Cheshire East's) is missing. Prints what it wrote and its time.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from providers.scale.builder import ScaleRefused, scale_data_build


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--councils", type=int, default=152)
        parser.add_argument("--providers", type=int, default=15000)
        parser.add_argument("--days", type=int, default=180)
        parser.add_argument("--password", default=None,
                            help="password of the synthetic officers and managers "
                                 "(default: none usable)")
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--force", action="store_true",
                            help="build even though the database holds real councils' data")

    def handle(self, *args, councils, providers, days, password, seed, force, **options):
        if councils < 1 or providers < councils or days < 1:
            raise CommandError("Give at least one council, a provider per council and a day.")
        started = time.perf_counter()
        try:
            report = scale_data_build(councils=councils, providers=providers, days=days,
                                      force=force, password=password, seed=seed,
                                      log=self.stdout.write)
        except ScaleRefused as error:
            raise CommandError(str(error)) from error
        for what, count in report.counts.items():
            self.stdout.write(f"{what}: {count:,}")
        self.stdout.write(self.style.SUCCESS(
            f"Built {councils} synthetic councils in {time.perf_counter() - started:.1f} s; "
            f"the largest is {report.largest_council}."
        ))
