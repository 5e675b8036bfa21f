"""The two read-only oversight roles are groups too: regional and national readers."""

from django.db import migrations

ROLES = ("regional", "national")


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("winterplan", "0007_regions_and_council_lifetimes")]

    operations = [migrations.RunPython(create_roles, remove_roles)]
