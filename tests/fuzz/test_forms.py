"""Every form, fuzzed as a browser submits it: hostile text typed over any of its fields.

Each target is a page and the POST form on it (picked by its action). The fuzzer reads the
form from the page (so its version, management form and choices are the real ones), types
hostile values over some fields, posts it and follows a redirect. Never a 500, and neither
the answer nor the page it leads to shows the input as markup. Each example is rolled back.
"""

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.models import Commentary, LocalAction, LocalKeyArea
from providers.models import RETURNING_TYPES, IcfTranche, Provider
from tests.fuzz.support import FEW, assert_escaped, hostile_text, page_forms, storable_text
from winterplan.models import User

pytestmark = pytest.mark.django_db

PLAN = "/plans/cheshire-east-2020-21"
CE = "/councils/cheshire-east/providers"


def _targets() -> dict[str, tuple[str, str, str]]:
    """name -> (username, page, the form's action path or "" for the page itself)."""
    area = (LocalKeyArea.objects.filter(local_plan__slug="cheshire-east-2020-21",
                                        actions__isnull=False, commentary__isnull=False,
                                        key_area__requirements__isnull=False)
            .select_related("key_area").order_by("pk").first())
    area_url = f"{PLAN}/areas/{area.key_area.slug}"
    action = LocalAction.objects.filter(local_key_area=area).order_by("position").first()
    commentary = Commentary.objects.filter(local_key_area=area).order_by("pk").first()
    provider = Provider.objects.filter(council__slug="cheshire-east").order_by("pk").first()
    home = Provider.objects.filter(council__slug="cheshire-east",
                                   provider_type__in=RETURNING_TYPES).order_by("pk").first()
    tranche = (IcfTranche.objects.filter(round__council__slug="cheshire-east")
               .select_related("round").order_by("pk").first())
    tranche_url = f"{CE}/funding/{tranche.round.slug}/tranches/{tranche.number}/"
    committee = User.objects.get(username="committee")
    return {
        "action-create": ("officer", f"{area_url}/actions/new/", ""),
        "action-edit": ("officer", f"{area_url}/actions/{action.pk}/edit/", ""),
        "key-area-edit": ("officer", f"{area_url}/edit/", ""),
        "commentary-create": ("officer", f"{area_url}/commentary/new/", ""),
        "commentary-edit": ("officer", f"{area_url}/commentary/{commentary.pk}/edit/", ""),
        "assessment": ("officer", f"{area_url}/", "/assessment/"),
        "action-complete": ("officer", f"{area_url}/", f"/actions/{action.pk}/complete/"),
        "provider-create": ("officer", f"{CE}/new/", ""),
        "provider-edit": ("officer", f"{CE}/{provider.pk}/edit/", ""),
        "bcp-edit": ("officer", f"{CE}/{home.pk}/continuity-plan/", ""),
        "return-create": ("officer", f"{CE}/{home.pk}/returns/new/", ""),
        "return-home": ("officer", f"{CE}/returns/{home.pk}/", ""),
        "returns-day": ("officer", f"{CE}/returns/", ""),
        "risk-log": ("officer", f"{CE}/risk-log/", ""),
        "escalation-rules": ("halton-manager",
                             "/councils/halton/providers/escalation-rules/", ""),
        "icf-allocate": ("officer", tranche_url, "/allocate/"),
        "icf-payment": ("officer", tranche_url.replace("/tranches/1/", "/tranches/2/"), ""),
        "icf-spending": ("officer", f"{CE}/funding/{tranche.round.slug}/spending/", ""),
        "report-details": ("officer", f"{PLAN}/documents/committee-report/edit/details/", ""),
        "report-appendix-one": ("officer",
                                f"{PLAN}/documents/committee-report/edit/appendix-one/", ""),
        "report-section": ("officer",
                           f"{PLAN}/documents/committee-report/edit/sections/summary/", ""),
        "letter-edit": ("manager", f"{PLAN}/documents/dhsc-letter/edit/", ""),
        "letter-approve": ("manager", f"{PLAN}/documents/dhsc-letter/approve/", ""),
        "letter-sent": ("manager", f"{PLAN}/documents/dhsc-letter/sent/", ""),
        "invitation-create": ("manager", "/councils/cheshire-east/people/invite/", ""),
        "person-edit": ("manager", f"/councils/cheshire-east/people/{committee.pk}/", ""),
        "council-create": ("admin", "/councils/new/", ""),
        "account": ("officer", "/account/", ""),
        "password-change": ("officer", "/password/", ""),
        "password-reset": (None, "/password/reset/", ""),
        "login": (None, "/login/", ""),
    }


