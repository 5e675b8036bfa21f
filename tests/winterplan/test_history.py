"""History keeps who, for everything: users are never deleted while history names them; users,
teams, roles and the national plan are kept in history; command-line changes name the system
user and the command."""

import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from actions.models import KeyArea, LocalAction, NationalPlan, Requirement, Theme
from tests.winterplan.conftest import _env
from winterplan.models import Team, User

pytestmark = pytest.mark.django_db


def _officer_edits_an_action(officer_client):
    action = LocalAction.objects.filter(local_key_area__local_plan__slug="cheshire-east-2020-21"
                                        ).first()
    action._history_user = User.objects.get(username="officer")
    action.text = "Changed by the officer"
    action.save()
    return action


def test_a_user_named_in_history_cannot_be_deleted_so_history_keeps_who(
    officer_client, admin_client,
):
    action = _officer_edits_an_action(officer_client)
    officer = User.objects.get(username="officer")
    with pytest.raises(ProtectedError, match="deactivate"):
        officer.delete()
    with pytest.raises(ProtectedError):
        User.objects.filter(username__in=["officer", "committee"]).delete()
    delete = reverse("admin:winterplan_user_delete", args=[officer.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert "delete_selected" not in admin_client.get(
        reverse("admin:winterplan_user_changelist")).content.decode()
    assert action.history.first().history_user == officer


def test_a_user_named_in_no_history_can_still_be_deleted():
    User.objects.create_user("typo-user", password="a-long-enough-password-1")
    User.objects.get(username="typo-user").delete()
    assert not User.objects.filter(username="typo-user").exists()


@pytest.mark.parametrize("model", [User, Team, NationalPlan, Theme, KeyArea, Requirement])
def test_people_teams_and_the_national_plan_keep_history(model):
    assert model.history.exists()  # the sample data's rows were recorded when loaded


def test_admin_changes_to_a_team_and_a_requirement_are_kept_with_who(admin_client):
    admin = User.objects.get(username="admin")
    team = Team.objects.get(council__slug="cheshire-east", name="Quality Assurance")
    response = admin_client.post(reverse("admin:winterplan_team_change", args=[team.pk]),
                                 {"council": team.council_id, "name": "Quality and Safety"})
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = team.history.first()
    assert (latest.name, latest.history_user) == ("Quality and Safety", admin)
    assert team.history.count() == 2

    requirement = Requirement.objects.filter(key_area__slug="seasonal-flu-vaccines").first()
    requirement._history_user = admin
    requirement.text = "Amended by DHSC"
    requirement.save()
    latest = requirement.history.first()
    assert (latest.text, latest.history_user) == ("Amended by DHSC", admin)
    assert latest.prev_record.text != "Amended by DHSC"


def test_a_change_of_role_is_kept_in_the_users_history():
    officer = User.objects.get(username="officer")
    officer.groups.set([Group.objects.get(name="manager")])
    roles = [[row.group.name for row in h.groups.all()] for h in officer.history.all()]
    assert roles[0] == ["manager"]
    assert ["officer"] in roles[1:]


def test_history_keeps_no_password_hash_and_a_sign_in_adds_no_history_row():
    officer = User.objects.get(username="officer")
    assert not hasattr(officer.history.first(), "password")
    before = officer.history.count()
    assert Client().post("/login/", {"username": "officer",
                                     "password": settings.DEMO_PASSWORD}).status_code == 302
    officer.refresh_from_db()
    assert officer.last_login is not None
    assert officer.history.count() == before


def test_a_command_line_change_names_the_system_user_and_the_command(sqlite_file):
    env = _env(sqlite_file, DJANGO_SUPERUSER_PASSWORD="a-long-enough-password-1")
    subprocess.run(
        [sys.executable, "manage.py", "createsuperuser", "--no-input", "--username", "night-admin",
         "--email", "night@example.org"],
        cwd=settings.BASE_DIR, env=env, check=True, capture_output=True,
    )
    with sqlite3.connect(sqlite_file) as db:
        reason, who, active = db.execute(
            "select h.history_change_reason, u.username, u.is_active"
            " from winterplan_historicaluser h join winterplan_user u on u.id = h.history_user_id"
            " where h.username = 'night-admin'"
        ).fetchone()
    assert who == "system" and not active
    assert reason.startswith("manage.py createsuperuser --no-input --username night-admin")
