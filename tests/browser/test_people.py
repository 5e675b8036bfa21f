"""A manager invites a colleague, who sets their password from the e-mailed link and signs in;
someone who forgot their password resets it from the sign-in page. Both links are read from
the loopback SMTP server; axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser_support import assert_accessible, sign_in
from winterplan import permissions
from winterplan.models import User

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PASSWORD = "snowdrops-in-january-7"


def _link(mailbox, address, pattern):
    messages = mailbox.to(address)
    assert messages, f"no e-mail to {address}"
    return re.search(pattern, mailbox.body(messages[-1])).group(0)


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_manager_invites_a_colleague_who_sets_a_password_and_signs_in(site, new_page,
                                                                        mailbox):
    page = new_page()
    sign_in(page, site, "manager")
    page.get_by_role("link", name="People in your council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People in Cheshire East Council")
    assert_accessible(page)
    page.get_by_role("link", name="Invite someone").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("E-mail address").fill("nadia.khan@example.org")
    page.get_by_label("Officer").check()
    page.get_by_label("Team").select_option(label="Quality Assurance")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation e-mailed to nadia.khan@example.org")).to_be_visible()
    expect(page.locator("#invitations ~ div table")).to_contain_text("nadia.khan@example.org")
    assert_accessible(page)

    link = _link(mailbox, "nadia.khan@example.org", r"http://\S+/invitations/[\w-]+/")
    colleague = new_page()
    colleague.set_viewport_size({"width": 390, "height": 844})
    colleague.goto(link)
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Set up your account")
    assert _no_sideways_scroll(colleague)
    assert_accessible(colleague)
    colleague.get_by_label("First name").fill("Nadia")
    colleague.get_by_label("Last name").fill("Khan")
    colleague.get_by_label("Password", exact=True).fill(PASSWORD)
    colleague.get_by_label("Confirm password").fill("not the same password")
    colleague.get_by_role("button", name="Create account").click()
    expect(colleague.locator(".govuk-error-summary")).to_contain_text("do not match")
    assert_accessible(colleague)
    colleague.get_by_label("Password", exact=True).fill(PASSWORD)
    colleague.get_by_label("Confirm password").fill(PASSWORD)
    colleague.get_by_role("button", name="Create account").click()
    expect(colleague).to_have_url(re.compile(r"/login/$"))
    expect(colleague.get_by_text("Your account is ready")).to_be_visible()
    assert_accessible(colleague)
    sign_in(colleague, site, "nadia.khan@example.org", PASSWORD)
    expect(colleague.get_by_role("heading", level=1)).to_have_text(
        "Cheshire East Council COVID-19 Winter Plan 2020/21")

    used = new_page()
    used.goto(link)
    expect(used.get_by_role("heading", level=1)).to_have_text(
        "This invitation has already been used")
    assert_accessible(used)

    page.goto(f"{site}/councils/cheshire-east/people/")
    page.get_by_role("link", name="Nadia Khan").click()
    assert_accessible(page)
    page.get_by_label("Committee member").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Nadia Khan saved.")).to_be_visible()
    page.get_by_role("link", name="Nadia Khan").click()
    page.get_by_role("button", name="Deactivate Nadia Khan").click()
    expect(page.get_by_text("deactivated: they can no longer sign in")).to_be_visible()
    nadia = User.objects.get(username="nadia.khan@example.org")
    assert permissions.role_of(nadia) == permissions.COMMITTEE and not nadia.is_active

    page.get_by_role("link", name="Maya", exact=False).first.click()
    page.get_by_role("button", name=re.compile("^Deactivate")).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("only active manager")
    assert_accessible(page)


def test_someone_who_forgot_their_password_resets_it_from_the_sign_in_page(site, new_page,
                                                                          mailbox):
    User.objects.filter(username="officer").update(email="olivia.grant@example.org")
    page = new_page()
    page.goto(f"{site}/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    assert_accessible(page)
    page.get_by_label("Email").fill("olivia.grant@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    assert_accessible(page)

    link = _link(mailbox, "olivia.grant@example.org", r"http://\S+/password/reset/\S+/\S+/")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    assert_accessible(page)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This reset link does not work")
    assert_accessible(page)
    sign_in(page, site, "officer", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cheshire East Council COVID-19 Winter Plan 2020/21")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_accessibility_statement_is_linked_from_the_footer_and_passes_axe(site, new_page,
                                                                             width):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{site}/login/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Accessibility statement for Winter Plan Tracker")
    assert _no_sideways_scroll(page)
    assert_accessible(page)


def test_an_admin_adds_a_council_through_the_form(site, new_page):
    page = new_page()
    sign_in(page, site, "admin")
    page.get_by_role("link", name="Councils and people").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add a council").click()
    assert_accessible(page)
    page.get_by_label("Council name").fill("Northshire Council")
    page.get_by_label("Slug").fill("northshire")
    page.get_by_label("ONS (GSS) code").fill("E06999901")
    page.get_by_label("Region").select_option(label="North West")
    page.get_by_label("Address", exact=True).fill("Town Hall\nNorthshire\nNS1 1AA")
    page.get_by_label("Director of Adult Social Services", exact=True).fill("Jo Smith")
    page.get_by_label("Teams").fill("Quality Assurance\nCommissioning")
    page.get_by_role("button", name="Add council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "People in Northshire Council")
    assert_accessible(page)
