"""A backup restored into an empty database holds every row of the original: the same rows
in every table and the same `dumpdata`, on SQLite and on PostgreSQL."""

import hashlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from actions.models import LocalAction
from winterplan.sample_data import sample_data_load

ROOT = Path(settings.BASE_DIR)


def _manage(*args: str, database_url: str) -> str:
    """Run manage.py in a fresh process against another database (as an operator would)."""
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "tests.settings",
                        "DATABASE_URL": database_url}
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _checksum(dump: str) -> str:
    return hashlib.sha256(dump.strip().encode()).hexdigest()


def _counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from introspection
        counts[table] = cursor.fetchone()[0]
    return counts


def _source_state():
    tables = sorted(connection.introspection.table_names())
    with connection.cursor() as cursor:
        counts = _counts(cursor, tables)
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    return counts, _checksum(dump.getvalue())


@pytest.fixture
def scratch_postgres():
    """An empty PostgreSQL database beside the test database, dropped afterwards."""
    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_restore"
    options = {"host": params.get("HOST") or None, "port": params.get("PORT") or None,
               "user": params.get("USER") or None, "password": params.get("PASSWORD") or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **options) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    user = params.get("USER") or ""
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    at = "@" if user else ""
    url = (f"postgres://{user}{password}{at}{params.get('HOST') or 'localhost'}:"
           f"{params.get('PORT') or 5432}/{name}")
    yield url, lambda: psycopg.connect(dbname=name, **options)
    with psycopg.connect(dbname="postgres", autocommit=True, **options) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restored_into_an_empty_database_reproduces_every_row(
    sample_data_after_flush, transactional_db, tmp_path, request, settings
):
    """Transactional: the online backup copies committed data, as it does in production.
    Without --output the backup goes to BACKUP_DIR, named by the time."""
    if not LocalAction.objects.exists():  # an earlier transactional test left it flushed
        sample_data_load(demo_users=True, second_winter=False)
    counts, checksum = _source_state()
    assert counts["actions_localaction"] > 0 and counts["providers_provider"] > 0
    if connection.vendor == "postgresql":
        if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
            pytest.skip("the PostgreSQL client programs (pg_dump, pg_restore) are not installed")
        url, connect = request.getfixturevalue("scratch_postgres")
        suffix = ".dump"
    else:
        restored = tmp_path / "restored.sqlite3"
        sqlite3.connect(restored).close()  # an empty database
        url, connect = f"sqlite:///{restored}", lambda: sqlite3.connect(restored)
        suffix = ".sqlite3"

    settings.BACKUP_DIR = tmp_path / "backups"
    out = io.StringIO()
    call_command("backup_database", stdout=out)
    (backup,) = settings.BACKUP_DIR.iterdir()
    assert backup.name.startswith("winterplan-") and backup.suffix == suffix
    assert backup.stat().st_size > 0 and str(backup) in out.getvalue()

    _manage("restore_database", str(backup), "--no-input", database_url=url)

    with connect() as restored_db:
        cursor = restored_db.cursor()
        assert _counts(cursor, counts) == counts
    assert _checksum(_manage("dumpdata", database_url=url)) == checksum


@pytest.mark.django_db
def test_restore_asks_first_and_changes_nothing_without_yes(tmp_path, monkeypatch):
    backup = tmp_path / "backup"
    backup.write_bytes(b"not used")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore_database", str(backup))


@pytest.mark.django_db
def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore_database", str(tmp_path / "absent.dump"), "--no-input")


def _make_dry_run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-n", "-o", ".venv/.installed", *args], cwd=ROOT,
                          capture_output=True, text=True, check=False)


def test_make_backup_and_restore_call_the_commands():
    assert 'manage.py backup_database --output "x.dump"' in _make_dry_run(
        "backup", "FILE=x.dump").stdout
    assert 'manage.py restore_database "x.dump"' in _make_dry_run(
        "restore", "FILE=x.dump").stdout
    refused = subprocess.run(["make", "-o", ".venv/.installed", "restore"], cwd=ROOT,
                             capture_output=True, text=True, check=False)
    assert refused.returncode != 0 and "make restore FILE=" in refused.stdout


@pytest.mark.django_db
def test_a_sqlite_backup_inside_a_transaction_is_refused_instead_of_waiting(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with pytest.raises(CommandError, match="outside a transaction"):
        call_command("backup_database", "--output", str(tmp_path / "x.sqlite3"))
