"""The workspace pages make a fixed number of queries: the same with 10 and with 500 actions,
when their fragment is built and when it comes from the cache (winterplan.fragments)."""

import datetime

import pytest
from django.urls import reverse

from actions.models import ActionLink, LocalAction, LocalKeyArea
from tests.fragments import without_tokens

pytestmark = pytest.mark.django_db
PLAN = "cheshire-east-2020-21"
AREA = "seasonal-flu-vaccines"

#: Measured: every page's count is the same for 10 and 500 actions. The cached pages' first
#: request builds the fragment: the data queries as before, plus the data version and the
#: cache read, and the database cache's write (count, look-up, insert, in a savepoint: 5).
CACHE_BUILD = 2 + 5
BUDGETS = {
    "dashboard": 20 + CACHE_BUILD,  # + the carried actions whose deadline is needed
    "action-list": 14 + CACHE_BUILD,
    "key-area": 18 + CACHE_BUILD,
    "key-area-list": 10,
}
#: The next request finds the fragment: session, user, role, plan, the user's council (the
#: header), the data version, the cache read and the plan switcher; the dashboard also reads
#: the viewer's own and their team's actions and the team's name (3).
CACHED_BUDGETS = {"dashboard": 11, "action-list": 8, "key-area": 8}


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
    if name in CACHED_BUDGETS:
        assert response["X-Fragment-Cache"] == "miss"
        with django_assert_max_num_queries(CACHED_BUDGETS[name]):
            again = officer_client.get(_url(name))
        assert again["X-Fragment-Cache"] == "hit"
        assert without_tokens(again) == without_tokens(response)


@pytest.mark.parametrize("size", [10, 500])
def test_export_query_count_does_not_grow_with_rows(officer_client,
                                                    django_assert_max_num_queries, size):
    if size == 500:
        _grow_plan_to(size)
    with django_assert_max_num_queries(BUDGETS["action-list"] - CACHE_BUILD):
        response = officer_client.get(_url("action-list") + "?_export=xlsx")
    assert response.status_code == 200
