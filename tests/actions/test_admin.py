"""The Django admin shows the whole Cheshire East plan in the seed's order."""

import re

import pytest
from django.urls import reverse

from actions.models import LocalKeyArea, LocalPlan
from tests.actions.test_sample_plan import EXPECTED_TABLES

pytestmark = pytest.mark.django_db


def test_local_plan_admin_lists_every_key_area_in_the_seed_order(admin_client):
    plan = LocalPlan.objects.get(slug="cheshire-east-2020-21")
    page = admin_client.get(reverse("admin:actions_localplan_change", args=[plan.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    titles = [title for _, _, areas in EXPECTED_TABLES for title in areas]
    positions = []
    start = 0
    for title in titles:
        found = html.find(title, start)
        assert found != -1, title
        positions.append(found)
        start = found + len(title)
    assert positions == sorted(positions)


def test_key_area_admin_shows_its_actions_and_commentary_inline(admin_client):
    area = LocalKeyArea.objects.get(local_plan__slug="cheshire-east-2020-21",
                                    key_area__slug="safe-discharge")
    html = admin_client.get(reverse("admin:actions_localkeyarea_change", args=[area.pk])).content
    html = html.decode()
    assert len(re.findall(r'name="actions-\d+-text"', html)) == 4
    assert "Recruit sufficient staff to rapidly complete deferred assessment." in html
    assert "Weekly multi agency rapid discharge meetings" in html


@pytest.mark.parametrize("model", [
    "winterplan/council", "winterplan/team", "winterplan/user", "actions/nationalplan",
    "actions/theme", "actions/keyarea", "actions/requirement", "actions/localplan",
    "actions/localkeyarea", "actions/localaction", "actions/commentary",
    "actions/requirementassessment", "providers/provider",
])
def test_every_model_list_has_search_and_loads(admin_client, model):
    response = admin_client.get(f"/admin/{model}/", {"q": "a"})
    assert response.status_code == 200


def test_only_admins_reach_the_admin(officer_client):
    response = officer_client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
