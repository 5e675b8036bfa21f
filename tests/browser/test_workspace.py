"""Officers keep the plan current in a real browser; committee members can only read."""

import re

from playwright.sync_api import expect

from actions.models import LocalAction
from tests.browser_support import assert_accessible, sign_in

PLAN = "/plans/cheshire-east-2020-21"


def _flu_action():
    return LocalAction.objects.get(text__startswith="Collate a list of pharmacies")


def test_officer_filters_edits_and_sees_history(site, new_page):
    page = new_page()
    page.goto(f"{site}/")
    expect(page).to_have_url(re.compile(r"/login/"))
    assert_accessible(page)
    sign_in(page, site, "officer")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cheshire East Council COVID-19 Winter Plan 2020/21"
    )
    assert_accessible(page)

    page.get_by_role("navigation", name="Plan").get_by_role("link", name="Actions").click()
    page.get_by_label("Search").fill("pharmacies")
    page.get_by_role("button", name="Apply filters").click()
    rows = page.locator("table.govuk-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("16/10/2020")
    assert_accessible(page)

    rows.first.get_by_role("link").click()
    expect(page.get_by_role("link", name="Edit this action")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Edit this action").click()
    expect(page.get_by_label("Deadline date")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Action", exact=True).fill(
        "Collate a list of pharmacies available as a local vaccination venue, with opening times."
    )
    page.get_by_label("Deadline date").fill("23/10/2020")
    page.get_by_label("Status").select_option("complete")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Action saved.")).to_be_visible()
    assert_accessible(page)

    action = _flu_action()
    assert action.deadline.strftime("%d/%m/%Y") == "23/10/2020"
    page.goto(f"{site}{PLAN}/actions/{action.pk}/")
    history = page.locator("#history ~ .govuk-summary-card").first
    expect(history).to_contain_text("Changed by Olivia Grant")
    expect(history.locator("ins").first).to_contain_text("with opening times")
    expect(history).to_contain_text("16/10/2020")
    expect(history).to_contain_text("23/10/2020")
    assert_accessible(page)


def test_an_invalid_deadline_is_refused_with_a_message_naming_the_field(site, new_page):
    page = new_page()
    sign_in(page, site, "officer")
    action = _flu_action()
    page.goto(f"{site}{PLAN}/areas/seasonal-flu-vaccines/actions/{action.pk}/edit/")
    page.get_by_label("Deadline date").fill("31/13/2020")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Deadline date")
    expect(summary).to_contain_text("31/13/2020")
    assert_accessible(page)
    assert _flu_action().deadline.strftime("%d/%m/%Y") == "16/10/2020"


def test_second_of_two_concurrent_edits_sees_the_conflict_and_keeps_its_input(site, new_page):
    action = _flu_action()
    edit_url = f"{site}{PLAN}/areas/seasonal-flu-vaccines/actions/{action.pk}/edit/"
    first, second = new_page(), new_page()
    sign_in(first, site, "officer")
    sign_in(second, site, "manager")
    first.goto(edit_url)
    second.goto(edit_url)

    first.get_by_label("Status").select_option("at_risk")
    first.get_by_role("button", name="Save").click()
    expect(first.get_by_text("Action saved.")).to_be_visible()

    mine = "Collate and publish a list of pharmacies offering staff flu vaccination."
    second.get_by_label("Action", exact=True).fill(mine)
    second.get_by_role("button", name="Save").click()
    conflict = second.locator(".govuk-error-summary")
    expect(conflict).to_contain_text("Olivia Grant changed this action")
    expect(conflict).to_contain_text("At risk")
    expect(second.get_by_label("Action", exact=True)).to_have_value(mine)
    assert_accessible(second)
    assert _flu_action().text.startswith("Collate a list of pharmacies")

    second.get_by_role("button", name="Save my version").click()
    expect(second.get_by_text("Action saved.")).to_be_visible()
    saved = LocalAction.objects.get(pk=action.pk)
    assert saved.text == mine
    assert saved.status == "at_risk"


def test_committee_member_sees_no_edit_controls_and_a_forged_post_is_refused(site, new_page):
    page = new_page()
    sign_in(page, site, "committee")
    page.goto(f"{site}{PLAN}/areas/seasonal-flu-vaccines/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Seasonal Flu Vaccines")
    expect(page.get_by_role("link", name=re.compile("^Edit"))).to_have_count(0)
    expect(page.get_by_role("button")).to_have_count(1)  # Sign out only
    expect(page.get_by_role("link", name="Add an action")).to_have_count(0)
    assert_accessible(page)

    action = _flu_action()
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"{site}{PLAN}/areas/seasonal-flu-vaccines/actions/{action.pk}/edit/",
        form={"text": "Forged", "deadline_type": "ongoing", "status": "complete",
              "team": str(action.team_id), "version": str(action.version),
              "csrfmiddlewaretoken": token},
        headers={"X-CSRFToken": token, "Referer": f"{site}{PLAN}/"},
    )
    assert response.status == 403
    assert _flu_action().text.startswith("Collate a list of pharmacies")
