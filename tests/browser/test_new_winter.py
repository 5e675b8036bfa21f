"""A manager starts the next winter in the browser (preview, confirm) and the year-on-year
columns show; axe on every page, at 1280 and 390 px, and no sideways scroll at 390 px."""

import pytest
from playwright.sync_api import expect

from actions.models import LocalPlan, NationalPlan
from actions.services.plan_files import national_plan_import, read_yaml
from actions.winters.sample import CLONES, FIXTURES, SECOND_WINTER_PLAN
from tests.browser_support import assert_accessible, sign_in

pytestmark = pytest.mark.browser
MAPPING = FIXTURES / "mappings" / CLONES[0][3]


def _fits(page, width):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width} px wide in {width} px"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_manager_previews_and_starts_the_next_winter(site, browser, width):
    national_plan_import(
        read_yaml(FIXTURES / "national-plans" / f"{SECOND_WINTER_PLAN}.yaml"), update=False)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB",
                                  timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, site, "manager")
        page.goto(f"{site}/plans/cheshire-east-2020-21/")
        page.get_by_role("link", name="Start a new winter plan from this one").click()
        expect(page.get_by_role("heading", name="Start a new winter plan")).to_be_visible()
        assert_accessible(page)
        _fits(page, width)
        page.get_by_label("New national plan").select_option(
            str(NationalPlan.objects.get(slug=SECOND_WINTER_PLAN).pk))
        page.get_by_label("Short name of the new plan").fill("cheshire-east-2021-22")
        page.get_by_label("The new plan's as-at date").fill("17/11/2021")
        page.get_by_label("Requirement mapping file (optional)").set_input_files(str(MAPPING))
        page.get_by_role("button", name="Check what would be carried").click()
        expect(page.get_by_role("heading", name="Check the new winter plan")).to_be_visible()
        expect(page.get_by_role("heading", name="Dropped key areas (18)")).to_be_visible()
        assert_accessible(page)
        _fits(page, width)
        assert not LocalPlan.objects.filter(slug="cheshire-east-2021-22").exists()
        page.get_by_role("button", name="Start the new winter plan").click()
        expect(page.get_by_role("table", name="Year on year: actions complete by key area")
               ).to_be_visible()
        expect(page.get_by_role("columnheader", name="Last winter (2020/21)")).to_be_visible()
        assert_accessible(page)
        _fits(page, width)
        page.get_by_role("table", name="Year on year: actions complete by key area").get_by_role(
            "link", name="Personal Protective Equipment", exact=True).click()
        expect(page.get_by_text("Last winter (2020/21)")).to_be_visible()
        assert_accessible(page)
        _fits(page, width)
    finally:
        context.close()
