from django.apps import AppConfig


class WinterplanConfig(AppConfig):
    name = "winterplan"
    verbose_name = "Councils and users"
