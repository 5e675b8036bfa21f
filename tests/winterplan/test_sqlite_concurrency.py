"""SQLite as an embedded database shared by several processes: write-ahead logging, writers that
queue for the lock instead of failing, reads that write nothing, and a styled 503 when the
database stays busy. Each test runs Django on its own SQLite file in a child process."""

import json
import sqlite3

from tests.winterplan.conftest import run_django

SIGNED_IN_CLIENT = """
from django.contrib.auth.models import Group
from django.test import Client
from winterplan.models import Council, User
council = Council.objects.create(name="A", slug="a", address="x", dass_name="d")
user = User.objects.create_user("reader", password="a-long-enough-password-1", council=council)
user.groups.add(Group.objects.get(name="officer"))
client = Client(raise_request_exception=False)
client.force_login(user)
assert client.get("/plans/").status_code == 200  # the first request after sign-in
"""


def _hold_write_lock(database):
    """Another process's write transaction: holds SQLite's write lock until rolled back."""
    holder = sqlite3.connect(database, isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE django_migrations SET name = name WHERE id = 1")
    return holder


def test_the_database_is_in_write_ahead_logging_mode(sqlite_file):
    out = run_django(sqlite_file, """
        from django.db import connection
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            print(cursor.fetchone()[0])
    """)
    assert out.strip() == "wal"


def test_two_simultaneous_read_then_write_transactions_both_succeed(sqlite_file):
    """Deferred transactions fail one of these with "database is locked"; IMMEDIATE ones queue."""
    out = run_django(sqlite_file, """
        import json, threading, time
        from django.db import connection, transaction
        from winterplan.models import Council
        Council.objects.create(name="A", slug="a", address="x", dass_name="d")
        errors = []

        def edit(telephone, pause):
            try:
                with transaction.atomic():
                    council = Council.objects.get(slug="a")
                    time.sleep(pause)
                    council.telephone = telephone
                    council.save()
            except Exception as error:
                errors.append(repr(error))
            finally:
                connection.close()

        first = threading.Thread(target=edit, args=("1", 0.6))
        second = threading.Thread(target=edit, args=("2", 0))
        first.start(); time.sleep(0.2); second.start()
        first.join(); second.join()
        print(json.dumps({"errors": errors, "history": Council.history.count()}))
    """)
    result = json.loads(out)
    assert result["errors"] == []
    assert result["history"] == 3  # created, then both edits, one after the other


def test_a_signed_in_read_writes_nothing_while_another_process_writes(sqlite_file):
    """Reads neither wait for nor fail on another process's write transaction."""
    code = SIGNED_IN_CLIENT + """
import os, time
open(os.environ["READY_FILE"], "w").close()
while not os.path.exists(os.environ["LOCKED_FILE"]):
    time.sleep(0.05)
started = time.monotonic()
response = client.get("/plans/")
print(response.status_code, round(time.monotonic() - started, 2))
"""
    _run_while_locked(sqlite_file, code, expect="200")


def test_a_write_that_stays_locked_past_the_timeout_answers_a_styled_503(sqlite_file):
    code = SIGNED_IN_CLIENT + """
import os, time
open(os.environ["READY_FILE"], "w").close()
while not os.path.exists(os.environ["LOCKED_FILE"]):
    time.sleep(0.05)
response = client.post("/password/", {
    "old_password": "a-long-enough-password-1",
    "new_password1": "another-long-password-2",
    "new_password2": "another-long-password-2",
})
page = response.content.decode()
print(response.status_code, response["Retry-After"], "The service is busy" in page,
      "wpt-header" in page, "Traceback" not in page)
"""
    _run_while_locked(sqlite_file, code, expect="503 5 True True True")


def test_a_session_renewal_that_stays_locked_answers_503_not_a_bare_400(sqlite_file):
    code = SIGNED_IN_CLIENT + """
import os, time
session = client.session
session["_wpt_renewed"] = 0  # renewal due on the next request
session.save()
open(os.environ["READY_FILE"], "w").close()
while not os.path.exists(os.environ["LOCKED_FILE"]):
    time.sleep(0.05)
response = client.get("/plans/")
print(response.status_code, "The service is busy" in response.content.decode())
"""
    _run_while_locked(sqlite_file, code, expect="503 True")


def test_health_answers_503_busy_while_the_write_lock_is_held(sqlite_file):
    code = """
import os, time
from django.test import Client
assert Client().get("/health").status_code == 200
open(os.environ["READY_FILE"], "w").close()
while not os.path.exists(os.environ["LOCKED_FILE"]):
    time.sleep(0.05)
response = Client().get("/health")
print(response.status_code, response.json()["database"])
"""
    _run_while_locked(sqlite_file, code, expect="503 busy")


def _run_while_locked(database, code, *, expect):
    """Start `code` in a child; once it is ready, hold the write lock until it has answered."""
    import os
    import subprocess
    import sys
    import textwrap
    import time

    from django.conf import settings

    from tests.winterplan.conftest import _env

    ready, locked = database.with_suffix(".ready"), database.with_suffix(".locked")
    child = subprocess.Popen(
        [sys.executable, "-c", "import django\ndjango.setup()\n" + textwrap.dedent(code)],
        cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=_env(database, READY_FILE=ready, LOCKED_FILE=locked, SQLITE_TIMEOUT_SECONDS=1,
                 HEALTH_DB_TIMEOUT_SECONDS=1),
    )
    try:
        deadline = time.monotonic() + 60
        while not os.path.exists(ready):
            assert child.poll() is None, child.communicate()[1][-3000:]
            assert time.monotonic() < deadline
            time.sleep(0.05)
        holder = _hold_write_lock(database)
        locked.touch()
        try:
            out, err = child.communicate(timeout=60)
        finally:
            holder.rollback()
            holder.close()
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err[-3000:]
    assert out.split()[: len(expect.split())] == expect.split(), out + err[-2000:]


def test_health_is_ok_on_a_migrated_file_and_503_on_an_empty_one(sqlite_file, tmp_path):
    probe = """
        from django.test import Client
        response = Client().get("/health")
        body = response.content.decode()
        print(response.status_code, response.json()["database"], "SECRET" in body)
    """
    assert run_django(sqlite_file, probe).split() == [
        "200", "ok", "False"]
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert run_django(empty, probe).split() == ["503", "not", "migrated", "False"]
