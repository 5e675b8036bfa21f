"""The officers' side: a home's links (issued when, by whom, expires, last used, revoked),
issuing one (shown once, e-mailed over real SMTP), revoking; the returns screen and the risk
log saying who entered each return and which homes have not reported today; reminders."""

import pytest
from django.test import Client
from django.utils import timezone

from providers.models import DailyReturn, Provider, ReturnLink
from tests.providers.return_links.conftest import link_path, return_data
from winterplan.models import User

pytestmark = pytest.mark.django_db


def _links(home):
    return f"/councils/halton/providers/{home.pk}/return-links/"


def test_an_officer_issues_a_link_shown_once_and_e_mailed(halton_officer_client, home, mailbox):
    response = halton_officer_client.post(_links(home), {"days": "30", "send_email": "on"})
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    token = response.context["issued"].token
    body = response.content.decode()
    assert link_path(token) in body and "shown only once" in body
    link = ReturnLink.objects.get(provider=home)
    assert (link.expires_at - link.created_at).days == 30
    assert link.created_by.username == "halton-officer" and link.emailed_to == home.contact_email
    [message] = mailbox.to(home.contact_email)
    assert link_path(token) in mailbox.body(message)
    assert home.name in message["Subject"]
    listing = halton_officer_client.get(_links(home)).content.decode()
    assert token not in listing  # never shown again
    assert "Active" in listing and "Never" in listing


def test_the_list_shows_each_links_history_and_revoking_stops_it(halton_officer_client, home,
                                                                 token, client):
    client.post(link_path(token), return_data())
    link = ReturnLink.objects.get(provider=home)
    page = halton_officer_client.get(_links(home)).content.decode()
    assert timezone.localtime(link.last_used_at).strftime("%d/%m/%Y %H:%M") in page
    assert link.expires_at.strftime("%d/%m/%Y") in page
    response = halton_officer_client.post(_links(home) + f"{link.pk}/revoke/")
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at and link.revoked_by.username == "halton-officer"
    assert link.history.filter(history_change_reason="revoked").exists()
    assert "Revoked" in halton_officer_client.get(_links(home)).content.decode()
    assert client.get(link_path(token)).status_code == 410


def test_a_home_without_an_address_cannot_have_its_link_e_mailed(halton_officer_client,
                                                                 other_home):
    response = halton_officer_client.post(_links(other_home), {"days": "90", "send_email": "on"})
    assert response.status_code == 201  # the box is not offered, so it is ignored
    assert ReturnLink.objects.get(provider=other_home).emailed_to == ""


def test_a_bad_number_of_days_is_a_field_error(halton_officer_client, home):
    for days in ("0", "1000", "ninety"):
        response = halton_officer_client.post(_links(home), {"days": days})
        assert response.status_code == 400
    assert not ReturnLink.objects.filter(provider=home).exists()


def test_readers_and_other_councils_cannot_see_or_issue_links(officer_client, home, token):
    link = ReturnLink.objects.get(provider=home)
    committee = Client()
    committee.force_login(User.objects.get(username="halton-committee"))
    assert committee.get(_links(home)).status_code == 403
    assert committee.post(_links(home), {"days": "90"}).status_code == 403
    assert committee.post(_links(home) + f"{link.pk}/revoke/").status_code == 403
    # Cheshire East's officer: Halton's pages are 404, and so is Halton's home under their own.
    assert officer_client.get(_links(home)).status_code == 404
    assert officer_client.get(f"/councils/cheshire-east/providers/{home.pk}/return-links/"
                              ).status_code == 404
    assert officer_client.post(f"/councils/cheshire-east/providers/{home.pk}/return-links/"
                               f"{link.pk}/revoke/").status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_the_returns_screen_and_risk_log_say_who_entered_each_return(halton_officer_client,
                                                                     client, token, home,
                                                                     other_home):
    client.post(link_path(token), return_data(essential_service_impact="on"))
    DailyReturn.objects.create(provider=other_home, date=timezone.localdate(),
                               entered_by=User.objects.get(username="halton-manager"),
                               essential_service_impact=True)
    today = timezone.localdate().strftime("%d/%m/%Y")
    grid = halton_officer_client.get(f"/councils/halton/providers/returns/?date={today}")
    body = grid.content.decode()
    assert "Entered by the provider via link" in body
    manager = User.objects.get(username="halton-manager")
    assert f"Entered by {manager.get_full_name() or manager.username}" in body
    assert "Not reported today" in body
    not_reported = {p.name for p in grid.context["not_reported"]}
    assert home.name not in not_reported and other_home.name not in not_reported
    assert len(not_reported) == Provider.objects.filter(
        council__slug="halton", provider_type__startswith="care_home").count() - 2
    risk_log = halton_officer_client.get("/councils/halton/providers/risk-log/")
    body = risk_log.content.decode()
    assert f"Return of {today}" in body and "Entered by the provider via link" in body
    csv = halton_officer_client.get("/councils/halton/providers/risk-log/?_export=csv")
    assert "Entered by the provider via link" in csv.getvalue().decode()


