"""A manager opens the council's audit trail from the footer, picks the days and reads who
changed what; axe-core finds nothing at 1280 and 390 pixels wide, and the page never scrolls
sideways on a phone."""

import pytest
from playwright.sync_api import expect

from actions.models import LocalAction
from actions.services.local_actions import local_action_update
from tests.browser_support import assert_accessible, sign_in
from winterplan.models import User

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_manager_reads_the_councils_changes(site, new_page):
    action = LocalAction.objects.filter(
        local_key_area__local_plan__slug="cheshire-east-2020-21").order_by("pk").first()
    local_action_update(action=action, user=User.objects.get(username="officer"),
                        data={"text": "Daily huddle with the discharge team"},
                        expected_version=action.version)
    page = new_page()
    sign_in(page, site, "manager")
    page.get_by_role("link", name="Changes in your council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changes to the council’s data")
    table = page.locator("table.govuk-table")
    expect(table).to_contain_text("Olivia Grant")
    expect(table).to_contain_text("Daily huddle with the discharge team")
    assert_accessible(page)

    page.get_by_role("textbox", name="From").fill("01/01/2024")
    page.get_by_role("textbox", name="To").fill("31/12/2023")
    page.get_by_role("button", name="Show changes").click()
    expect(page.get_by_text("The last day must be the same as or after the first day.").first
           ).to_be_visible()
    assert_accessible(page)

    page.set_viewport_size({"width": 390, "height": 844})
    page.go_back()
    page.reload()
    expect(table).to_contain_text("Daily huddle")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
