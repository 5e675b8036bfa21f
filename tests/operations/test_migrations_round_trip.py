"""Every app's migrations run backwards to zero and forwards again: ours with the sample data
in the database, Django's and the other libraries' on the empty schema first (their own
migrations cannot all shrink back over real data: auth's 0002 narrows permission names to 50
characters, which PostgreSQL refuses once longer names exist, so the permissions, which every
migrate writes again, are removed before auth goes back). On a scratch database of the
same engine (a SQLite file, or a PostgreSQL database beside the test database), in a child
process, so the test database is untouched."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

#: Leaves first, so each app is taken to zero while the apps it depends on still hold data.
OURS = ["reminders", "reports", "providers", "actions", "people", "winterplan"]
LIBRARIES = ["axes", "admin", "sessions", "auth", "contenttypes"]
APPS = LIBRARIES + OURS
#: Not ours and not reversible upstream: django-tasks-db 0.13's
#: 0013_separate_exception_fields is a RunPython without a reverse.
IRREVERSIBLE_UPSTREAM = {"django_tasks_database"}

SCRIPT = """
import sys
import django
django.setup()
from django.core.management import call_command
from winterplan.sample_data import sample_data_load

def round_trip(app):
    # Every migrate writes the permissions again; auth 0002 backwards cannot hold their names.
    if app in ("auth", "contenttypes"):
        from django.contrib.auth.models import Permission
        Permission.objects.all().delete()
    call_command("migrate", app, "zero", "--no-input", verbosity=0)
    call_command("migrate", "--no-input", verbosity=0)
    print("round trip", app, flush=True)

libraries, ours = sys.argv[1].split(","), sys.argv[2].split(",")
call_command("migrate", "--no-input", verbosity=0)
for app in libraries:
    round_trip(app)
call_command("createcachetable", verbosity=0)
sample_data_load(demo_users=True)
for app in ours:
    round_trip(app)
call_command("migrate", "--check", "--no-input", verbosity=0)
"""


@pytest.fixture
def scratch_database_url(tmp_path):
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_migrations"
    options = {"host": params.get("HOST") or None, "port": params.get("PORT") or None,
               "user": params.get("USER") or None, "password": params.get("PASSWORD") or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **options) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    user = params.get("USER") or ""
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    at = "@" if user else ""
    yield (f"postgres://{user}{password}{at}{params.get('HOST') or 'localhost'}:"
           f"{params.get('PORT') or 5432}/{name}")
    with psycopg.connect(dbname="postgres", autocommit=True, **options) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_every_apps_migrations_go_to_zero_and_back(
    scratch_database_url
):
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "tests.settings",
                        "DATABASE_URL": scratch_database_url}
    result = subprocess.run([sys.executable, "-c", SCRIPT, ",".join(LIBRARIES), ",".join(OURS)],
                            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    assert result.stdout.split("\n")[:-1] == [f"round trip {app}" for app in APPS]


def test_the_round_trip_covers_every_app_with_migrations():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    assert {app for app, _ in loader.graph.leaf_nodes()} == set(APPS) | IRREVERSIBLE_UPSTREAM
