from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Winter plans and actions"

    def ready(self):
        from actions.oversight import documents  # noqa: F401 - registers the regional summary