NAMES = ["action-create", "action-edit", "key-area-edit", "commentary-create",
         "commentary-edit", "assessment", "action-complete", "provider-create",
         "provider-edit", "bcp-edit", "return-create", "return-home", "returns-day",
         "risk-log", "escalation-rules", "icf-allocate", "icf-payment", "icf-spending",
         "report-details", "report-appendix-one", "report-section", "letter-edit",
         "letter-approve", "letter-sent", "invitation-create", "person-edit",
         "council-create", "account", "password-change", "password-reset", "login"]


#: Valid values for forms the page offers empty, so hostile values typed over some fields
#: also reach the save and the page that shows what was saved.
BASE = {
    "action-create": {"text": "Fuzz", "status": "not_started", "deadline_type": "ongoing"},
    "commentary-create": {"text": "Fuzz"},
    "commentary-edit": {},
    "provider-create": {"name": "Fuzz Care", "registered_beds": "10",
                        "cqc_location_id": "1-999999999"},
    "council-create": {"name": "Fuzz Council", "slug": "fuzz", "gss_code": "E06999999",
                       "region": "1", "dass_name": "Fuzz", "address": "1 Fuzz Street"},
    "invitation-create": {"email": "fuzz@example.org", "role": "officer"},
    "letter-sent": {"sent_on": "15/10/2020"},
    "icf-spending": {"spent": "1", "returned": "0", "submitted_on": "14/10/2020"},
}
#: An approval renders the letter's PDF (seconds): fewer examples.
EXAMPLES = {"letter-approve": 8}


def _client(username) -> Client:
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def _form(client, page, action):
    """The page's POST form whose action path ends with `action` (the page itself if "")."""
    response = client.get(page)
    assert response.status_code == 200, page
    here = page.split("?")[0]
    for form in page_forms(response.content.decode()):
        url = form.action or page
        url = here + url if url.startswith("?") else url
        path = url.split("?")[0]
        if (path.endswith(action) if action else path == here):
            return form, url
    raise AssertionError(f"no form posting to …{action} on {page}")


def _prepare(name: str, client) -> None:
    """Bring the data to where the target's form is offered (rolled back with the test)."""
    if name == "icf-payment":
        page = _targets()[name][1]
        form, url = _form(client, page, "/allocate/")
        assert client.post(url, form.data({})).status_code == 302
    letter = f"{PLAN}/documents/dhsc-letter/edit/"
    if name in ("letter-approve", "letter-sent"):
        form, url = _form(client, letter, "")
        assert client.post(url, form.data({})).status_code == 302
    if name == "letter-sent":
        form, url = _form(client, f"{PLAN}/documents/dhsc-letter/approve/", "")
        assert client.post(url, form.data({})).status_code == 302


def test_the_targets_name_every_target():
    assert set(NAMES) == set(_targets())


@pytest.mark.parametrize("name", NAMES)
def test_no_form_answers_500_or_renders_its_input(name):
    username, page, action = _targets()[name]
    client = _client(username)
    _prepare(name, client)
    form, url = _form(client, page, action)
    visible, hidden = form.names, sorted(form.hidden)
    base = form.chosen() | BASE.get(name, {})
    assert visible or hidden, name

    texts = sorted(form.texts - form.hidden) or visible or hidden

    @settings(FEW, max_examples=EXAMPLES.get(name, FEW.max_examples))
    @given(typed=st.one_of(
               st.dictionaries(st.sampled_from(visible or hidden), hostile_text(),
                               min_size=1, max_size=4),
               st.dictionaries(st.sampled_from(texts), storable_text(), min_size=1)),
           tampered=st.dictionaries(st.sampled_from(hidden or visible), hostile_text(),
                                    max_size=1) if hidden else st.just({}),
           button=st.sampled_from([None, *form.buttons]))
    def post(typed, tampered, button):
        with transaction.atomic():
            response = client.post(url, form.data({**typed, **tampered}, button, base))
            assert response.status_code < 500
            assert_escaped(response)
            if response.status_code == 302 and response["Location"].startswith("/"):
                shown = client.get(response["Location"])
                assert shown.status_code < 500
                assert_escaped(shown)
            transaction.set_rollback(True)

    post()
