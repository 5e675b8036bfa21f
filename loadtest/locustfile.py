"""`make loadtest`: signed-in users over the main pages of the largest synthetic council, one
request in ten an edit of an action (a 409 for a stale version is an expected answer).

Each user signs in once (the real sign-in form; password hashing is paid once per user, before
its pages). The measured window starts when every user has signed in: the statistics are reset
then, and the run stops $LOADTEST_SECONDS later, so the figures are the pages of signed-in
users, not a queue of sign-ins. Between pages a user waits 0.25-0.75 s ($LOADTEST_WAIT_MIN and
$LOADTEST_WAIT_MAX). Every acknowledged save appends its marker to $LOADTEST_WRITES, which
loadtest/check_writes.py looks up in the database and its history afterwards.
"""

import os
import random
import re
import time
from html.parser import HTMLParser

import gevent
from locust import HttpUser, between, events, task

COUNCIL = os.environ.get("LOADTEST_COUNCIL", "synthetic-001")
PLAN = f"{COUNCIL}-2020-21"
PASSWORD = os.environ.get("DEMO_PASSWORD", "winter-plan-demo")
WRITES = os.environ.get("LOADTEST_WRITES", "loadtest-writes.txt")
MEASURED_SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))
WAIT = (float(os.environ.get("LOADTEST_WAIT_MIN", "0.25")),
        float(os.environ.get("LOADTEST_WAIT_MAX", "0.75")))
PAGES = [
    ("dashboard", f"/plans/{PLAN}/"),
    ("actions table", f"/plans/{PLAN}/actions/"),
    ("key area", f"/plans/{PLAN}/areas/safe-discharge/"),
    ("appendix two", f"/plans/{PLAN}/documents/appendix-two/"),
    ("provider register", f"/councils/{COUNCIL}/providers/"),
    ("risk log", f"/councils/{COUNCIL}/providers/risk-log/"),
    ("returns screen", f"/councils/{COUNCIL}/providers/returns/"),
    ("highlight report", f"/councils/{COUNCIL}/providers/highlight-report/"),
    ("funding tranche", f"/councils/{COUNCIL}/providers/funding/round-2/tranches/1/"),
]
server_errors = []
signed_in = []


class FormFields(HTMLParser):
    """The named fields of the first form with a `text` textarea (action edit form)."""

    def __init__(self):
        super().__init__()
        self.fields, self._textarea, self._select = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields[name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


@events.request.add_listener
def _record_5xx(request_type, name, response, exception, **kwargs):
    if response is not None and getattr(response, "status_code", 0) >= 500:
        server_errors.append(f"{request_type} {name} {response.status_code}")


@events.test_start.add_listener
def _measure_once_everyone_signed_in(environment, **kwargs):
    """Reset the statistics when every user has signed in, then stop MEASURED_SECONDS later."""
    def window():
        expected = environment.parsed_options.num_users
        started = time.monotonic()
        while len(signed_in) < expected:
            gevent.sleep(0.2)
        print(f"{expected} users signed in after {time.monotonic() - started:.1f} s; "
              f"measuring {MEASURED_SECONDS:.0f} s")
        environment.stats.reset_all()
        server_errors.clear()
        gevent.sleep(MEASURED_SECONDS)
        environment.runner.quit()

    gevent.spawn(window)


@events.quitting.add_listener
def _fail_on_5xx(environment, **kwargs):
    if server_errors:
        print(f"{len(server_errors)} server errors, e.g. {server_errors[:3]}")
        environment.process_exit_code = 1


class Officer(HttpUser):
    wait_time = between(*WAIT)

    def on_start(self):
        page = self.client.get("/login/", name="sign-in form")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post("/login/", name="sign in", data={
            "csrfmiddlewaretoken": token, "username": f"{COUNCIL}-officer",
            "password": PASSWORD}, headers={"Referer": self.host + "/login/"})
        area = self.client.get(f"/plans/{PLAN}/areas/safe-discharge/", name="key area")
        self.edit_urls = sorted(set(re.findall(
            rf'href="(/plans/{PLAN}/areas/[\w-]+/actions/\d+/edit/)', area.text)))
        signed_in.append(self)

    @task(9)
    def read(self):
        name, url = random.choice(PAGES)
        self.client.get(url, name=name)

    @task(1)
    def edit_action(self):
        if not self.edit_urls:
            return
        url = random.choice(self.edit_urls)
        form = self.client.get(url, name="action edit form")
        parser = FormFields()
        parser.feed(form.text)
        fields = parser.fields
        if "text" not in fields:
            return
        marker = f"load-{random.getrandbits(48):012x}"
        fields["text"] = re.sub(r" \[load-[0-9a-f]+\]$", "", fields["text"].strip()) + \
            f" [{marker}]"
        with self.client.post(url, data=fields, name="action save", allow_redirects=False,
                              headers={"Referer": self.host + url},
                              catch_response=True) as response:
            if response.status_code in (302, 303):
                with open(WRITES, "a", encoding="utf-8") as file:
                    file.write(marker + "\n")
                response.success()
            elif response.status_code == 409:
                response.success()  # someone saved first: the expected refusal
            else:
                response.failure(f"save answered {response.status_code}")
