"""A council's audit trail: who changed what, when, from what to what, by which channel;
for the council's managers and the readers whose scope holds it, as a page and a CSV."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import LocalAction
from actions.services.local_actions import local_action_update
from providers.models import Provider
from providers.services.register import provider_save
from winterplan.models import User

pytestmark = pytest.mark.django_db

TRAIL = "/councils/cheshire-east/audit/"
CSV = "/councils/cheshire-east/audit/changes.csv"


def _client(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _actions(council="cheshire-east", count=1):
    return list(LocalAction.objects.filter(
        local_key_area__local_plan__council__slug=council).order_by("pk")[:count])


def _edit(action, text, username="officer"):
    return local_action_update(action=action, user=User.objects.get(username=username),
                               data={"text": text}, expected_version=action.version)


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_a_manager_sees_who_changed_an_action_from_what_to_what_and_a_link_to_it(
    manager_client
):
    (action,) = _actions()
    old = action.text
    _edit(action, "Recruit twelve more discharge staff")
    page = manager_client.get(TRAIL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Olivia Grant" in html
    assert "Recruit twelve more discharge staff" in html and old[:40] in html
    assert f'href="/plans/{action.local_key_area.local_plan.slug}/actions/{action.pk}/"' in html
    assert "Web" in html
    assert timezone.localdate().strftime("%d/%m/%Y") in html


@pytest.mark.parametrize("username", ["officer", "committee"])
def test_officers_and_committee_members_are_refused(username):
    assert _client(username).get(TRAIL).status_code == 403
    assert _client(username).get(CSV).status_code == 403


@pytest.mark.parametrize("username", ["manager", "admin", "regional", "national"])
def test_managers_admins_and_readers_whose_scope_holds_the_council_read_it(username):
    assert _client(username).get(TRAIL).status_code == 200
    assert _client(username).get(CSV).status_code == 200


def test_another_councils_trail_is_not_found():
    assert _client("halton-manager").get(TRAIL).status_code == 404
    assert _client("halton-officer").get(TRAIL).status_code == 404
    # A regional reader's scope is their region: Hackney is in London, not the North West.
    assert _client("regional").get("/councils/hackney/audit/").status_code == 404


def test_nobody_posts_to_the_trail(manager_client, admin_client):
    assert manager_client.post(TRAIL).status_code == 403
    assert admin_client.post(CSV).status_code == 403


def test_a_change_in_another_council_is_not_in_this_councils_trail(manager_client):
    (action,) = _actions("halton")
    _edit(action, "Halton only: extra night cover", username="halton-officer")
    assert "Halton only" not in manager_client.get(TRAIL).content.decode()
    assert "Halton only" in _client("halton-manager").get(
        "/councils/halton/audit/").content.decode()


def test_the_dates_chosen_bound_the_changes_shown(manager_client):
    first, second = _actions(count=2)
    _edit(first, "Changed in the first week of March")
    _edit(second, "Changed on the second of June")
    march = timezone.make_aware(datetime.datetime(2024, 3, 5, 23, 30))  # UK time, late
    june = timezone.make_aware(datetime.datetime(2024, 6, 2, 0, 15))
    history = LocalAction.history.model.objects
    history.filter(id=first.pk, text__startswith="Changed in").update(history_date=march)
    history.filter(id=second.pk, text__startswith="Changed on").update(history_date=june)

    html = manager_client.get(TRAIL, {"start": "05/03/2024", "end": "01/06/2024"}).content
    assert b"Changed in the first week of March" in html
    assert b"Changed on the second of June" not in html
    html = manager_client.get(TRAIL, {"start": "06/03/2024", "end": "02/06/2024"}).content
    assert b"Changed in the first week of March" not in html
    assert b"Changed on the second of June" in html
    # The default is the last week: neither.
    html = manager_client.get(TRAIL).content
    assert b"Changed in the" not in html and b"Changed on the" not in html


def test_a_range_ending_before_it_starts_or_a_date_that_is_not_one_is_refused_clearly(
    manager_client
):
    refused = manager_client.get(TRAIL, {"start": "10/03/2024", "end": "01/03/2024"})
    assert refused.status_code == 400
    assert "The last day must be the same as or after the first day." in refused.content.decode()
    refused = manager_client.get(TRAIL, {"start": "31/02/2024", "end": "01/03/2024"})
    assert refused.status_code == 400
    assert "Enter a real date" in refused.content.decode()
    assert manager_client.get(CSV, {"start": "01/01/0001", "end": "01/03/2024"}
                              ).status_code == 400


def test_the_csv_streams_every_change_with_formula_text_made_safe(manager_client):
    (action,) = _actions()
    _edit(action, '=HYPERLINK("http://evil.example","click")')
    response = manager_client.get(CSV)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == ["When", "Who", "Action", "What", "Object", "Link", "Changes",
                       "Channel", "Reason"]
    (row,) = [r for r in rows[1:] if "HYPERLINK" in r[4]]
    assert row[4].startswith("'=HYPERLINK") and row[1] == "Olivia Grant"
    assert row[2] == "Changed" and row[3] == "Action" and row[7] == "Web"
    assert row[6].startswith("Text: ") and '→ =HYPERLINK' in row[6]
    assert row[5] == f"http://testserver/plans/cheshire-east-2020-21/actions/{action.pk}/"
    assert datetime.datetime.strptime(row[0], "%d/%m/%Y %H:%M")


def _changes(count: int):
    """`count` action edits and `count` provider edits, by two people."""
    actions = _actions(count=count)
    for number, action in enumerate(actions):
        _edit(action, f"Edited action {number}", username="officer" if number % 2 else
              "manager")
    providers = Provider.objects.filter(council__slug="cheshire-east").order_by("pk")[:count]
    officer = User.objects.get(username="officer")
    for provider in providers:
        provider_save(provider=provider, user=officer,
                      data={"registered_beds": (provider.registered_beds or 0) + 1},
                      expected_version=provider.version)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        else:
            assert response.status_code == 200
    return len(queries)


def test_the_page_and_the_csv_make_as_many_queries_for_thirty_changes_as_for_three(
    manager_client
):
    _changes(3)
    manager_client.get(TRAIL)  # the session's renewal is written once, on the first request
    page_few, csv_few = _queries(manager_client, TRAIL), _queries(manager_client, CSV)
    _changes(30)
    assert _queries(manager_client, TRAIL) == page_few
    assert _queries(manager_client, CSV) == csv_few


def test_the_changes_are_paged_fifty_at_a_time_and_a_huge_page_number_shows_the_last(
    manager_client
):
    actions = _actions(count=30)
    for number in range(3):
        for action in actions:
            action.refresh_from_db()
            _edit(action, f"pass {number}")
    assert len(actions) * 3 > 50
    first = manager_client.get(TRAIL).content.decode()
    assert f"{len(actions) * 3} changes" in first and 'rel="next"' in first
    assert first.count('<tr class="govuk-table__row">') == 1 + 50
    last = manager_client.get(TRAIL, {"page": "99999999999999999999999"})
    assert last.status_code == 200 and 'rel="prev"' in last.content.decode()


def test_a_command_line_change_names_the_system_user_and_the_command(manager_client):
    from winterplan.history import command_line_attribution

    provider = Provider.objects.filter(council__slug="cheshire-east").order_by("pk").first()
    with command_line_attribution(["manage.py", "import_providers", "--council",
                                   "cheshire-east"]):
        provider_save(provider=provider, data={"registered_beds": 77},
                      expected_version=provider.version)
    rows = _csv(manager_client.get(CSV))
    (row,) = [row for row in rows[1:] if "Registered beds" in row[6] and "77" in row[6]]
    assert row[1] == "System (command line)"
    assert (row[7], row[8]) == ("Command line", "manage.py import_providers --council "
                                                "cheshire-east")
