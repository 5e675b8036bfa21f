"""A migrated SQLite *file* (made once per session), for tests of several connections at once:
each test gets its own copy and runs Django against it in a child process."""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings


def _env(database, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update(DJANGO_SETTINGS_MODULE="tests.settings", DATABASE_URL=f"sqlite:///{database}")
    env.update({k: str(v) for k, v in extra.items()})
    return env


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory):
    database = tmp_path_factory.mktemp("sqlite") / "migrated.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=settings.BASE_DIR, env=_env(database), check=True, capture_output=True,
    )
    return database


@pytest.fixture
def sqlite_file(migrated_sqlite_template, tmp_path):
    """A copy of the migrated database file for this test alone."""
    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated_sqlite_template, database)
    return database


def run_django(database, code: str, **env) -> str:
    """Run `code` with Django set up on `database` (test settings); its stdout, or fail."""
    script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=_env(database, **env),
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout
