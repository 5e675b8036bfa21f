"""Backups of the whole database, and restoring one (`manage.py backup_database`,
`restore_database`; `make backup`, `make restore FILE=…`).

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists` (the client
programs of the server's major version must be on the PATH). SQLite: the online backup API
(`sqlite3.Connection.backup`), which copies a consistent snapshot while the site runs and, on
restore, replaces every page of the target database.
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

POSTGRESQL = "postgresql"
SQLITE = "sqlite"


class BackupError(Exception):
    """A backup or restore that did not complete; the message says why."""


def vendor(alias: str = "default") -> str:
    """postgresql or sqlite; any other database is refused."""
    found = connections[alias].vendor
    if found not in (POSTGRESQL, SQLITE):
        raise ImproperlyConfigured(f"Backups support PostgreSQL and SQLite, not {found}.")
    return found


def default_path(alias: str = "default", now: datetime.datetime | None = None) -> Path:
    """BACKUP_DIR/winterplan-YYYYMMDD-HHMMSS.dump (PostgreSQL) or .sqlite3 (SQLite)."""
    now = now or datetime.datetime.now()
    suffix = ".dump" if vendor(alias) == POSTGRESQL else ".sqlite3"
    return Path(settings.BACKUP_DIR) / f"winterplan-{now:%Y%m%d-%H%M%S}{suffix}"


def _pg_command(program: str, settings_dict: dict) -> tuple[list[str], dict]:
    path = shutil.which(program)
    if path is None:
        raise BackupError(f"{program} is not on the PATH: install the PostgreSQL client "
                          "programs (Debian: postgresql-client).")
    args = [path, "--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args.append(f"{option}={settings_dict[key]}")
    env = os.environ.copy()
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(args: list[str], env: dict) -> None:
    # The program is found on the PATH; the arguments come from settings, not from a user.
    result = subprocess.run(args, env=env, capture_output=True, text=True,  # noqa: S603
                            check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()[-2000:]}")


def backup(path: Path, alias: str = "default") -> Path:
    """Write a backup of the database to `path` (its folder is created); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[alias]
    if vendor(alias) == POSTGRESQL:
        args, env = _pg_command("pg_dump", connection.settings_dict)
        _run([*args, "--format=custom", f"--file={path}", connection.settings_dict["NAME"]],
             env)
        return path
    if connection.in_atomic_block:  # it would wait forever for its own transaction's lock
        raise BackupError("Back up outside a transaction: a backup copies committed data.")
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return path


def restore(path: Path, alias: str = "default") -> None:
    """Replace the database's contents with the backup at `path` (every table, row and, on
    PostgreSQL, sequence)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    connection = connections[alias]
    if vendor(alias) == POSTGRESQL:
        connection.close()
        args, env = _pg_command("pg_restore", connection.settings_dict)
        _run([*args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={connection.settings_dict['NAME']}", str(path)], env)
        return
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite backup: {error}") from error
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()
