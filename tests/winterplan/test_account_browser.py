"""“Your account” in a real browser: reached from the header, passes axe before and after
saving, and the checkbox works with the keyboard."""

import pytest
from playwright.sync_api import expect

from tests.browser_support import assert_accessible, sign_in
from winterplan.models import User

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_your_account_passes_axe_and_turns_reminders_off(site, new_page):
    page = new_page()
    sign_in(page, site, "committee")
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    assert_accessible(page)

    box = page.get_by_label("E-mail me reminders")
    expect(box).to_be_checked()
    box.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("E-mail reminders turned off.")).to_be_visible()
    expect(page.get_by_label("E-mail me reminders")).not_to_be_checked()
    assert_accessible(page)
    assert not User.objects.get(username="committee").reminders_enabled


def test_an_actions_history_with_reminders_passes_axe(site, new_page):
    from django.utils import timezone

    from actions.models import LocalAction
    from actions.reminders.models import Reminder

    officer = User.objects.get(username="officer")
    action = LocalAction.objects.filter(local_key_area__local_plan__slug="cheshire-east-2020-21")[0]
    common = {"recipient": officer, "email": "officer@example.org", "action": action,
              "due_on": action.deadline or timezone.localdate(), "subject": "s", "body": "b"}
    Reminder.objects.create(event="action_due_7", status="sent", sent_at=timezone.now(),
                            attempts=1, **common)
    Reminder.objects.create(event="action_due_1", status="failed", attempts=2,
                            last_attempt_at=timezone.now(), last_error="refused", **common)
    page = new_page()
    sign_in(page, site, "officer")
    page.goto(f"{site}/plans/cheshire-east-2020-21/actions/{action.pk}/")
    expect(page.get_by_text("Reminder sent to")).to_be_visible()
    expect(page.get_by_text("2 attempts failed")).to_be_visible()
    assert_accessible(page)
