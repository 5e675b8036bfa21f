from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "winterplan.people"
    label = "people"
    verbose_name = "People and invitations"
