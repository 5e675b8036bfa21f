from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Documents"

    def ready(self):
        from reports import contexts  # noqa: F401 - registers the plan's documents
        from reports.tasks import connect_signals

        connect_signals()
