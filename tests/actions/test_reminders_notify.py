"""The GOV.UK Notify backend through the real notifications-python-client, against a small
HTTP server on loopback that speaks Notify's send-email endpoint and checks the client's
signed token (GOV.UK Notify itself cannot be reached from the test machine)."""

import datetime
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from actions.reminders.models import Reminder
from tests.actions.test_reminders import DEADLINE, action_of, person
from tests.providers.factories import CouncilFactory
from tests.reports.factories import KeyAreaFactory, LocalKeyAreaFactory, LocalPlanFactory
from winterplan.models import Team

pytestmark = pytest.mark.django_db

SERVICE_ID, SECRET = str(uuid.uuid4()), str(uuid.uuid4())
API_KEY = f"test-key-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = str(uuid.uuid4())


@pytest.fixture
def notify(settings):
    """A loopback stand-in for api.notifications.service.gov.uk; the backend is pointed at it."""
    received, answer = [], {"status": 201}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            token = self.headers["Authorization"].removeprefix("Bearer ")
            claims = jwt.decode(token, SECRET, algorithms=["HS256"])
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append({"path": self.path, "iss": claims["iss"], **body})
            self.send_response(answer["status"])
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            reply = {"id": str(uuid.uuid4())} if answer["status"] == 201 else {
                "status_code": answer["status"],
                "errors": [{"error": "BadRequestError", "message": "Can't send to this recipient"}]}
            self.wfile.write(json.dumps(reply).encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EMAIL_BACKEND = "actions.reminders.notify.NotifyEmailBackend"
    settings.NOTIFY_API_KEY, settings.NOTIFY_TEMPLATE_ID = API_KEY, TEMPLATE_ID
    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    try:
        yield received, answer
    finally:
        server.shutdown()
        server.server_close()


def test_reminders_go_through_notify_with_subject_and_body_personalisation_and_retry(notify):
    received, answer = notify
    council = CouncilFactory()
    team = Team.objects.create(council=council, name="Commissioning")
    owner = person("olivia", council, "officer", team=team)
    area = LocalKeyAreaFactory(local_plan=LocalPlanFactory(council=council),
                               key_area=KeyAreaFactory())
    action_of(area, team, owner=owner, text="Collate the list of pharmacies.")
    day = (DEADLINE - datetime.timedelta(days=1)).strftime("%d/%m/%Y")

    answer["status"] = 400
    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", day)
    reminder = Reminder.objects.get()
    assert reminder.status == "failed" and "Can't send to this recipient" in reminder.last_error

    answer["status"] = 201
    call_command("send_reminders", "--date", day)
    call_command("send_reminders", "--date", day)
    first, second = received
    assert first == second
    assert second["path"] == "/v2/notifications/email" and second["iss"] == SERVICE_ID
    assert second["email_address"] == owner.email
    assert second["template_id"] == TEMPLATE_ID
    assert second["personalisation"]["subject"] == (
        "Action due on 20/03/2031: Collate the list of pharmacies.")
    assert "(tomorrow)" in second["personalisation"]["body"]
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == ("sent", 2)
