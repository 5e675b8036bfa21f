"""The register in the browser: list, filters, export, a provider's page, edits, plan reviews
and the two-step import. Bad input gets field errors; another council's pages are 404."""

import datetime

import pytest
from django.urls import reverse

from providers.models import BusinessContinuityPlan, PendingImport, Provider
from providers.selectors import bcp_summary

pytestmark = pytest.mark.django_db
CE = "/councils/cheshire-east/providers/"


def _provider(**filters):
    return Provider.objects.filter(council__slug="cheshire-east", **filters).order_by("pk").first()


def test_the_register_url_name_is_the_contract_the_navigation_uses():
    assert reverse("providers:provider-list", kwargs={"council_slug": "halton"}) == \
        "/councils/halton/providers/"


def test_the_register_lists_filters_and_counts(officer_client):
    response = officer_client.get(CE)
    assert response.status_code == 200
    body = response.getvalue().decode()
    assert "Providers in Cheshire East Council&#x27;s register" in body
    filtered = officer_client.get(CE, {"provider_type": "care_at_home", "prime_provider": "yes"})
    rows = list(filtered.context["table"].rows)
    assert len(rows) == 8


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("council_run", "yes", 0),
    ("rag", "red", None),
    ("bcp", "none", 224 - 180),
    ("q", "1-900000001", 1),
])
def test_each_filter_narrows_the_register(officer_client, name, value, expected):
    response = officer_client.get(CE, {name: value, "per_page": 500})
    count = response.context["filter"].qs.count()
    if expected is None:
        assert 0 < count < 224
    else:
        assert count == expected


def test_an_unknown_filter_value_is_a_field_error_not_a_500(officer_client):
    response = officer_client.get(CE, {"provider_type": "hospital", "bcp": "lost"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.getvalue().decode()


def test_the_register_exports_csv_and_xlsx(officer_client):
    csv = officer_client.get(CE, {"_export": "csv"})
    assert csv.status_code == 200
    lines = csv.getvalue().decode().strip().splitlines()
    assert len(lines) == 225
    assert lines[0].startswith("Provider,Type,CQC location ID")
    xlsx = officer_client.get(CE, {"_export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_provider_page_shows_rag_plan_returns_and_money(halton_officer_client):
    home = Provider.objects.get(council__slug="halton", name="Poplar Grange")
    response = halton_officer_client.get(f"/councils/halton/providers/{home.pk}/")
    assert response.status_code == 200
    body = response.getvalue().decode()
    assert "PPE running out: gloves 0 days" in body
    assert "Latest daily returns" in body and "15/07/2020" in body
    assert "Round 1, tranche 1" in body


def test_another_councils_provider_is_404(officer_client):
    halton_home = Provider.objects.filter(council__slug="halton").first()
    assert officer_client.get(f"{CE}{halton_home.pk}/").status_code == 404
    assert officer_client.get(f"/councils/halton/providers/{halton_home.pk}/").status_code == 404
    assert officer_client.post(f"/councils/halton/providers/{halton_home.pk}/edit/",
                               {"name": "x"}).status_code == 404


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"registered_beds": "-4"}, "registered_beds", "greater than or equal to 0"),
    ({"registered_beds": "many"}, "registered_beds", "Enter a whole number"),
    ({"cqc_location_id": "12345"}, "cqc_location_id", "CQC location ID"),
])
def test_bad_provider_input_is_a_field_error(officer_client, change, field, message):
    home = _provider(provider_type="care_home_residential")
    data = {"name": home.name, "provider_type": home.provider_type,
            "client_group": home.client_group, "cqc_location_id": home.cqc_location_id,
            "registered_beds": home.registered_beds, "people_supported": "",
            "risk_rating": home.risk_rating, "version": home.version} | change
    response = officer_client.post(f"{CE}{home.pk}/edit/", data)
    assert response.status_code == 400
    assert message in response.getvalue().decode()
    assert response.context["form"].errors[field]


def test_beds_on_a_care_at_home_provider_are_a_field_error(officer_client):
    agency = _provider(provider_type="care_at_home")
    response = officer_client.post(f"{CE}{agency.pk}/edit/", {
        "name": agency.name, "provider_type": "care_at_home", "client_group": "mixed",
        "cqc_location_id": agency.cqc_location_id, "registered_beds": "12",
        "risk_rating": "green", "version": agency.version})
    assert response.status_code == 400
    assert "Only care homes have registered beds" in response.context["form"].errors[
        "registered_beds"][0]


def test_an_edit_saves_with_history_and_a_stale_edit_is_refused(officer_client):
    home = _provider(provider_type="care_home_nursing")
    data = {"name": "Renamed", "provider_type": home.provider_type,
            "client_group": home.client_group, "cqc_location_id": home.cqc_location_id,
            "registered_beds": home.registered_beds, "risk_rating": "red",
            "version": home.version}
    assert officer_client.post(f"{CE}{home.pk}/edit/", data).status_code == 302
    home.refresh_from_db()
    assert home.name == "Renamed" and home.risk.rag == "red"
    assert home.history.first().history_user.username == "officer"
    stale = officer_client.post(f"{CE}{home.pk}/edit/", data | {"name": "Again"})
    assert stale.status_code == 409
    assert "changed this provider" in stale.getvalue().decode()
    home.refresh_from_db()
    assert home.name == "Renamed"


