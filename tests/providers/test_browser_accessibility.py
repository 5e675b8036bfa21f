"""The providers pages in a real browser (Chromium): axe-core finds no WCAG 2.2 A/AA
violation, including on forms showing errors, and the day screen works with the keyboard.

The browser, live server and sample data come from the shared fixtures in
tests/browser_support.py.
"""

import pytest
from playwright.sync_api import expect

from tests.browser_support import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PAGES = [
    "", "?provider_type=care_home_residential", "returns/?date=15/07/2020", "risk-log/",
    "escalation-rules/", "funding/", "funding/round-1/", "funding/round-1/tranches/1/",
    "funding/round-1/spending/", "highlight-report/", "import/", "new/",
]


def test_the_providers_pages_pass_axe(site, new_page):
    def steps(page):
        sign_in(page, site, "halton-manager")
        base = f"{site}/councils/halton/providers/"
        for path in PAGES:
            page.goto(base + path)
            assert_accessible(page)
        page.goto(base)
        page.get_by_role("link", name="Poplar Grange").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Poplar Grange")
        assert_accessible(page)
        page.get_by_role("link", name="Edit this provider").click()
        assert_accessible(page)
        page.get_by_label("Registered beds (care homes only)").fill("-3")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page)

    steps(new_page())


def test_an_officer_enters_the_day_in_the_grid_and_one_home_in_full(site, new_page):
    staffing = "Staffing issues (levels, recruitment), Lime Gardens"

    def steps(page):
        sign_in(page, site, "halton-officer")
        page.goto(f"{site}/councils/halton/providers/returns/?date=15/07/2020")
        size = page.evaluate("() => [document.documentElement.scrollHeight, "
                             "document.documentElement.scrollWidth, "
                             "document.documentElement.clientWidth]")
        assert size[0] < 6000, size  # 25 homes in rows, not 25 forms (65,000 px before)
        assert size[1] <= size[2], size  # the grid scrolls in its own region, not the page
        assert_accessible(page)
        gloves = page.get_by_label("Gloves: days of stock, Lime Gardens")
        gloves.fill("abc")
        gloves.press("Enter")
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text(
            "Gloves: days of stock, Lime Gardens: Enter a whole number of days.")
        assert_accessible(page)
        summary.get_by_role("link").first.click()
        expect(page.get_by_label("Gloves: days of stock, Lime Gardens")).to_be_focused()
        page.get_by_label("Gloves: days of stock, Lime Gardens").fill("6")
        page.get_by_label(staffing).check()
        page.get_by_role("button", name="Save returns").click()
        expect(page.get_by_text("1 return saved for 15/07/2020.")).to_be_visible()
        expect(page.get_by_text("24 of 25 care homes")).to_be_visible()
        expect(page.get_by_label(staffing)).to_be_checked()
        page.get_by_role("link", name="Full return of Alder View").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Daily return for Wednesday 15/07/2020")
        assert_accessible(page)
        page.get_by_label("Issues and solutions in place").fill("Agency nurse booked.")
        page.get_by_role("button", name="Save the return").click()
        expect(page.get_by_text("Return of Alder View for 15/07/2020 saved.")
               ).to_be_visible()
        assert_accessible(page)

    steps(new_page())


def test_the_default_rules_warning_and_adopting_them_pass_axe(site, new_page):
    def steps(page):
        sign_in(page, site, "manager")
        base = f"{site}/councils/cheshire-east/providers/"
        page.goto(base + "risk-log/")
        expect(page.locator(".govuk-warning-text")).to_contain_text("default rules apply")
        assert_accessible(page)
        page.goto(base + "escalation-rules/")
        expect(page.get_by_role("table")).to_contain_text("PPE running out")
        assert_accessible(page)
        page.get_by_role("button", name="Adopt the default rules").click()
        expect(page.get_by_text("The default rules are now the council's own")).to_be_visible()
        expect(page.locator(".govuk-warning-text")).to_have_count(0)
        assert_accessible(page)

    steps(new_page())
