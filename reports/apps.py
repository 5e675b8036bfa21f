import sys

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Documents"

    def ready(self):
        from reports import (
            contexts,  # noqa: F401 - registers the plan's documents
            versioning,
        )
        from reports.tasks import connect_signals

        connect_signals()
        versioning.connect_signals()
        if sys.argv[1:2] == ["db_worker"]:
            # The task worker renders documents: load WeasyPrint as it starts.
            from reports.pdf import warm_up

            warm_up()
