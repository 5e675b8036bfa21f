"""Every providers model has an admin list that searches and loads."""

import pytest

from providers.models import IcfRound, Provider

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [
    "provider", "businesscontinuityplan", "icfround", "icfallocation", "icfspendingreturn",
    "dailyreturn", "escalationrule", "providerrisk",
])
def test_every_providers_model_list_has_search_and_loads(admin_client, model):
    assert admin_client.get(f"/admin/providers/{model}/", {"q": "a"}).status_code == 200


def test_a_round_shows_its_tranches_and_rule_inline(admin_client):
    icf_round = IcfRound.objects.get(council__slug="cheshire-east", slug="round-2")
    html = admin_client.get(f"/admin/providers/icfround/{icf_round.pk}/change/").content.decode()
    assert "2355000.00" in html and "Discretionary element" in html


def test_a_provider_shows_its_plan_inline(admin_client):
    provider = Provider.objects.filter(business_continuity_plan__isnull=False).first()
    response = admin_client.get(f"/admin/providers/provider/{provider.pk}/change/")
    assert response.status_code == 200
    assert "business_continuity_plan-0-received_on" in response.content.decode()
