"""The managers' "Start a new winter plan" page, and the year-on-year columns it leads to."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import LocalAction, LocalKeyArea, LocalPlan, NationalPlan
from actions.services.plan_files import national_plan_import, read_yaml
from actions.winters.sample import CLONES, FIXTURES, SECOND_WINTER_PLAN
from actions.winters.services import plan_clone
from winterplan.models import User

pytestmark = pytest.mark.django_db
OLD = "cheshire-east-2020-21"
START = reverse("winters:new-winter", args=[OLD])
APPLY = reverse("winters:new-winter-apply", args=[OLD])
MAPPING = FIXTURES / "mappings" / CLONES[0][3]


@pytest.fixture
def next_plan():
    national_plan_import(
        read_yaml(FIXTURES / "national-plans" / f"{SECOND_WINTER_PLAN}.yaml"), update=False)
    return NationalPlan.objects.get(slug=SECOND_WINTER_PLAN)


def _form(next_plan, **extra):
    return {"national_plan": next_plan.pk, "slug": "cheshire-east-2021-22", "title": "",
            "as_at": "17/11/2021", **extra}


def _hidden(html: str) -> dict:
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', html))


def test_officer_and_committee_are_refused_and_another_council_gets_404(
        officer_client, committee_client, halton_officer_client, next_plan):
    assert officer_client.get(START).status_code == 403
    assert committee_client.get(START).status_code == 403
    assert officer_client.post(APPLY, _form(next_plan)).status_code == 403
    halton_manager = User.objects.get(username="halton-manager")
    from django.test import Client

    client = Client()
    client.force_login(halton_manager)
    assert client.get(START).status_code == 404


def test_manager_previews_then_confirms_and_the_apply_rechecks(manager_client, next_plan):
    page = manager_client.post(START, _form(next_plan, mapping=SimpleUploadedFile(
        MAPPING.name, MAPPING.read_bytes(), content_type="text/csv")))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Matched key areas" in html and "Dropped key areas" in html
    assert "Managing Staff Movement" in html and "Workforce Recruitment and Retention" in html
    assert "SFV-1 → VAC-2" in html
    assert not LocalPlan.objects.filter(slug="cheshire-east-2021-22").exists()
    hidden = _hidden(html)
    # Something changes between preview and confirm: the apply shows the new preview instead.
    old_action = LocalAction.objects.for_plan(LocalPlan.objects.get(slug=OLD)).exclude(
        status="complete").filter(local_key_area__key_area__slug="funding").first()
    LocalAction.objects.filter(pk=old_action.pk).update(status="complete")
    changed = manager_client.post(APPLY, hidden)
    assert changed.status_code == 409 and "changed since the preview" in changed.content.decode()
    assert not LocalPlan.objects.filter(slug="cheshire-east-2021-22").exists()
    response = manager_client.post(APPLY, _hidden(changed.content.decode()))
    assert response.status_code == 302
    plan = LocalPlan.objects.get(slug="cheshire-east-2021-22")
    assert response["Location"] == reverse("actions:dashboard", args=[plan.slug])
    assert plan.history.get().history_user.username == "manager"


def test_a_tampered_fingerprint_is_not_applied(manager_client, next_plan):
    hidden = _hidden(manager_client.post(START, _form(next_plan)).content.decode())
    hidden["with_commentary"] = "True"  # not what the preview showed
    response = manager_client.post(APPLY, hidden)
    assert response.status_code == 409
    assert not LocalPlan.objects.filter(slug="cheshire-east-2021-22").exists()


def test_clone_onto_a_plan_the_council_has_is_refused_with_a_link(manager_client, next_plan):
    plan_clone(source=LocalPlan.objects.get(slug=OLD), national_plan=next_plan,
               slug="ce-next", as_at=datetime.date(2021, 11, 17),
               user=User.objects.get(username="manager"))
    response = manager_client.post(START, _form(next_plan))
    assert response.status_code == 409
    assert 'href="/plans/ce-next/"' in response.content.decode()


def test_a_mapping_file_of_the_wrong_type_is_named(manager_client, next_plan):
    response = manager_client.post(START, _form(next_plan, mapping=SimpleUploadedFile(
        "map.pdf", b"%PDF-1.4")))
    assert response.status_code == 400
    assert "not a mapping file" in response.content.decode()


@pytest.fixture
def cloned(next_plan):
    plan, _ = plan_clone(source=LocalPlan.objects.get(slug=OLD), national_plan=next_plan,
                         slug="cheshire-east-2021-22", as_at=datetime.date(2021, 11, 17),
                         user=User.objects.get(username="manager"))
    return plan


def test_dashboard_shows_year_on_year_and_deadline_needed(officer_client, cloned):
    html = officer_client.get(reverse("actions:dashboard", args=[cloned.slug])).content.decode()
    assert "Year on year" in html and "Last winter (2020/21)" in html
    assert "New this winter" in html
    assert "Deadline needed" in html
    assert LocalAction.objects.for_plan(cloned).filter(deadline__isnull=True,
                                                       deadline_ongoing=False).exists()
    assert 'carried from <a class="govuk-link" href="/plans/cheshire-east-2020-21/"' in html


def test_key_area_page_shows_last_winter_and_links_back(officer_client, cloned):
    area = LocalKeyArea.objects.filter(local_plan=cloned, carried_from__isnull=False,
                                       actions__isnull=False).first()
    html = officer_client.get(reverse("actions:key-area", args=[
        cloned.slug, area.key_area.slug])).content.decode()
    assert "Last winter (2020/21)" in html and "This winter (2021/22)" in html
    old = area.actions.first().carried_from
    assert f'href="/plans/{OLD}/actions/{old.pk}/"' in html and "Carried from" in html


def test_year_on_year_query_count_is_flat_in_rows(officer_client, cloned,
                                                  django_assert_num_queries):
    url = reverse("actions:dashboard", args=[cloned.slug])
    officer_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        officer_client.get(url)
    area = LocalKeyArea.objects.filter(local_plan=cloned, actions__isnull=False).first()
    template = area.actions.first()
    LocalAction.objects.bulk_create(LocalAction(
        local_key_area=area, position=200 + n, text=f"More {n}", team=template.team,
        deadline=datetime.date(2022, 1, 1), carried_from=template.carried_from)
        for n in range(60))
    with CaptureQueriesContext(connection) as many:
        officer_client.get(url)
    assert len(many) == len(few)


def test_plans_list_shows_every_winter_newest_first(officer_client, cloned):
    html = officer_client.get(reverse("plan-list")).content.decode()
    assert html.index(cloned.title) < html.index(LocalPlan.objects.get(slug=OLD).title)
