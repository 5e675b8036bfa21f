"""One structured (JSON) line on the `winterplan.audit` logger per sign-in, failed sign-in,
permission refusal, import, approval and letter download: event, user, council, address,
object."""

import json
import logging

import pytest
from django.conf import settings
from django.test import Client

from actions.models import LocalPlan
from providers.models import ImportKind
from providers.services.uploads import pending_import_create
from tests.reports.test_dhsc_letter import approve
from winterplan import audit
from winterplan import settings as project_settings
from winterplan.models import Council, User

pytestmark = pytest.mark.django_db


def _events(caplog, event):
    return [record.audit for record in caplog.records
            if record.name == "winterplan.audit" and record.audit["event"] == event]


def test_a_sign_in_and_a_failed_one_are_logged_without_the_password(caplog):
    caplog.set_level(logging.INFO, logger="winterplan.audit")
    client = Client()
    client.post("/login/", {"username": "officer", "password": "wrong-password-1"})
    client.post("/login/", {"username": "officer", "password": settings.DEMO_PASSWORD})
    (failed,) = _events(caplog, audit.SIGN_IN_FAILED)
    assert failed["username_tried"] == "officer" and failed["user"] is None
    assert failed["ip"] == "127.0.0.1"
    (signed_in,) = _events(caplog, audit.SIGN_IN)
    assert (signed_in["user"], signed_in["council"], signed_in["ip"]) == (
        "officer", "cheshire-east", "127.0.0.1")
    assert "wrong-password-1" not in caplog.text and settings.DEMO_PASSWORD not in caplog.text


def test_a_permission_refusal_is_logged_with_who_and_what(officer_client, caplog):
    caplog.set_level(logging.INFO, logger="winterplan.audit")
    assert officer_client.get("/councils/cheshire-east/audit/").status_code == 403
    (refused,) = _events(caplog, audit.PERMISSION_DENIED)
    assert refused["user"] == "officer" and refused["council"] == "cheshire-east"
    assert refused["path"] == "/councils/cheshire-east/audit/" and refused["method"] == "GET"


def test_an_import_is_logged_with_its_file_and_counts(manager_client, caplog):
    caplog.set_level(logging.INFO, logger="winterplan.audit")
    council = Council.objects.get(slug="cheshire-east")
    upload = pending_import_create(
        council=council, user=User.objects.get(username="manager"), kind=ImportKind.PROVIDERS,
        filename="cheshire-east.csv",
        content=(settings.BASE_DIR / "fixtures/providers/cheshire-east.csv").read_bytes())
    response = manager_client.post(f"/councils/cheshire-east/providers/import/{upload.pk}/")
    assert response.status_code == 302
    (imported,) = _events(caplog, audit.IMPORT)
    assert imported["object"] == "cheshire-east.csv" and imported["kind"] == "providers"
    assert imported["user"] == "manager" and imported["council"] == "cheshire-east"
    assert {"created", "updated", "unchanged"} <= set(imported)


def test_a_letter_approval_and_its_download_are_logged(manager_client, caplog):
    caplog.set_level(logging.INFO, logger="winterplan.audit")
    plan = LocalPlan.objects.get(slug="cheshire-east-2020-21")
    assert approve(manager_client, plan).status_code == 302
    (approval,) = _events(caplog, audit.APPROVAL)
    assert approval["object"] == f"actions.localplan:{plan.pk}"
    assert approval["document"] == "dhsc-letter" and approval["user"] == "manager"
    assert manager_client.get(f"/plans/{plan.slug}/documents/dhsc-letter.pdf"
                              ).status_code == 200
    (download,) = _events(caplog, audit.LETTER_DOWNLOAD)
    assert download["council"] == "cheshire-east" and download["user"] == "manager"


def test_each_event_is_one_json_line():
    record = logging.LogRecord("winterplan.audit", logging.INFO, __file__, 1, "sign-in", (),
                               None)
    record.audit = {"event": "sign-in", "user": "officer", "council": "cheshire-east",
                    "ip": "127.0.0.1", "object": None}
    line = audit.JsonFormatter().format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["event"] == "sign-in" and parsed["logger"] == "winterplan.audit"
    assert parsed["time"].endswith("+00:00")


def test_the_settings_send_the_audit_logger_through_the_json_formatter():
    logging_config = project_settings.LOGGING
    logger = logging_config["loggers"]["winterplan.audit"]
    handler = logging_config["handlers"][logger["handlers"][0]]
    formatter = logging_config["formatters"][handler["formatter"]]
    assert formatter["()"] == "winterplan.audit.JsonFormatter"
    assert logger["level"] == "INFO"
