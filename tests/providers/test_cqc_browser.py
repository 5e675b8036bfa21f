"""Uploading CQC's workbook in a real browser: the preview (new, changed field by field, not in
CQC's latest file) passes axe at desktop and phone widths, and confirming imports it."""

import pytest
from playwright.sync_api import expect

from tests.browser_support import assert_accessible, sign_in
from tests.providers.cqc_support import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_manager_uploads_cqcs_ods_checks_the_preview_and_confirms(site, new_page):
    def steps(page):
        sign_in(page, site, "halton-manager")
        page.goto(f"{site}/councils/halton/providers/import/")
        page.set_input_files("input[type=file]", str(FIXTURES / "hsca-active-locations.ods"))
        page.get_by_role("button", name="Upload and check").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
        changes = page.locator("#changes")
        expect(changes).to_contain_text("Holly Court Nursing Home")
        expect(page.locator("#missing")).to_contain_text("Dormant in CQC's file")
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            assert_accessible(page)
        page.get_by_role("button", name="Confirm the import").click()
        expect(page.get_by_text("Imported hsca-active-locations.ods: 4 added, 2 updated")
               ).to_be_visible()

    steps(new_page())
