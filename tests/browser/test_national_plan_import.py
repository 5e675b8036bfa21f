"""An admin imports a national plan in the browser: upload, preview, apply; axe on each page."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import NationalPlan
from tests.browser_support import assert_accessible, sign_in

pytestmark = pytest.mark.browser

GOOD = b"""theme,part,key_area,audience,requirement,kind,link_title,link_url
Discharge,,Hospital discharge,Councils should:,Follow the guidance.,,,
Discharge,,Hospital discharge,,Fund it.,,,
"""
BAD = b"""theme,part,key_area,audience,requirement,kind,link_title,link_url
Discharge,,Hospital discharge,,,,,
"""


def _upload(page, site, content):
    page.goto(f"{site}/admin-tools/national-plans/import/")
    page.get_by_label("National plan file").set_input_files(
        files=[{"name": "plan.csv", "mimeType": "text/csv", "buffer": content}])
    page.get_by_label("Slug").fill("browser-plan")
    page.get_by_label("Title").fill("Browser plan")
    page.get_by_label("Publisher").fill("DHSC")
    page.get_by_label("Published on").fill("03/11/2021")
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()


def test_an_admin_previews_and_imports_a_plan_and_every_page_passes_axe(site, new_page):
    page = new_page()
    sign_in(page, site, "admin")
    page.goto(f"{site}/admin-tools/national-plans/import/")
    expect(page.get_by_role("heading", name="Import a national plan")).to_be_visible()
    assert_accessible(page)

    _upload(page, site, BAD)
    expect(page.get_by_role("heading", name="The file cannot be imported")).to_be_visible()
    expect(page.get_by_role("cell", name="row 2")).to_be_visible()
    assert_accessible(page)

    _upload(page, site, GOOD)
    expect(page.get_by_role("heading", name="Check the plan before importing it")).to_be_visible()
    assert_accessible(page)
    assert not NationalPlan.objects.filter(slug="browser-plan").exists()
    page.get_by_role("button", name="Import the plan").click()
    expect(page.get_by_role("heading", name=re.compile("National plan imported"))).to_be_visible()
    assert_accessible(page)
    assert NationalPlan.objects.get(slug="browser-plan").key_areas.count() == 1
