"""`load_sample_data` is idempotent and creates the demo users; migrations create none."""

import io
import os
import sqlite3
import subprocess
import sys

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from winterplan.models import User

pytestmark = pytest.mark.django_db


def _row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"winterplan", "actions", "providers", "reports", "auth"}
    }


@pytest.mark.parametrize("options", [[], ["--update"]])
def test_loading_twice_changes_no_row(options):
    # The test database holds the first winter only (tests/conftest.py): load it all first.
    call_command("load_sample_data", *options, stdout=io.StringIO())
    before = _row_counts()
    out = io.StringIO()
    call_command("load_sample_data", *options, stdout=out)
    assert _row_counts() == before
    assert "0 rows written" in out.getvalue()


def test_update_restores_an_edited_row_and_keeps_history():
    from actions.models import LocalAction

    action = LocalAction.objects.get(text__startswith="Collate a list of pharmacies")
    history_before = action.history.count()
    action.text = "Edited"
    action.save()
    call_command("load_sample_data", stdout=io.StringIO())
    action.refresh_from_db()
    assert action.text == "Edited"
    call_command("load_sample_data", "--update", stdout=io.StringIO())
    action.refresh_from_db()
    assert action.text.startswith("Collate a list of pharmacies")
    assert action.history.count() == history_before + 2
    assert action.history.first().text.startswith("Collate")


def test_demo_users_have_their_roles_councils_and_the_demo_password(settings):
    expected = {
        "officer": ("officer", "cheshire-east"),
        "committee": ("committee", "cheshire-east"),
        "manager": ("manager", "cheshire-east"),
        "halton-officer": ("officer", "halton"),
        "halton-committee": ("committee", "halton"),
        "halton-manager": ("manager", "halton"),
        "admin": ("admin", None),
    }
    for username, (role, council) in expected.items():
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert (user.council.slug if user.council else None) == council
        assert user.check_password(settings.DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_superuser


def test_migrations_create_the_roles_but_no_users(tmp_path):
    """The roles are part of the schema; users come only from load_sample_data."""
    database = tmp_path / "fresh.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=settings.BASE_DIR, env=env, check=True, capture_output=True,
    )
    with sqlite3.connect(database) as connection:
        users = connection.execute("select count(*) from winterplan_user").fetchone()[0]
        groups = {name for (name,) in connection.execute("select name from auth_group")}
    assert users == 0
    assert groups == {"officer", "committee", "manager", "admin", "regional", "national"}


def _rename_demo_officer():
    User.objects.filter(username="officer").update(username="officer-before")


def test_update_never_resets_an_existing_users_password_or_rights(settings):
    """Production: `--update` (even with `--demo-users`) leaves a changed admin as it is."""
    admin = User.objects.get(username="admin")
    admin.set_password("a-real-production-password")
    admin.is_superuser = False
    admin.save()
    admin.groups.clear()
    for options in (["--update"], ["--update", "--demo-users"]):
        call_command("load_sample_data", *options, stdout=io.StringIO(), stderr=io.StringIO())
        admin.refresh_from_db()
        assert admin.check_password("a-real-production-password")
        assert not admin.check_password(settings.DEMO_PASSWORD)
        assert not admin.is_superuser
        assert not admin.groups.exists()


def test_production_creates_no_demo_user_without_the_flag_and_says_so():
    _rename_demo_officer()
    err = io.StringIO()
    call_command("load_sample_data", stdout=io.StringIO(), stderr=err)
    assert not User.objects.filter(username="officer").exists()
    assert "Demo users not created" in err.getvalue()


def test_production_creates_demo_users_with_the_flag_and_warns(settings):
    _rename_demo_officer()
    err = io.StringIO()
    call_command("load_sample_data", "--demo-users", stdout=io.StringIO(), stderr=err)
    assert User.objects.get(username="officer").check_password(settings.DEMO_PASSWORD)
    assert "Warning: creating demo users" in err.getvalue()


def test_development_creates_the_missing_demo_users(settings):
    settings.DEBUG = True
    _rename_demo_officer()
    call_command("load_sample_data", stdout=io.StringIO(), stderr=io.StringIO())
    officer = User.objects.get(username="officer")
    assert list(officer.groups.values_list("name", flat=True)) == ["officer"]
