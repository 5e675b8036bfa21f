"""send_reminders through a real SMTP server on loopback (tests/mail_support.py): who gets
which reminder, once per event across runs, failures recorded and retried, opt-out honoured,
and a flat query count."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from actions.reminders.models import Event, Reminder, ReminderStatus
from actions.reminders.services import reminders_run
from providers.models import BusinessContinuityPlan
from reports.models import DhscLetter
from tests.mail_support import _free_port
from tests.providers.factories import CouncilFactory, ProviderFactory
from tests.reports.factories import (
    KeyAreaFactory,
    LocalActionFactory,
    LocalKeyAreaFactory,
    LocalPlanFactory,
)
from winterplan.models import Team, User

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2031, 3, 20)
DAY = datetime.timedelta(days=1)


def run(day: datetime.date) -> None:
    call_command("send_reminders", "--date", day.strftime("%d/%m/%Y"))


def person(username, council, role, *, email=True, team=None, **values) -> User:
    user = User.objects.create_user(
        username=username, email=f"{username}@example.org" if email else "",
        first_name=username.title(), council=council, team=team, **values)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def council():
    return CouncilFactory()


@pytest.fixture
def team(council):
    return Team.objects.create(council=council, name="Commissioning")


@pytest.fixture
def area(council):
    """A key area of a plan of the test council (its national plan has no letter deadline)."""
    return LocalKeyAreaFactory(local_plan=LocalPlanFactory(council=council),
                               key_area=KeyAreaFactory())


@pytest.fixture
def owner(council, team):
    return person("olivia", council, "officer", team=team)


def action_of(area, team, **values):
    values.setdefault("deadline", DEADLINE)
    return LocalActionFactory(local_key_area=area, team=team, **values)


def test_owner_is_reminded_7_days_and_1_day_before_and_once_overdue(
        mailbox, area, team, owner):
    action = action_of(area, team, owner=owner, text="Collate the list of pharmacies.")

    run(DEADLINE - 7 * DAY)
    [message] = mailbox.to(owner.email)
    assert message["Subject"] == "Action due on 20/03/2031: Collate the list of pharmacies."
    body = mailbox.body(message)
    assert "is due on 20/03/2031 (in 7 days)" in body
    assert "Collate the list of pharmacies." in body
    assert f"/plans/{area.local_plan.slug}/actions/{action.pk}/" in body
    assert "Your account" in body

    run(DEADLINE - 6 * DAY)  # still "7 days" window: already sent
    run(DEADLINE - 7 * DAY)  # the same day again
    assert len(mailbox.to(owner.email)) == 1

    run(DEADLINE - DAY)
    run(DEADLINE - DAY)
    assert len(mailbox.to(owner.email)) == 2
    assert "(tomorrow)" in mailbox.body(mailbox.to(owner.email)[-1])

    run(DEADLINE)  # the deadline day: "due tomorrow" already sent
    run(DEADLINE + DAY)
    run(DEADLINE + 2 * DAY)
    messages = mailbox.to(owner.email)
    assert len(messages) == 3
    assert messages[-1]["Subject"] == (
        "Action overdue since 20/03/2031: Collate the list of pharmacies.")
    assert "1 day overdue" in mailbox.body(messages[-1])
    assert list(Reminder.objects.filter(action=action).values_list("event", "status")) == [
        (Event.ACTION_DUE_7, "sent"), (Event.ACTION_DUE_1, "sent"),
        (Event.ACTION_OVERDUE, "sent")]


def test_an_action_without_owner_goes_to_its_teams_editors_with_an_e_mail(
        mailbox, council, area, team):
    officer = person("oscar", council, "officer", team=team)
    manager = person("maya", council, "manager", team=team)
    person("cora", council, "committee", team=team)
    person("noemail", council, "officer", team=team, email=False)
    person("quiet", council, "officer", team=team, reminders_enabled=False)
    person("gone", council, "officer", team=team, is_active=False)
    person("elsewhere", council, "officer", team=Team.objects.create(council=council, name="X"))
    action_of(area, team, owner=None)

    run(DEADLINE - DAY)

    assert sorted(m["To"] for m in mailbox.messages) == [manager.email, officer.email]
    assert "you are in its responsible team" in mailbox.body(mailbox.to(officer.email)[0])


def test_complete_and_ongoing_actions_and_far_deadlines_are_not_reminded(
        mailbox, area, team, owner):
    action_of(area, team, owner=owner, status="complete")
    action_of(area, team, owner=owner, deadline=None, deadline_ongoing=True)
    action_of(area, team, owner=owner, deadline=DEADLINE + 8 * DAY)
    action_of(area, team, owner=owner, deadline=DEADLINE - 8 * DAY)  # long overdue

    run(DEADLINE)

    assert mailbox.messages == []
    assert not Reminder.objects.exists()


def test_managers_are_told_14_and_3_days_before_the_letter_deadline_until_it_is_approved(
        mailbox, council, area):
    manager = person("maya", council, "manager")
    officer = person("oscar", council, "officer")
    plan = area.local_plan
    national = plan.national_plan
    national.confirmation_deadline = DEADLINE
    national.save()

    run(DEADLINE - 14 * DAY)
    run(DEADLINE - 13 * DAY)
    [message] = mailbox.to(manager.email)
    assert message["Subject"] == f"DHSC letter due on 20/03/2031: {plan.title}"
    assert "(in 14 days), and it is not approved yet" in mailbox.body(message)
    assert f"/plans/{plan.slug}/documents/" in mailbox.body(message)
    assert mailbox.to(officer.email) == []

    run(DEADLINE - 3 * DAY)
    run(DEADLINE - 3 * DAY)
    assert len(mailbox.to(manager.email)) == 2

    other = LocalPlanFactory(council=CouncilFactory(), national_plan=national)
    other_manager = person("mo", other.council, "manager")
    DhscLetter.objects.create(
        local_plan=other, state="approved", reference="R1", dated=DEADLINE - 5 * DAY,
        approved_at=datetime.datetime(2031, 3, 15, tzinfo=datetime.UTC), approved_pdf=b"%PDF")
    run(DEADLINE - 2 * DAY)
    assert mailbox.to(other_manager.email) == []


def test_officers_are_told_when_a_continuity_plan_review_falls_due(mailbox, council):
    officer = person("oscar", council, "officer")
    manager = person("maya", council, "manager")
    home = ProviderFactory(council=council, name="Poplar Grange")
    BusinessContinuityPlan.objects.create(
        provider=home, received_on=datetime.date(2030, 9, 1), reviewed_on=datetime.date(2030, 9, 2),
        outcome="adequate", next_review_due=DEADLINE)

    run(DEADLINE - DAY)
    assert mailbox.messages == []
    run(DEADLINE)
    run(DEADLINE + DAY)
    [message] = mailbox.to(officer.email)
    assert message["Subject"] == "Business continuity plan review due: Poplar Grange"
    assert "its next review was due on 20/03/2031" in mailbox.body(message)
    assert f"/councils/{council.slug}/providers/{home.pk}/" in mailbox.body(message)
    assert mailbox.to(manager.email) == []


def test_mail_that_cannot_be_sent_is_recorded_as_failed_and_sent_on_the_next_run(
        mailbox, settings, area, team, owner, caplog):
    action_of(area, team, owner=owner)
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _free_port()  # nothing listens there

    with pytest.raises(CommandError, match="1 reminder"):
        run(DEADLINE - DAY)

    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts) == (ReminderStatus.FAILED, 1)
    assert "Connection" in reminder.last_error or "refused" in reminder.last_error
    assert "not sent" in caplog.text
    assert mailbox.messages == []

    settings.EMAIL_PORT = working_port
    run(DEADLINE)  # the next day: the failed one goes, nothing new is due
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.last_error) == ("sent", 2, "")
    assert len(mailbox.to(owner.email)) == 1
    run(DEADLINE)
    assert len(mailbox.to(owner.email)) == 1


def test_a_user_who_turned_reminders_off_in_their_account_gets_none(
        mailbox, area, team, owner):
    action_of(area, team, owner=owner)
    client = Client()
    client.force_login(owner)
    client.post("/account/", {})  # the box unticked

    run(DEADLINE - DAY)

    assert mailbox.messages == []
    assert not Reminder.objects.exists()


def test_dry_run_lists_what_is_due_and_sends_and_records_nothing(
        mailbox, area, team, owner, capsys):
    action_of(area, team, owner=owner)
    call_command("send_reminders", "--date", "19/03/2031", "--dry-run")
    assert f"Would send: {owner.email}: Action due on 20/03/2031" in capsys.readouterr().out
    assert mailbox.messages == []
    assert not Reminder.objects.exists()


def test_the_actions_history_page_shows_the_reminders(mailbox, area, team, owner):
    action = action_of(area, team, owner=owner)
    run(DEADLINE - 7 * DAY)
    client = Client()
    client.force_login(owner)
    page = client.get(f"/plans/{area.local_plan.slug}/actions/{action.pk}/").content.decode()
    assert f"Reminder sent to Olivia ({owner.email}) on " in page
    assert "action due in 7 days (deadline 20/03/2031)" in page


def test_queries_do_not_grow_with_the_number_of_actions(
        mailbox, council, area, team, owner, django_assert_max_num_queries):
    person("maya", council, "manager", team=team)  # with olivia, the team's two editors

    def day_of(n):
        return DEADLINE + n * 30 * DAY  # apart, so each batch has its own day

    def measure(n, count):
        for _ in range(count):
            action_of(area, team, owner=owner, deadline=day_of(n))
            action_of(area, team, owner=None, deadline=day_of(n))
        with CaptureQueriesContext(connection) as queries:
            reminders_run(on=day_of(n) - DAY)
        return len(queries)

    few, many = measure(0, 1), measure(1, 15)
    assert few == many
    for _ in range(15):
        action_of(area, team, owner=owner, deadline=day_of(2))
    with django_assert_max_num_queries(few):
        reminders_run(on=day_of(2) - DAY)
    # an owned action: its owner; an ownerless one: the team's two editors
    assert Reminder.objects.filter(status="sent").count() == (1 + 2) + 15 * (1 + 2) + 15


def test_the_admin_lists_reminders_read_only(mailbox, area, team, owner, admin_client):
    action_of(area, team, owner=owner)
    run(DEADLINE - DAY)
    page = admin_client.get("/admin/reminders/reminder/", {"q": "olivia"})
    assert page.status_code == 200 and owner.email in page.content.decode()
    assert admin_client.get("/admin/reminders/reminder/add/").status_code == 403
    reminder = Reminder.objects.get()
    assert admin_client.post(f"/admin/reminders/reminder/{reminder.pk}/delete/",
                             {"post": "yes"}).status_code == 403
    assert Reminder.objects.filter(pk=reminder.pk).exists()


def test_a_failed_reminder_no_longer_due_is_withdrawn_not_sent(
        mailbox, settings, area, team, owner):
    action = action_of(area, team, owner=owner)
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _free_port()
    with pytest.raises(CommandError):
        run(DEADLINE - DAY)
    action.status = "complete"
    action.save()

    settings.EMAIL_PORT = working_port
    run(DEADLINE)

    assert mailbox.messages == []
    assert Reminder.objects.get().status == ReminderStatus.WITHDRAWN
    client = Client()
    client.force_login(owner)
    page = client.get(f"/plans/{area.local_plan.slug}/actions/{action.pk}/").content.decode()
    assert f"Reminder to Olivia ({owner.email}) not sent: no longer due" in page
