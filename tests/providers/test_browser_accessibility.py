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


def test_an_officer_enters_a_missing_return_on_the_day_screen(site, new_page):
    def steps(page):
        sign_in(page, site, "halton-officer")
        page.goto(f"{site}/councils/halton/providers/returns/?date=15/07/2020")
        heading = page.get_by_role("heading", name="Lime Gardens")
        home = page.locator("fieldset", has=heading)
        home.get_by_label("Gloves: days of stock").fill("abc")
        home.get_by_role("button", name="Save returns").press("Enter")
        expect(page.get_by_text("Lime Gardens: 1 problem")).to_be_visible()
        assert_accessible(page)
        home = page.locator("fieldset", has=page.get_by_role("heading",
                                                             name="Lime Gardens"))
        home.get_by_label("Gloves: days of stock").fill("6")
        home.get_by_role("button", name="Save returns").press("Enter")
        expect(page.get_by_text("1 return saved for 15/07/2020.")).to_be_visible()
        expect(page.get_by_text("24 of 25 care homes")).to_be_visible()
        assert_accessible(page)

    steps(new_page())