def test_adding_a_provider_with_a_cqc_id_already_used_is_a_field_error(officer_client):
    existing = _provider()
    response = officer_client.post(f"{CE}new/", {
        "name": "Twin", "provider_type": "care_at_home", "client_group": "mixed",
        "cqc_location_id": existing.cqc_location_id, "risk_rating": "green"})
    assert response.status_code == 400
    assert "Another provider in the register has this CQC location ID." in \
        response.getvalue().decode()


def test_a_business_continuity_plan_review_is_recorded(officer_client):
    agency = _provider(business_continuity_plan__isnull=True)
    url = f"{CE}{agency.pk}/continuity-plan/"
    before = bcp_summary(agency.council)
    response = officer_client.post(url, {"received_on": "01/10/2020", "reviewed_on": "05/10/2020",
                                         "outcome": "needs_revision",
                                         "next_review_due": "05/11/2020", "version": 0})
    assert response.status_code == 302
    plan = BusinessContinuityPlan.objects.get(provider=agency)
    assert plan.reviewer.username == "officer" and plan.outcome == "needs_revision"
    after = bcp_summary(agency.council)
    assert after.received == before.received + 1
    assert after.needs_revision == before.needs_revision + 1


@pytest.mark.parametrize(("data", "field"), [
    ({"reviewed_on": "05/10/2020", "outcome": "adequate"}, "received_on"),
    ({"received_on": "05/10/2020", "reviewed_on": "01/10/2020", "outcome": "adequate"},
     "reviewed_on"),
    ({"received_on": "05/10/2020", "reviewed_on": "06/10/2020"}, "outcome"),
    ({"received_on": "05/10/2099"}, "received_on"),
    ({"received_on": "32/10/2020"}, "received_on"),
])
def test_a_bad_plan_review_is_a_field_error(officer_client, data, field):
    agency = _provider()
    response = officer_client.post(f"{CE}{agency.pk}/continuity-plan/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors


def test_bcp_summary_counts_received_reviewed_adequate_and_overdue(cheshire_east):
    summary = bcp_summary(cheshire_east, as_at=datetime.date(2020, 10, 14))
    assert summary.providers == 224 and summary.received == 180
    assert summary.reviewed + 20 == 180  # every ninth plan awaits review
    assert summary.adequate + summary.needs_revision == summary.reviewed
    assert summary.not_reviewed == 224 - summary.reviewed
    assert bcp_summary(cheshire_east, as_at=datetime.date(2021, 6, 1)).overdue == \
        summary.reviewed


def test_the_browser_import_previews_then_applies_on_confirm(officer_client):
    upload = ("name,provider_type,cqc_location_id,registered_beds,prime_provider,council_run,"
              "risk_rating\nNew Agency,care_at_home,1-555000001,,no,no,green\n")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = officer_client.post(f"{CE}import/", {
        "kind": "providers", "file": SimpleUploadedFile("new.csv", upload.encode())})
    assert response.status_code == 302
    pending = PendingImport.objects.get()
    assert bytes(pending.content) == upload.encode()
    preview = officer_client.get(response["Location"])
    assert preview.status_code == 200 and "New Agency" in preview.getvalue().decode()
    assert not Provider.objects.filter(cqc_location_id="1-555000001").exists()
    confirmed = officer_client.post(response["Location"])
    assert confirmed.status_code == 302
    assert Provider.objects.filter(cqc_location_id="1-555000001").exists()
    assert not PendingImport.objects.exists()


def test_a_bad_upload_shows_every_row_error_and_cannot_be_confirmed(officer_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = ("name,provider_type,cqc_location_id,registered_beds,prime_provider,council_run,"
              "risk_rating\nBad,care_at_home,1-555000002,9,no,no,green\n")
    response = officer_client.post(f"{CE}import/", {
        "kind": "providers", "file": SimpleUploadedFile("bad.csv", upload.encode())})
    preview = officer_client.get(response["Location"])
    assert preview.status_code == 400
    body = preview.getvalue().decode()
    assert "registered_beds" in body and "Only care homes" in body
    assert "Confirm the import" not in body
    assert officer_client.post(response["Location"]).status_code == 400
    assert not Provider.objects.filter(cqc_location_id="1-555000002").exists()


def test_an_upload_is_only_visible_to_the_person_who_made_it(officer_client, manager_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = officer_client.post(f"{CE}import/", {
        "kind": "providers", "file": SimpleUploadedFile("x.csv", b"name\n")})
    location = response["Location"]
    from django.test import Client

    from winterplan.models import User

    other = Client()
    other.force_login(User.objects.get(username="manager"))
    assert other.get(location).status_code == 404


def test_a_file_that_is_not_csv_or_xlsx_is_a_field_error(officer_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = officer_client.post(f"{CE}import/", {
        "kind": "providers", "file": SimpleUploadedFile("x.pdf", b"%PDF")})
    assert response.status_code == 400
    assert "Choose a .csv, .xlsx or .ods file." in response.getvalue().decode()


def test_committee_members_read_but_never_write(committee_client):
    home = _provider()
    assert committee_client.get(CE).status_code == 200
    assert committee_client.get(f"{CE}{home.pk}/").status_code == 200
    assert committee_client.get(f"{CE}import/").status_code == 403
    for url in (f"{CE}{home.pk}/edit/", f"{CE}new/", f"{CE}{home.pk}/continuity-plan/",
                f"{CE}import/", f"{CE}risk-log/"):
        assert committee_client.post(url, {"name": "x"}).status_code == 403
