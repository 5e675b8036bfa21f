"""Cached page fragments (winterplan.fragments): found by the council's data version part the
page shows, so an edit of that part shows at once and an edit of the other part leaves the
page cached; never another council's or another role's fragment; every viewer's own CSRF
token."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from actions.models import LocalAction
from actions.services.local_actions import local_action_update
from providers.models import DailyReturn
from providers.selectors.register import returning_providers
from providers.services.register import daily_returns_save
from tests.fragments import tokens
from winterplan import versions
from winterplan.models import Council, User

pytestmark = pytest.mark.django_db

PLAN = "cheshire-east-2020-21"
AREA = "seasonal-flu-vaccines"
COUNCIL = "cheshire-east"


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response


def _cache(response) -> str:
    return response["X-Fragment-Cache"]


def _action():
    return LocalAction.objects.filter(local_key_area__local_plan__slug=PLAN,
                                      local_key_area__key_area__slug=AREA).order_by("pk").first()


def _edit_action(text: str) -> None:
    action = _action()
    local_action_update(action=action, user=User.objects.get(username="officer"),
                        data={"text": text}, expected_version=action.version)


DAY = datetime.date(2020, 10, 12)


def _a_return():
    """A return of one of the council's care homes on DAY (made through the service)."""
    found = (DailyReturn.objects.filter(provider__council__slug=COUNCIL, date=DAY)
             .select_related("provider").first())
    if found:
        return found
    home = returning_providers(Council.objects.get(slug=COUNCIL)).first()  # the first row
    daily_returns_save(council=home.council, entries=[(DailyReturn(
        provider=home, date=DAY, resident_cases=0, staff_cases=0, ppe_gloves_days=5), None)])
    return DailyReturn.objects.select_related("provider").get(provider=home, date=DAY)


def _returns_url(day: datetime.date) -> str:
    return reverse("providers:returns-day", args=[COUNCIL]) + f"?date={day:%d/%m/%Y}"


def _save_return(daily_return, **values) -> None:
    for name, value in values.items():
        setattr(daily_return, name, value)
    daily_returns_save(council=daily_return.provider.council, user=User.objects.get(
        username="officer"), entries=[(daily_return, daily_return.version)])


def test_an_action_edit_raises_the_plan_part_only_and_a_return_the_providers_part_only():
    council = Council.objects.get(slug=COUNCIL)
    daily_return = _a_return()
    plan_before, providers_before = versions.current_many([council.pk])[council.pk]
    _edit_action("Edited for the plan part")
    assert versions.current_many([council.pk])[council.pk] == (plan_before + 1,
                                                               providers_before)
    _save_return(daily_return, ppe_gloves_days=42)
    assert versions.current_many([council.pk])[council.pk][0] == plan_before + 1
    assert versions.current_many([council.pk])[council.pk][1] > providers_before
    council.name = "Cheshire East Council, renamed"
    council.save()
    after = versions.current_many([council.pk])[council.pk]
    assert after[0] == plan_before + 2  # the council itself: both parts


def test_an_action_edit_changes_the_actions_table_and_leaves_provider_pages_cached(
    officer_client,
):
    actions_url = reverse("actions:action-list", args=[PLAN])
    register_url = reverse("providers:provider-list", args=[COUNCIL])
    day = _a_return().date
    _get(officer_client, actions_url)
    _get(officer_client, register_url)
    _get(officer_client, _returns_url(day))
    assert _cache(_get(officer_client, actions_url)) == "hit"

    _edit_action("Book the flu clinics, edited just now")
    page = _get(officer_client, actions_url)
    assert _cache(page) == "miss"
    assert "Book the flu clinics, edited just now" in page.content.decode()
    assert _cache(_get(officer_client, actions_url)) == "hit"
    assert _cache(_get(officer_client, register_url)) == "hit"
    assert _cache(_get(officer_client, _returns_url(day))) == "hit"


def test_a_daily_return_changes_the_returns_screen_and_leaves_plan_pages_cached(officer_client):
    daily_return = _a_return()
    url = _returns_url(daily_return.date)
    actions_url = reverse("actions:action-list", args=[PLAN])
    key_area_url = reverse("actions:key-area", args=[PLAN, AREA])
    assert 'value="77"' not in _get(officer_client, url).content.decode()
    _get(officer_client, actions_url)
    _get(officer_client, key_area_url)
    assert _cache(_get(officer_client, url)) == "hit"

    _save_return(daily_return, ppe_gloves_days=77)
    page = _get(officer_client, url)
    assert _cache(page) == "miss"
    assert 'value="77"' in page.content.decode()
    assert _cache(_get(officer_client, actions_url)) == "hit"
    assert _cache(_get(officer_client, key_area_url)) == "hit"


