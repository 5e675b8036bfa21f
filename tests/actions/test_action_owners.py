"""Actions are owned by editors: the sample actions name demo officers and managers of their
council, only the council's officers and managers are offered (and accepted) as owners, and a
committee member, who owns nothing, is not shown "My actions"."""

import copy

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions.models import LocalAction
from actions.services.local_actions import local_action_create, local_action_update
from actions.services.plan_files import local_plan_import, read_yaml
from winterplan import permissions
from winterplan.models import User
from winterplan.sample_data import FIXTURES
from winterplan.sync import RowError

pytestmark = pytest.mark.django_db
PLAN, AREA = "cheshire-east-2020-21", "seasonal-flu-vaccines"


@pytest.mark.parametrize("plan", ["cheshire-east-2020-21", "halton-2020"])
def test_every_sample_action_is_owned_by_an_officer_or_manager_of_its_council(plan):
    actions = list(LocalAction.objects.filter(local_key_area__local_plan__slug=plan)
                   .select_related("owner", "local_key_area__local_plan"))
    assert actions
    for action in actions:
        assert action.owner is not None, action.text
        assert action.owner.council_id == action.local_key_area.local_plan.council_id
        assert permissions.role_of(action.owner) in (permissions.OFFICER, permissions.MANAGER)
    assert len({action.owner_id for action in actions}) == 2  # the officer and the manager


@pytest.mark.parametrize(("username", "plan"), [
    ("officer", "cheshire-east-2020-21"), ("manager", "cheshire-east-2020-21"),
    ("halton-officer", "halton-2020"), ("halton-manager", "halton-2020"),
])
def test_demo_editors_see_their_own_actions(client, username, plan):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("actions:dashboard", args=[plan]))
    mine = response.context["own"].mine
    assert mine and all(action.owner.username == username for action in mine)
    assert "My actions" in response.content.decode()


def test_a_committee_member_is_not_shown_my_actions(committee_client):
    response = committee_client.get(reverse("actions:dashboard", args=[PLAN]))
    assert response.status_code == 200
    assert "My actions" not in response.content.decode()
    assert response.context["own"].mine == []


def test_only_the_councils_officers_and_managers_are_offered_as_owners(officer_client):
    action = LocalAction.objects.get(text__startswith="Collate a list of pharmacies")
    response = officer_client.get(reverse("actions:action-edit", args=[PLAN, AREA, action.pk]))
    offered = {user.username for user in response.context["form"].fields["owner"].queryset}
    assert offered == {"officer", "manager"}
    page = response.content.decode()
    assert "Colin Marsh" not in page  # the committee member
    assert "Olivia Grant" in page and "Maya Patel" in page


def test_a_committee_member_is_refused_as_owner_by_the_form_and_the_service(officer_client):
    action = LocalAction.objects.get(text__startswith="Collate a list of pharmacies")
    committee = User.objects.get(username="committee")
    response = officer_client.post(reverse("actions:action-edit", args=[PLAN, AREA, action.pk]), {
        "text": action.text, "team": action.team_id, "owner": committee.pk,
        "deadline_type": "date", "deadline": action.deadline.strftime("%d/%m/%Y"),
        "status": action.status, "links": "", "version": action.version,
    })
    assert response.status_code == 400
    assert "owner" in response.context["form"].errors
    officer = User.objects.get(username="officer")
    for owner in (committee, User.objects.get(username="halton-officer")):
        with pytest.raises(ValidationError) as error:
            local_action_update(action=action, user=officer, data={"owner": owner},
                                expected_version=action.version)
        assert "owner" in error.value.message_dict
        with pytest.raises(ValidationError):
            local_action_create(local_key_area=action.local_key_area, user=officer, data={
                "text": "New", "team": action.team, "owner": owner, "deadline": None,
                "deadline_ongoing": True, "status": "ongoing"})
    action.refresh_from_db()
    assert action.owner.username != "committee"


def test_a_plan_file_naming_a_committee_member_as_owner_is_refused():
    data = copy.deepcopy(read_yaml(FIXTURES / "local-plans" / "cheshire-east-2020-21.yaml"))
    area = next(item for item in data["key_areas"] if item.get("actions"))
    area["actions"][0]["owner"] = "committee"
    with pytest.raises(RowError) as error:
        local_plan_import(data, update=True)
    assert "owner “committee” is not an officer or manager" in str(error.value)


def test_a_plan_file_can_be_loaded_without_its_owners():
    """For the sample without its demo users: the actions are then unowned, not refused."""
    data = copy.deepcopy(read_yaml(FIXTURES / "local-plans" / "cheshire-east-2020-21.yaml"))
    area = next(item for item in data["key_areas"] if item.get("actions"))
    area["actions"][0]["owner"] = "nobody-by-that-name"
    plan, _ = local_plan_import(data, update=True, owners=False)
    assert not LocalAction.objects.for_plan(plan).filter(owner__isnull=False).exists()
