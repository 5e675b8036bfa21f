"""A manager manages their own council's people through GOV.UK pages: never another council's
(404), never an admin, never leaving the council without an active manager; an admin adds
councils. Every change is kept in history with who made it."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from winterplan import permissions
from winterplan.models import Council, Region, Team, User
from winterplan.people.models import Invitation

pytestmark = pytest.mark.django_db

PEOPLE = "/councils/cheshire-east/people/"


def _person(username):
    return User.objects.get(username=username)


def test_a_manager_lists_their_councils_people_and_open_invitations(manager_client, invite):
    invite("nadia.khan@example.org")
    page = manager_client.get(PEOPLE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "nadia.khan@example.org" in text and str(_person("officer")) in text
    assert str(_person("halton-officer")) not in text


def test_the_people_page_costs_the_same_queries_for_more_people(manager_client, invite,
                                                                django_assert_max_num_queries):
    council = Council.objects.get(slug="cheshire-east")
    manager_client.get(PEOPLE)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        manager_client.get(PEOPLE)
    group = Group.objects.get(name="officer")
    for n in range(15):
        user = User.objects.create_user(f"extra-{n}", council=council)
        user.groups.add(group)
        invite(f"extra-{n}@example.org")
    with CaptureQueriesContext(connection) as many:
        manager_client.get(PEOPLE)
    assert len(many) == len(few)


def test_a_manager_invites_a_colleague_through_the_form(manager_client, mailbox):
    team = Team.objects.get(council__slug="cheshire-east", name="Quality Assurance")
    response = manager_client.post(PEOPLE + "invite/", {
        "email": "nadia.khan@example.org", "role": "manager", "team": team.pk})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nadia.khan@example.org")
    assert (invitation.role, invitation.team, invitation.invited_by) == (
        "manager", team, _person("manager"))
    body = mailbox.body(mailbox.to("nadia.khan@example.org")[0])
    assert "http://testserver/invitations/" in body


def test_a_forged_admin_role_or_another_councils_team_is_a_form_error(manager_client, mailbox):
    halton_team = Team.objects.filter(council__slug="halton").first()
    for data in ({"email": "a@example.org", "role": "admin"},
                 {"email": "a@example.org", "role": "officer", "team": halton_team.pk}):
        response = manager_client.post(PEOPLE + "invite/", data)
        assert response.status_code == 200
        assert "govuk-error-summary" in response.content.decode()
    assert not Invitation.objects.exists() and not mailbox.messages


def test_another_councils_manager_gets_404_for_every_people_page(manager_client, invite):
    invitation, _ = invite("nadia.khan@example.org")
    halton = Client()
    halton.force_login(_person("halton-manager"))
    officer = _person("officer")
    for path in (PEOPLE, PEOPLE + "invite/", f"{PEOPLE}{officer.pk}/"):
        assert halton.get(path).status_code == 404, path
    for path in (f"{PEOPLE}{officer.pk}/deactivate/",
                 f"{PEOPLE}invitations/{invitation.pk}/cancel/"):
        assert halton.post(path).status_code == 404, path
    # Nor through their own council's URLs with a Cheshire East id.
    assert halton.get(f"/councils/halton/people/{officer.pk}/").status_code == 404
    assert halton.post(f"/councils/halton/people/{officer.pk}/deactivate/").status_code == 404
    assert halton.post(
        f"/councils/halton/people/invitations/{invitation.pk}/cancel/").status_code == 404
    assert _person("officer").is_active
    invitation.refresh_from_db()
    assert invitation.cancelled_at is None


def test_an_admins_account_is_never_changed_by_a_manager(manager_client):
    admin = _person("admin")
    admin.council = Council.objects.get(slug="cheshire-east")
    admin.save()
    assert manager_client.get(f"{PEOPLE}{admin.pk}/").status_code == 403
    assert manager_client.post(f"{PEOPLE}{admin.pk}/deactivate/").status_code == 403
    assert manager_client.post(f"{PEOPLE}{admin.pk}/", {"role": "officer"}).status_code == 403
    admin.refresh_from_db()
    assert admin.is_active and permissions.role_of(admin) == permissions.ADMIN


def test_the_last_active_manager_cannot_be_demoted_or_deactivated(admin_client):
    manager = _person("manager")
    demote = admin_client.post(f"{PEOPLE}{manager.pk}/", {"role": "officer"})
    assert demote.status_code == 409
    assert "only active manager" in demote.content.decode()
    deactivate = admin_client.post(f"{PEOPLE}{manager.pk}/deactivate/")
    assert deactivate.status_code == 409
    assert "only active manager" in deactivate.content.decode()
    manager = _person("manager")
    assert manager.is_active and permissions.role_of(manager) == permissions.MANAGER


def test_with_a_second_manager_the_first_can_step_down(manager_client):
    officer = _person("officer")
    assert manager_client.post(f"{PEOPLE}{officer.pk}/", {"role": "manager"}).status_code == 302
    manager = _person("manager")
    response = manager_client.post(f"{PEOPLE}{manager.pk}/", {"role": "officer"})
    assert response.status_code == 302
    assert permissions.role_of(_person("manager")) == permissions.OFFICER


def test_a_manager_changes_a_role_and_team_deactivates_and_reactivates_with_history(
    manager_client
):
    committee = _person("committee")
    team = Team.objects.get(council__slug="cheshire-east", name="Quality Assurance")
    assert manager_client.post(f"{PEOPLE}{committee.pk}/", {
        "role": "officer", "team": team.pk}).status_code == 302
    committee = _person("committee")
    assert permissions.role_of(committee) == permissions.OFFICER and committee.team == team
    assert manager_client.post(f"{PEOPLE}{committee.pk}/deactivate/").status_code == 302
    assert not _person("committee").is_active
    signed_in = Client()
    signed_in.force_login(committee)
    assert signed_in.get("/plans/").status_code == 302  # a deactivated account is signed out
    assert manager_client.post(f"{PEOPLE}{committee.pk}/reactivate/").status_code == 302
    assert _person("committee").is_active
    manager = _person("manager")
    latest = list(committee.history.order_by("-history_date")[:4])
    assert all(row.history_user == manager for row in latest)
    assert [row.is_active for row in latest[:2]] == [True, False]
    page = manager_client.get(f"{PEOPLE}{committee.pk}/").content.decode()
    assert "reactivated" in page and "deactivated" in page


def test_a_manager_cannot_deactivate_themselves(manager_client):
    officer = _person("officer")
    manager_client.post(f"{PEOPLE}{officer.pk}/", {"role": "manager"})
    response = manager_client.post(f"{PEOPLE}{_person('manager').pk}/deactivate/")
    assert response.status_code == 409 and _person("manager").is_active


def test_a_manager_resends_and_cancels_an_invitation(manager_client, invite, mailbox):
    invitation, _ = invite("nadia.khan@example.org")
    assert manager_client.post(
        f"{PEOPLE}invitations/{invitation.pk}/resend/").status_code == 302
    assert len(mailbox.to("nadia.khan@example.org")) == 2
    assert manager_client.post(
        f"{PEOPLE}invitations/{invitation.pk}/cancel/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None
    assert manager_client.get(PEOPLE).context["invitations"] == []


@pytest.mark.parametrize("client_name", ["officer_client", "committee_client"])
def test_officers_and_committee_members_are_refused_the_people_pages(request, client_name):
    client = request.getfixturevalue(client_name)
    assert client.get(PEOPLE).status_code == 403
    assert client.get(PEOPLE + "invite/").status_code == 403
    assert client.post(PEOPLE + "invite/", {"email": "a@example.org",
                                            "role": "officer"}).status_code == 403
    assert not Invitation.objects.exists()


def test_an_admin_adds_a_council_with_its_teams(admin_client, manager_client):
    data = {
        "name": "Northshire Council", "slug": "northshire", "gss_code": "E06999901",
        "region": Region.objects.get(slug="north-west").pk,
        "address": "Town Hall\nNorthshire\nNS1 1AA", "dass_name": "Jo Smith",
        "dass_title": "Director of Adult Social Services", "telephone": "", "email": "",
        "website": "", "teams": "Quality Assurance\nCommissioning\n\nQuality Assurance\n",
    }
    assert manager_client.post("/councils/new/", data).status_code == 403
    assert manager_client.get("/councils/").status_code == 403
    response = admin_client.post("/councils/new/", data)
    assert response.status_code == 302 and response["Location"] == "/councils/northshire/people/"
    council = Council.objects.get(slug="northshire")
    assert council.region.name == "North West" and council.gss_code == "E06999901"
    assert sorted(council.teams.values_list("name", flat=True)) == [
        "Commissioning", "Quality Assurance"]
    assert council.history.get().history_user == _person("admin")
    assert "Northshire Council" in admin_client.get("/councils/").content.decode()
    again = admin_client.post("/councils/new/", data)
    assert again.status_code == 200 and "govuk-error-summary" in again.content.decode()


def test_the_admin_reads_invitations_but_never_adds_or_changes_them(admin_client, invite):
    invitation, _ = invite("nadia.khan@example.org")
    listing = admin_client.get("/admin/people/invitation/")
    assert listing.status_code == 200 and "nadia.khan@example.org" in listing.content.decode()
    assert admin_client.get("/admin/people/invitation/add/").status_code == 403
    admin_client.post(f"/admin/people/invitation/{invitation.pk}/change/",
                      {"email": "forged@example.org"})
    invitation.refresh_from_db()
    assert invitation.email == "nadia.khan@example.org"


def test_an_invitation_that_cannot_be_mailed_is_not_saved_and_says_so(manager_client,
                                                                      settings):
    import socket

    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    response = manager_client.post(PEOPLE + "invite/", {
        "email": "nadia.khan@example.org", "role": "officer"})
    assert response.status_code == 503
    assert "could not be e-mailed" in response.content.decode()
    assert not Invitation.objects.exists()
