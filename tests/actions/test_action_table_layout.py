"""Statuses and RAG show as GOV.UK tags with their text; status sorts by its meaning; a web
address in an action may wrap, everything else in it stays escaped text."""

import csv
import io

import pytest
from django.urls import reverse

from actions.models import ActionStatus, LocalAction
from actions.tables import STATUS_ORDER, url_breakable

pytestmark = pytest.mark.django_db
PLAN = "cheshire-east-2020-21"
ACTIONS = reverse("actions:action-list", args=[PLAN])


def _statuses_sorted(client, sort: str) -> list[str]:
    response = client.get(ACTIONS, {"_export": "csv", "sort": sort})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    column = rows[0].index("Status")
    return [row[column] for row in rows[1:]]


def test_sorting_by_status_follows_its_meaning_not_the_alphabet(officer_client):
    actions = list(LocalAction.objects.filter(local_key_area__local_plan__slug=PLAN)[:3])
    for action, status in zip(actions, [ActionStatus.COMPLETE, ActionStatus.NOT_STARTED,
                                        ActionStatus.AT_RISK], strict=True):
        action.status = status
        action.save()
    labels = [ActionStatus(status).label for status in STATUS_ORDER]
    ascending = _statuses_sorted(officer_client, "status")
    assert {"Complete", "Not started", "At risk", "In progress"} <= set(ascending)
    assert ascending == sorted(ascending, key=labels.index)
    assert ascending[0] == "Not started"
    assert ascending[-1] == "Complete"
    descending = _statuses_sorted(officer_client, "-status")
    assert descending == sorted(descending, key=labels.index, reverse=True)


def test_the_actions_table_shows_each_status_as_a_tag_with_its_text(officer_client):
    body = officer_client.get(ACTIONS).getvalue().decode()
    assert '<strong class="govuk-tag ">In progress</strong>' in body
    assert '<strong class="govuk-tag govuk-tag--purple">Ongoing</strong>' in body


def test_the_key_area_page_shows_statuses_as_tags_in_a_scrolling_region(officer_client):
    url = reverse("actions:key-area", args=[PLAN, "seasonal-flu-vaccines"])
    body = officer_client.get(url).getvalue().decode()
    assert '<strong class="govuk-tag ">In progress</strong>' in body
    assert ('<div class="wpt-table-wrapper" role="region" aria-label="Local actions for '
            'Seasonal Flu Vaccines" tabindex="0">') in body


def test_the_dashboard_shows_each_theme_s_rag_as_a_tag_in_a_scrolling_region(officer_client):
    body = officer_client.get(reverse("actions:dashboard", args=[PLAN])).getvalue().decode()
    assert ('<div class="wpt-table-wrapper" role="region" aria-label="Actions by status and '
            'theme" tabindex="0">') in body
    assert 'wpt-rag' not in body
    assert any(f'<strong class="govuk-tag govuk-tag--{colour}">{label}</strong>' in body
               for colour, label in (("red", "Red"), ("yellow", "Amber"), ("green", "Green")))


def test_a_web_address_in_an_action_may_wrap_and_the_rest_stays_escaped_text():
    html = url_breakable('<b>Read</b> https://www.gov.uk/guidance?a=1&b=2 weekly')
    assert html == ('&lt;b&gt;Read&lt;/b&gt; <span class="wpt-url">'
                    'https://www.gov.uk/guidance?a=1&amp;b=2</span> weekly')
