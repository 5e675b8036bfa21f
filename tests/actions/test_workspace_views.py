"""The officers' workspace through its URLs: who may see and change what."""

import pytest
from django.urls import reverse

from actions.models import Commentary, LocalAction, RequirementAssessment

pytestmark = pytest.mark.django_db
PLAN = "cheshire-east-2020-21"


def _flu():
    return LocalAction.objects.get(text__startswith="Collate a list of pharmacies")


def _edit_data(action, **changes):
    data = {
        "text": action.text,
        "team": action.team_id,
        "owner": "",
        "deadline_type": "ongoing" if action.deadline_ongoing else "date",
        "deadline": action.deadline.strftime("%d/%m/%Y") if action.deadline else "",
        "status": action.status,
        "links": "",
        "version": action.version,
    }
    data.update(changes)
    return data


def _edit_url(action):
    return reverse("actions:action-edit", args=[PLAN, action.local_key_area.key_area.slug,
                                                action.pk])


def test_anonymous_visitor_is_sent_to_the_login_form(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    form = client.get(response["Location"]).content.decode()
    assert 'name="username"' in form and 'name="password"' in form


def test_signed_in_user_lands_on_their_councils_plan(officer_client):
    response = officer_client.get("/")
    assert response["Location"] == reverse("actions:dashboard", args=[PLAN])


def test_health_check_needs_no_login_and_checks_the_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"]) == ("ok", "ok")
    assert set(body["tasks"]) == {"ready", "oldest_ready_age_seconds"}


def test_header_names_the_council_and_links_the_workspace(officer_client):
    page = officer_client.get(reverse("actions:dashboard", args=[PLAN])).content.decode()
    assert "Cheshire East Council" in page
    assert '<nav class="wpt-nav" aria-label="Plan">' in page
    for name in ("actions:action-list", "actions:key-area-list"):
        assert f'href="{reverse(name, args=[PLAN])}"' in page


def test_dashboard_counts_statuses_and_overdue_as_at_the_reporting_date(officer_client):
    response = officer_client.get(reverse("actions:dashboard", args=[PLAN]))
    dashboard = response.context["dashboard"]
    assert dashboard.total == 19
    assert dashboard.totals == {"ongoing": 8, "in_progress": 11}
    assert dashboard.overdue == []
    assert [a.deadline.strftime("%d/%m/%Y") for a in dashboard.due_soon] == [
        "16/10/2020", "16/10/2020",
    ]
    assert response.context["letter_panel"].days_left == 17
    assert "17 days left" in response.content.decode()


def test_dashboard_can_judge_overdue_by_today(officer_client):
    response = officer_client.get(reverse("actions:dashboard", args=[PLAN]) + "?as_at=today")
    dashboard = response.context["dashboard"]
    assert len(dashboard.overdue) == 11  # every dated 2020 deadline has passed
    assert "past the deadline" in response.content.decode()


def test_my_actions_lists_the_actions_the_user_owns(officer_client, django_user_model):
    officer = django_user_model.objects.get(username="officer")
    action = _flu()
    action.owner = officer
    action.save()
    context = officer_client.get(reverse("actions:dashboard", args=[PLAN])).context
    owned = LocalAction.objects.for_plan(context["dashboard"].plan).filter(owner=officer)
    assert {a.pk for a in context["own"].mine} == set(owned.values_list("pk", flat=True))
    assert action.pk in {a.pk for a in context["own"].mine}


def test_another_councils_plan_answers_404(halton_officer_client, officer_client):
    assert halton_officer_client.get(reverse("actions:dashboard", args=[PLAN])).status_code == 404
    action = _flu()
    assert halton_officer_client.get(_edit_url(action)).status_code == 404
    assert halton_officer_client.post(_edit_url(action), _edit_data(action)).status_code == 404
    assert officer_client.get(reverse("actions:dashboard", args=["halton-2020"])).status_code == 404


def test_committee_member_reads_but_every_write_answers_403(committee_client):
    action = _flu()
    page = committee_client.get(reverse("actions:key-area", args=[PLAN, "seasonal-flu-vaccines"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Add an action" not in html and "Mark complete" not in html and ">Edit" not in html
    area = "seasonal-flu-vaccines"
    bullet = Commentary.objects.filter(local_key_area=action.local_key_area).first()
    writes = [
        (_edit_url(action), _edit_data(action, text="Forged")),
        (reverse("actions:action-create", args=[PLAN, area]), _edit_data(action)),
        (reverse("actions:action-complete", args=[PLAN, action.pk]), {"version": 1}),
        (reverse("actions:assessment", args=[PLAN, area, 1]), {"req1-compliance": "met"}),
        (reverse("actions:commentary-create", args=[PLAN, area]), {"text": "x", "indent": 0}),
        (reverse("actions:commentary-edit", args=[PLAN, area, bullet.pk]), {"text": "x"}),
        (reverse("actions:commentary-delete", args=[PLAN, area, bullet.pk]), {"version": 1}),
        (reverse("actions:key-area-edit", args=[PLAN, area]), {"narrative": "x"}),
    ]
    for url, data in writes:
        assert committee_client.post(url, data).status_code == 403, url
    assert _flu().text.startswith("Collate")
    assert Commentary.objects.filter(pk=bullet.pk).exists()


def test_officer_edits_an_action_and_history_records_who(officer_client):
    action = _flu()
    response = officer_client.post(_edit_url(action), _edit_data(action, status="complete"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "complete"
    assert action.version == 2
    latest = action.history.first()
    assert latest.history_user.username == "officer"
    detail = officer_client.get(reverse("actions:action-detail", args=[PLAN, action.pk]))
    assert "Changed by Olivia Grant" in detail.content.decode()


@pytest.mark.parametrize(
    ("deadline_type", "deadline", "message"),
    [
        ("date", "31/13/2020", "31/13/2020"),
        ("date", "soon", "dd/mm/yyyy"),
        ("date", "", "Enter the deadline date"),
        ("ongoing", "31/10/2020", "Leave the date empty"),
    ],
)
def test_a_bad_deadline_is_refused_naming_the_field(officer_client, deadline_type, deadline,
                                                     message):
    action = _flu()
    response = officer_client.post(
        _edit_url(action), _edit_data(action, deadline_type=deadline_type, deadline=deadline)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_deadline"' in html
    assert message in html
    assert _flu().deadline.strftime("%d/%m/%Y") == "16/10/2020"


def test_a_javascript_evidence_link_is_refused(officer_client):
    action = _flu()
    response = officer_client.post(
        _edit_url(action), _edit_data(action, links="Evidence | javascript:alert(1)")
    )
    assert response.status_code == 400
    assert "not a web address" in response.content.decode()


def test_stale_save_is_refused_showing_the_other_change_and_keeping_input(
    officer_client, manager_client
):
    action = _flu()
    assert manager_client.post(
        _edit_url(action), _edit_data(action, status="at_risk")
    ).status_code == 302
    mine = "My rewording of the action."
    response = officer_client.post(_edit_url(action), _edit_data(action, text=mine))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Maya Patel changed this action" in html
    assert "At risk" in html
    form = response.context["form"]
    assert form["text"].value() == mine
    assert form["status"].value() == "at_risk"  # their change, merged in
    assert str(form["version"].value()) == "2"
    action.refresh_from_db()
    assert action.text.startswith("Collate") and action.status == "at_risk"


def test_compliance_is_recorded_per_requirement(officer_client):
    url = reverse("actions:assessment", args=[PLAN, "seasonal-flu-vaccines", 2])
    response = officer_client.post(url, {"req2-compliance": "partially_met", "req2-version": 1})
    assert response.status_code == 302
    assessment = RequirementAssessment.objects.get(
        local_plan__slug=PLAN, requirement__key_area__slug="seasonal-flu-vaccines",
        requirement__position=2,
    )
    assert assessment.compliance == "partially_met"
    assert assessment.history.first().history_user.username == "officer"


def test_officer_adds_commentary_with_a_link_and_it_shows_in_the_appendix_column(officer_client):
    area = "seasonal-flu-vaccines"
    response = officer_client.post(
        reverse("actions:commentary-create", args=[PLAN, area]),
        {"text": "Pharmacy list published.", "indent": 0, "requirement": "",
         "links": "Pharmacy list | https://www.cheshireeast.gov.uk/flu"},
    )
    assert response.status_code == 302
    page = officer_client.get(reverse("actions:key-area", args=[PLAN, area])).content.decode()
    assert "Pharmacy list published." in page
    assert 'href="https://www.cheshireeast.gov.uk/flu"' in page


def test_user_text_is_escaped(officer_client):
    action = _flu()
    officer_client.post(_edit_url(action), _edit_data(action, text='<img src=x onerror="x()">'))
    page = officer_client.get(reverse("actions:action-detail", args=[PLAN, action.pk]))
    assert b"<img src=x" not in page.content
    assert b"&lt;img src=x" in page.content


def test_adding_an_action_puts_it_last_in_the_key_area(officer_client):
    area = "covid-19-testing"
    team = LocalAction.objects.filter(local_key_area__local_plan__slug=PLAN).first().team
    response = officer_client.post(
        reverse("actions:action-create", args=[PLAN, area]),
        {"text": "Publish weekly testing figures.", "team": team.pk, "deadline_type": "date",
         "deadline": "30/11/2020", "status": "not_started", "links": ""},
    )
    assert response.status_code == 302
    created = LocalAction.objects.get(text="Publish weekly testing figures.")
    assert created.local_key_area.key_area.slug == area
    assert created.deadline.strftime("%d/%m/%Y") == "30/11/2020"


def test_a_council_with_two_plans_can_switch_between_them(officer_client):
    from actions.models import LocalPlan, NationalPlan

    halton_framework = NationalPlan.objects.get(slug="halton-care-home-resilience-plan")
    current = LocalPlan.objects.get(slug=PLAN)
    LocalPlan.objects.create(
        council=current.council, national_plan=halton_framework, slug="cheshire-east-homes",
        title="Cheshire East care homes plan", as_at=current.as_at,
    )
    page = officer_client.get(reverse("actions:dashboard", args=[PLAN])).content.decode()
    assert '<select class="govuk-select" id="plan-switcher" name="plan">' in page
    assert "Cheshire East care homes plan" in page
    response = officer_client.get("/", {"plan": "cheshire-east-homes"})
    assert response["Location"] == reverse("actions:dashboard", args=["cheshire-east-homes"])
    # A plan of another council is not a choice.
    assert officer_client.get("/", {"plan": "halton-2020"})["Location"] != reverse(
        "actions:dashboard", args=["halton-2020"])


def test_add_commentary_on_a_requirement_of_the_second_key_area_selects_that_requirement(
    officer_client,
):
    """The link and the form both name a requirement by its position in the key area."""
    area = "managing-staff-movement"
    page = officer_client.get(reverse("actions:key-area", args=[PLAN, area])).content.decode()
    new = reverse("actions:commentary-create", args=[PLAN, area])
    assert f'href="{new}?requirement=2"' in page
    form = officer_client.get(f"{new}?requirement=2").context["form"]
    assert str(form["requirement"].value()) == "2"
    assert '<option value="2" selected>2. ' in str(form["requirement"])
    response = officer_client.post(f"{new}?requirement=2", {
        "text": "Redeployment guidance sent to every provider.", "indent": 0,
        "requirement": "2", "links": ""})
    assert response.status_code == 302
    bullet = Commentary.objects.get(text="Redeployment guidance sent to every provider.")
    assert bullet.requirement.key_area.slug == area and bullet.requirement.position == 2
    # Editing it shows the same requirement chosen.
    edit = reverse("actions:commentary-edit", args=[PLAN, area, bullet.pk])
    assert str(officer_client.get(edit).context["form"]["requirement"].value()) == "2"
