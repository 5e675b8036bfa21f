"""In a real browser (Chromium): an officer issues a home its link and e-mails it; the home's
manager opens the e-mailed link with no account, at 1280 and 390 px wide, sends the return
with a mistake and then right, and the officer sees it on the returns screen. axe-core finds
no WCAG 2.2 A/AA violation on any page on the way."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from providers.models import DailyReturn, Provider
from tests.browser_support import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_home_sends_its_return_through_the_e_mailed_link(site, new_page, mailbox, width):
    home = Provider.objects.get(council__slug="halton", name="Lime Gardens")
    home.contact_email = "manager@lime-gardens.example"
    home.save()

    officer = new_page()
    sign_in(officer, site, "halton-officer")
    officer.goto(f"{site}/councils/halton/providers/{home.pk}/")
    officer.get_by_role("link", name="Return links").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Return links")
    assert_accessible(officer)
    officer.get_by_label("E-mail the link to manager@lime-gardens.example").check()
    officer.get_by_role("button", name="Issue a link").click()
    expect(officer.get_by_role("heading", name="Link issued")).to_be_visible()
    assert_accessible(officer)

    [message] = mailbox.to("manager@lime-gardens.example")
    link = re.search(r"http://\S+/return/[\w-]+/", mailbox.body(message)).group(0)
    provider = new_page()
    provider.set_viewport_size({"width": width, "height": 900})
    provider.goto(link)
    expect(provider.get_by_role("heading", level=1)).to_contain_text("Daily return for")
    expect(provider.get_by_text("Lime Gardens · for Halton Borough Council")).to_be_visible()
    assert _no_sideways_scroll(provider)
    assert_accessible(provider)
    provider.get_by_text("Your last return, for").click()
    provider.get_by_role("link", name="Start from your last return").click()
    provider.get_by_label("New confirmed COVID-19 cases: residents").fill("2")
    provider.get_by_label("Issues and solutions in place").fill("<b>Two residents</b> isolating")
    provider.get_by_role("button", name="Send the return").click()
    summary = provider.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the date the cases were confirmed.")
    assert _no_sideways_scroll(provider)
    assert_accessible(provider)
    summary.get_by_role("link").first.click()
    expect(provider.get_by_label("Residents' cases confirmed on")).to_be_focused()
    provider.get_by_label("Residents' cases confirmed on").fill(
        timezone.localdate().strftime("%d/%m/%Y"))
    provider.get_by_role("button", name="Send the return").click()
    expect(provider.get_by_text("Thank you")).to_be_visible()
    assert_accessible(provider)
    stored = DailyReturn.objects.get(provider=home, entered_via="link")
    assert stored.resident_cases == 2 and stored.issues == "<b>Two residents</b> isolating"

    officer.goto(f"{site}/councils/halton/providers/returns/?date="
                 f"{stored.date:%d/%m/%Y}")
    expect(officer.get_by_text("Entered by the provider via link").first).to_be_visible()
    assert_accessible(officer)
    officer.goto(f"{site}/councils/halton/providers/risk-log/")
    expect(officer.get_by_role("heading", name="Not reported today")).to_be_visible()
    assert_accessible(officer)