def test_a_reminder_goes_to_one_home_over_real_smtp(halton_officer_client, home, token,
                                                    mailbox):
    response = halton_officer_client.post("/councils/halton/providers/returns/reminders/",
                                          {"provider": home.pk, "back": "risk-log"})
    assert response.status_code == 302 and response["Location"].endswith("/risk-log/")
    [message] = mailbox.to(home.contact_email)
    assert "not received" in message["Subject"] and home.name in mailbox.body(message)
    assert message["Reply-To"] is None or "@" in message["Reply-To"]
    page = halton_officer_client.get(response["Location"]).content.decode()
    assert "Reminder sent to 1 home" in page and home.name in page


def test_reminders_to_all_name_the_homes_without_an_address(halton_officer_client, home,
                                                            other_home, mailbox, client, token):
    third = Provider.objects.filter(council__slug="halton", provider_type__startswith="care_home"
                                    ).exclude(pk__in=[home.pk, other_home.pk]).first()
    third.contact_email = "third@example.org"
    third.save()
    client.post(link_path(token), return_data())  # Lime Gardens has reported: not reminded
    response = halton_officer_client.post("/councils/halton/providers/returns/reminders/",
                                          {"all": "on"}, follow=True)
    text = response.content.decode()
    assert len(mailbox.messages) == 1 and mailbox.to("third@example.org")
    assert "Reminder sent to 1 home" in text and third.name in text
    assert "no e-mail address" in text and other_home.name in text
    assert "No working return link" in text  # the third home has none: issue one


def test_a_home_that_reported_is_not_reminded(halton_officer_client, home, token, client,
                                              mailbox):
    client.post(link_path(token), return_data())
    response = halton_officer_client.post("/councils/halton/providers/returns/reminders/",
                                          {"provider": home.pk}, follow=True)
    assert "already sent its return" in response.content.decode()
    assert not mailbox.messages


def test_readers_cannot_send_reminders(committee_client, home, mailbox):
    response = committee_client.post("/councils/halton/providers/returns/reminders/",
                                     {"all": "on"})
    assert response.status_code in (403, 404)
    reader = Client()
    reader.force_login(User.objects.get(username="halton-committee"))
    assert reader.post("/councils/halton/providers/returns/reminders/",
                       {"all": "on"}).status_code == 403
    assert not mailbox.messages


def test_an_officer_records_a_homes_contact_address_and_a_bad_one_is_a_field_error(
        halton_officer_client, other_home):
    data = {"name": other_home.name, "provider_type": other_home.provider_type,
            "client_group": other_home.client_group,
            "cqc_location_id": other_home.cqc_location_id,
            "registered_beds": other_home.registered_beds,
            "risk_rating": other_home.risk_rating, "version": other_home.version,
            "contact_email": "not an address"}
    url = f"/councils/halton/providers/{other_home.pk}/edit/"
    response = halton_officer_client.post(url, data)
    assert response.status_code == 400 and "contact_email" in response.context["form"].errors
    data["contact_email"] = "manager@alder-view.example"
    assert halton_officer_client.post(url, data).status_code == 302
    other_home.refresh_from_db()
    assert other_home.contact_email == "manager@alder-view.example"


def test_an_import_replacing_a_providers_return_records_itself_as_the_channel(client, token,
                                                                              home):
    from providers.models import EnteredVia
    from providers.services.returns_import import REQUIRED_COLUMNS, daily_returns_import

    client.post(link_path(token), return_data())
    cells = dict.fromkeys(REQUIRED_COLUMNS, "")
    cells.update(cqc_location_id=home.cqc_location_id, date=timezone.localdate().isoformat(),
                 resident_cases="0", staff_cases="0", ppe_gloves_days="4")
    content = (",".join(REQUIRED_COLUMNS) + "\n"
               + ",".join(cells[name] for name in REQUIRED_COLUMNS) + "\n").encode()
    daily_returns_import(council=home.council, filename="d.csv", content=content,
                         existing="replace", user=User.objects.get(username="halton-manager"))
    stored = DailyReturn.objects.get(provider=home, date=timezone.localdate())
    assert stored.entered_via == EnteredVia.IMPORT and stored.return_link is None
    assert stored.entered_by.username == "halton-manager" and stored.ppe_gloves_days == 4