def test_a_read_only_role_never_gets_an_editors_fragment(officer_client, committee_client):
    url = reverse("actions:key-area", args=[PLAN, AREA])
    edit = reverse("actions:action-edit", args=[PLAN, AREA, _action().pk])
    officer = _get(officer_client, url)
    assert edit in officer.content.decode() and _cache(officer) == "miss"
    assert _cache(_get(officer_client, url)) == "hit"
    committee = _get(committee_client, url)
    assert _cache(committee) == "miss"
    page = committee.content.decode()
    assert edit not in page and "Mark complete" not in page
    assert len(tokens(committee)) == 1  # the header's sign-out form only
    again = _get(committee_client, url)
    assert _cache(again) == "hit" and edit not in again.content.decode()
    assert edit in _get(officer_client, url).content.decode()


def test_another_councils_fragment_is_never_served(client):
    client.force_login(User.objects.get(username="national"))
    caption = '<span class="govuk-caption-l">{}</span>'
    cheshire, halton = (Council.objects.get(slug=slug) for slug in (COUNCIL, "halton"))
    first = _get(client, reverse("providers:provider-list", args=[COUNCIL]))
    assert caption.format(cheshire.name) in first.content.decode()
    assert _cache(_get(client, reverse("providers:provider-list", args=[COUNCIL]))) == "hit"
    other = _get(client, reverse("providers:provider-list", args=["halton"]))
    assert _cache(other) == "miss"
    page = other.content.decode()
    assert caption.format(halton.name) in page and caption.format(cheshire.name) not in page


def _second_officer() -> User:
    council = Council.objects.get(slug=COUNCIL)
    user = User.objects.create(username="second-officer", first_name="Second",
                               last_name="Officer-Person", council=council)
    user.groups.add(Group.objects.get(name="officer"))
    return user


def test_every_viewer_gets_their_own_csrf_token_and_name_from_a_cached_fragment(officer_client):
    url = reverse("actions:key-area", args=[PLAN, AREA])
    colleague = _second_officer()  # a new account bumps the council's versions: made first
    first = _get(officer_client, url)
    assert _cache(first) == "miss"
    second = Client(enforce_csrf_checks=True)
    second.force_login(colleague)
    page = _get(second, url)
    assert _cache(page) == "hit"
    text = page.content.decode()
    assert "Officer-Person" in text
    assert "Olivia Grant" not in text.split("</header>")[0]  # the first officer's name
    assert "csrf-token-of-the-viewer" not in text
    assert len(tokens(page)) > 1

    action = _action()
    complete = reverse("actions:action-complete", args=[PLAN, action.pk])
    refused = second.post(complete, {"csrfmiddlewaretoken": tokens(first)[-1],
                                     "version": action.version})
    assert refused.status_code == 403  # the first officer's token is not the second's
    accepted = second.post(complete, {"csrfmiddlewaretoken": tokens(page)[-1],
                                      "version": action.version})
    assert accepted.status_code == 302


def test_a_message_after_a_save_shows_on_the_cached_page(officer_client):
    url = reverse("actions:key-area", args=[PLAN, AREA])
    _get(officer_client, url)
    action = _action()
    officer_client.post(reverse("actions:action-complete", args=[PLAN, action.pk]),
                        {"version": action.version})
    page = _get(officer_client, url)
    assert "Action marked complete." in page.content.decode()
    again = _get(officer_client, url)
    assert _cache(again) == "hit" and "Action marked complete." not in again.content.decode()


def test_filters_sort_and_page_each_have_their_own_fragment(officer_client):
    url = reverse("actions:action-list", args=[PLAN])
    plain = _get(officer_client, url)
    sorted_ = _get(officer_client, url + "?sort=-deadline")
    assert _cache(sorted_) == "miss" and sorted_.content != plain.content
    assert _cache(_get(officer_client, url + "?sort=-deadline")) == "hit"
    dated = _get(officer_client, url + "?as_at=01/10/2020")
    assert _cache(dated) == "miss"
    assert "01/10/2020" in dated.content.decode()


def test_an_export_is_never_served_from_the_fragment_cache(officer_client):
    url = reverse("actions:action-list", args=[PLAN])
    _get(officer_client, url)
    export = officer_client.get(url + "?_export=csv")
    assert export.status_code == 200 and "X-Fragment-Cache" not in export


def test_an_owners_new_name_shows_at_once_and_a_sign_in_bumps_nothing(officer_client):
    url = reverse("actions:key-area", args=[PLAN, AREA])
    action = _action()
    owner = User.objects.get(username="officer")
    local_action_update(action=action, user=owner, data={"owner": owner},
                        expected_version=action.version)
    _get(officer_client, url)
    council = Council.objects.get(slug=COUNCIL)
    before = versions.current_many([council.pk])[council.pk]
    owner.last_login = owner.date_joined
    owner.save(update_fields=["last_login"])
    assert versions.current_many([council.pk])[council.pk] == before
    assert _cache(_get(officer_client, url)) == "hit"
    owner.first_name = "Renamed-Officer"
    owner.save()
    page = _get(officer_client, url)
    assert _cache(page) == "miss" and "Renamed-Officer" in page.content.decode()
