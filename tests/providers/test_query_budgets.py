"""The providers pages make a fixed number of queries: the same with 10 and 500 providers."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from providers.models import BusinessContinuityPlan, DailyReturn, ProviderRisk
from providers.models.escalation import RiskLogAssessment
from tests.fragments import without_tokens
from tests.providers.factories import CouncilFactory, homes
from winterplan.models import User

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 7, 15)

#: Measured, and the same for 10 and 500 providers. The returns screen and the risk log each
#: spend two queries on the homes that have not reported today (the first 25, and how many).
#: Every page but the export keeps its fragment in the cache (winterplan.fragments): the first
#: request builds it (the data queries as before, plus the data version and the cache read,
#: and the database cache's write: count, look-up, insert, in a savepoint).
CACHE_BUILD = 2 + 5
BUDGETS = {
    "": 11 + CACHE_BUILD,
    "?rag=amber&bcp=adequate&provider_type=care_home_residential": 11 + CACHE_BUILD,
    "?_export=csv": 13,
    "returns/?date=15/07/2020": 15 + CACHE_BUILD,
    "returns/?date=15/07/2020&page=2": 15 + CACHE_BUILD,
    "returns/?date=15/07/2020&missing=on": 16 + CACHE_BUILD,
    "risk-log/": 16 + CACHE_BUILD,  # and one for the page count of its fifty-row pages
    "highlight-report/?week_ending=15/07/2020": 14 + CACHE_BUILD,
}
#: The next request finds the fragment: session, user, role, the user's council (the header),
#: the URL's council, its plans (the reporting date), the data version and the cache read.
CACHED_BUDGET = 8


def _council_with(size: int):
    council = CouncilFactory()
    providers = homes(council, size)
    BusinessContinuityPlan.objects.bulk_create(
        BusinessContinuityPlan(provider=p, received_on=DAY, reviewed_on=DAY, outcome="adequate",
                               next_review_due=DAY + datetime.timedelta(days=90))
        for p in providers[::2]
    )
    ProviderRisk.objects.bulk_create(
        ProviderRisk(provider=p, rag="amber" if n % 3 else "green", since=DAY, assessed_on=DAY,
                     reasons=["PPE running low: gloves 1 day of stock"])
        for n, p in enumerate(providers)
    )
    RiskLogAssessment.objects.create(council=council, assessed_on=DAY)
    DailyReturn.objects.bulk_create(
        DailyReturn(provider=p, date=DAY, ppe_gloves_days=n % 5, vacant_beds=1)
        for n, p in enumerate(providers[::3])
    )
    user = User.objects.create(username=f"officer-{council.slug}", council=council)
    user.groups.add(Group.objects.get(name="officer"))
    return council, user


@pytest.mark.parametrize("page", sorted(BUDGETS))
@pytest.mark.parametrize("size", [10, 500])
def test_page_query_count_does_not_grow_with_providers(client, django_assert_max_num_queries,
                                                       page, size):
    council, user = _council_with(size)
    client.force_login(user)
    url = f"/councils/{council.slug}/providers/{page}"
    with django_assert_max_num_queries(BUDGETS[page]):
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    if "_export" not in page:
        assert response["X-Fragment-Cache"] == "miss"
        with django_assert_max_num_queries(CACHED_BUDGET):
            again = client.get(url)
        assert again["X-Fragment-Cache"] == "hit"
        assert without_tokens(again) == without_tokens(response)


@pytest.mark.parametrize("size", [10, 500])
def test_saving_the_day_screen_does_not_query_per_home(client, django_assert_max_num_queries,
                                                       size):
    council, user = _council_with(size)
    client.force_login(user)
    url = f"/councils/{council.slug}/providers/returns/?date=15/07/2020"
    formset = client.get(url).context["formset"]
    data = {f"form-{key}": value for key, value in formset.management_form.initial.items()}
    for index, (_form, row) in enumerate(zip(formset.forms, formset.rows, strict=True)):
        data[f"form-{index}-home"] = row.provider.pk
        data[f"form-{index}-resident_cases"] = "0"
        data[f"form-{index}-staff_cases"] = "0"
        data[f"form-{index}-capacity_tracker_updated"] = "on"
        data[f"form-{index}-nhsmail_working"] = "on"
        data[f"form-{index}-ppe_gloves_days"] = "9"
        if row.daily_return:
            data[f"form-{index}-version"] = row.daily_return.version
            data[f"form-{index}-vacant_beds"] = "1"
    with django_assert_max_num_queries(29):
        response = client.post(url, data)
    assert response.status_code == 302


def _grid_post(response) -> dict:
    """The grid as the browser posts it back, every home's gloves changed."""
    formset = response.context["formset"]
    data = {f"form-{key}": value for key, value in formset.management_form.initial.items()}
    for index, (form, row) in enumerate(zip(formset.forms, formset.rows, strict=True)):
        data[f"form-{index}-home"] = row.provider.pk
        for field, yes_no in form.cells:
            value = field.value()
            if yes_no:
                if value:
                    data[field.html_name] = "on"
            else:
                data[field.html_name] = "" if value is None else str(value)
        data[f"form-{index}-ppe_gloves_days"] = "9"
        if row.daily_return:
            data[f"form-{index}-version"] = row.daily_return.version
    return data


def test_the_grid_costs_the_same_queries_for_3_or_25_homes(client):
    """Showing and saving a page of the grid: the same number of queries whatever the number
    of homes on it."""
    counts = {}
    for size in (3, 25):
        council, user = _council_with(size)
        client.force_login(user)
        url = f"/councils/{council.slug}/providers/returns/?date=15/07/2020"
        with CaptureQueriesContext(connection) as shown:
            response = client.get(url)
        assert len(response.context["formset"].forms) == size
        data = _grid_post(response)
        with CaptureQueriesContext(connection) as saved:
            assert client.post(url, data).status_code == 302
        assert DailyReturn.objects.filter(provider__council=council, date=DAY,
                                          ppe_gloves_days=9).count() == size
        counts[size] = (len(shown), len(saved))
    assert counts[3] == counts[25], counts


def test_one_homes_full_return_costs_a_fixed_number_of_queries(client,
                                                              django_assert_max_num_queries):
    council, user = _council_with(10)
    client.force_login(user)
    home = DailyReturn.objects.filter(provider__council=council).first().provider
    url = f"/councils/{council.slug}/providers/returns/{home.pk}/?date=15/07/2020"
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200
