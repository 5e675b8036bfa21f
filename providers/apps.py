from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Care providers"

    def ready(self):
        from providers import documents  # noqa: F401 - registers the providers' documents
