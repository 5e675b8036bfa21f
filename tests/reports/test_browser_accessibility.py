"""The documents' pages in a real browser pass axe-core (WCAG 2.2 AA), including the letter's
workflow from draft to sent. The browser fixtures come from tests/browser_support.py."""

import pytest
from playwright.sync_api import expect

from tests.browser_support import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DOCUMENTS = "/plans/cheshire-east-2020-21/documents"


def test_a_manager_reads_edits_and_sends_the_documents(site, new_page):
    page = new_page()
    sign_in(page, site, "manager")
    for path in ("/", "/appendix-two/", "/committee-report/", "/committee-report/edit/",
                 "/committee-report/edit/sections/background/", "/committee-report/edit/details/",
                 "/committee-report/edit/appendix-one/", "/appendix-two/?as_at=01/01/2019"):
        page.goto(f"{site}{DOCUMENTS}{path}")
        assert_accessible(page)

    page.goto(f"{site}{DOCUMENTS}/dhsc-letter/")
    assert_accessible(page)
    page.get_by_role("link", name="Draft the letter").click()
    assert_accessible(page)
    page.get_by_label("Key issues").fill("Care at home capacity is fragile.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Care at home capacity is fragile.")).to_be_visible()
    page.get_by_role("link", name="Approve the letter").click()
    assert_accessible(page)
    page.get_by_role("button", name="Approve the letter").click()
    expect(page.get_by_text("Letter approved.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record that the letter was sent").click()
    page.get_by_label("Date the letter was sent").fill("01/01/2000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
