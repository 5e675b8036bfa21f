"""The database cache's table, which the reset form's throttle counts in: made by `migrate`,
so no deployment (or test database) can lack it. Nothing happens for a Redis cache."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_invitations")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
