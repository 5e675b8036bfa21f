"""The workspace pages make a fixed number of queries: the same with 10 and with 500 actions."""

import datetime

import pytest
from django.urls import reverse

from actions.models import ActionLink, LocalAction, LocalKeyArea

pytestmark = pytest.mark.django_db
PLAN = "cheshire-east-2020-21"
AREA = "seasonal-flu-vaccines"

#: Measured: every page's count is the same for 10 and 500 actions.
BUDGETS = {
    "dashboard": 20,  # 19 + the carried actions whose deadline is needed (actions.winters)
    "action-list": 14,
    "key-area": 18,
    "key-area-list": 10,
}


def _grow_plan_to(total: int) -> None:
    """Add actions (with evidence links) to the plan until it has `total`."""
    areas = list(LocalKeyArea.objects.filter(local_plan__slug=PLAN).select_related("local_plan"))
    flu = next(area for area in areas if area.key_area.slug == AREA)
    template = LocalAction.objects.filter(local_key_area=flu).first()
    existing = LocalAction.objects.for_plan(flu.local_plan).count()
    new = []
    for number in range(total - existing):
        new.append(LocalAction(
            local_key_area=flu if number % 2 else areas[number % len(areas)],
            position=100 + number,
            text=f"Extra action {number}",
            team=template.team,
            deadline=datetime.date(2020, 10, 1 + number % 28),
            status="in_progress" if number % 3 else "not_started",
        ))
    created = LocalAction.objects.bulk_create(new)
    ActionLink.objects.bulk_create(
        ActionLink(action=action, title="Evidence", url="https://example.org/evidence")
        for action in created[:200]
    )


def _url(name):
    args = [PLAN, AREA] if name == "key-area" else [PLAN]
    return reverse(f"actions:{name}", args=args)


@pytest.mark.parametrize("name", sorted(BUDGETS))
@pytest.mark.parametrize("size", [10, 500])
def test_page_query_count_does_not_grow_with_rows(officer_client, django_assert_max_num_queries,
                                                  name, size):
    if size == 10:
        LocalAction.objects.filter(local_key_area__local_plan__slug=PLAN).exclude(
            pk__in=LocalAction.objects.filter(local_key_area__local_plan__slug=PLAN)
            .order_by("pk").values("pk")[:10]
        ).delete()
    else:
        _grow_plan_to(size)
    assert LocalAction.objects.filter(local_key_area__local_plan__slug=PLAN).count() == size
    with django_assert_max_num_queries(BUDGETS[name]):
        response = officer_client.get(_url(name))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [10, 500])
def test_export_query_count_does_not_grow_with_rows(officer_client,
                                                    django_assert_max_num_queries, size):
    if size == 500:
        _grow_plan_to(size)
    with django_assert_max_num_queries(BUDGETS["action-list"]):
        response = officer_client.get(_url("action-list") + "?_export=xlsx")
    assert response.status_code == 200
