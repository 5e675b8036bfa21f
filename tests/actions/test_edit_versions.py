"""Optimistic locking on the plan's edit forms cannot be skipped: an edit of a stored action,
commentary bullet, key-area text or compliance judgement without the version it started from
is refused, and a requirement's first judgement by two people is a conflict for the second."""

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Commentary, LocalAction, LocalKeyArea, RequirementAssessment
from winterplan.models import User

pytestmark = pytest.mark.django_db
PLAN, AREA = "cheshire-east-2020-21", "seasonal-flu-vaccines"
MISSING = "did not say which version"


def _action():
    return LocalAction.objects.get(text__startswith="Collate a list of pharmacies")


def _action_data(action, **changes):
    return {
        "text": action.text, "team": action.team_id, "owner": "",
        "deadline_type": "ongoing" if action.deadline_ongoing else "date",
        "deadline": action.deadline.strftime("%d/%m/%Y") if action.deadline else "",
        "status": action.status, "links": "", **changes,
    }


@pytest.mark.parametrize("version", [None, ""])
def test_an_action_edit_without_its_version_is_refused(officer_client, version):
    action = _action()
    data = _action_data(action, text="Overwritten without a version.")
    if version is not None:
        data["version"] = version
    url = reverse("actions:action-edit", args=[PLAN, AREA, action.pk])
    response = officer_client.post(url, data)
    assert response.status_code == 400
    assert MISSING in response.content.decode()
    action.refresh_from_db()
    assert action.text != "Overwritten without a version."


def test_a_new_action_needs_no_version(officer_client):
    action = _action()
    url = reverse("actions:action-create", args=[PLAN, AREA])
    response = officer_client.post(url, _action_data(action, text="A new action."))
    assert response.status_code == 302
    assert LocalAction.objects.filter(text="A new action.").exists()


@pytest.mark.parametrize("version", [None, ""])
def test_a_commentary_edit_without_its_version_is_refused(officer_client, version):
    bullet = Commentary.objects.filter(local_key_area__local_plan__slug=PLAN,
                                       local_key_area__key_area__slug=AREA).first()
    data = {"text": "Overwritten.", "indent": 0, "requirement": "", "links": ""}
    if version is not None:
        data["version"] = version
    url = reverse("actions:commentary-edit", args=[PLAN, AREA, bullet.pk])
    response = officer_client.post(url, data)
    assert response.status_code == 400
    assert MISSING in response.content.decode()
    bullet.refresh_from_db()
    assert bullet.text != "Overwritten."


def test_new_commentary_needs_no_version(officer_client):
    url = reverse("actions:commentary-create", args=[PLAN, AREA])
    response = officer_client.post(url, {"text": "New bullet.", "indent": 0, "links": ""})
    assert response.status_code == 302


@pytest.mark.parametrize("version", [None, ""])
def test_a_key_area_text_edit_without_its_version_is_refused(officer_client, version):
    data = {"responsible_team": "Overwritten", "narrative": ""}
    if version is not None:
        data["version"] = version
    response = officer_client.post(reverse("actions:key-area-edit", args=[PLAN, AREA]), data)
    assert response.status_code == 400
    assert MISSING in response.content.decode()
    area = LocalKeyArea.objects.get(local_plan__slug=PLAN, key_area__slug=AREA)
    assert area.responsible_team != "Overwritten"


def _assessment(position):
    return RequirementAssessment.objects.filter(
        local_plan__slug=PLAN, requirement__key_area__slug=AREA,
        requirement__position=position).first()


@pytest.mark.parametrize("version", [None, ""])
def test_a_compliance_judgement_without_its_version_is_refused(officer_client, version):
    before = _assessment(2)
    data = {"req2-compliance": "not_met"}
    if version is not None:
        data["req2-version"] = version
    url = reverse("actions:assessment", args=[PLAN, AREA, 2])
    response = officer_client.post(url, data, follow=True)
    assert MISSING in response.content.decode()
    after = _assessment(2)
    assert (after.compliance, after.version) == (before.compliance, before.version)


def test_two_first_judgements_of_a_requirement_the_second_is_refused():
    _assessment(2).delete()
    url = reverse("actions:assessment", args=[PLAN, AREA, 2])
    page = reverse("actions:key-area", args=[PLAN, AREA])
    officer, manager = Client(), Client()
    officer.force_login(User.objects.get(username="officer"))
    manager.force_login(User.objects.get(username="manager"))
    for client in (officer, manager):  # both open the page: no judgement yet, version 0
        rows = client.get(page).context["rows"]
        assert [r["form"].initial["version"] for r in rows if r["requirement"].position == 2] \
            == [0]
    officer.post(url, {"req2-compliance": "met", "req2-version": 0})
    response = manager.post(url, {"req2-compliance": "not_met", "req2-version": 0},
                            follow=True)
    assert "Not saved" in response.content.decode()
    assessment = _assessment(2)
    assert assessment.compliance == "met" and assessment.version == 1
