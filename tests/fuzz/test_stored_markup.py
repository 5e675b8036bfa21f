"""Markup typed into every free-text field is stored as text and shown escaped everywhere
it appears: the page a save leads to and the pages and documents that show that data."""

import re

import pytest
from django.db import transaction

from tests.fuzz.support import assert_escaped
from tests.fuzz.test_forms import BASE, PLAN, _client, _form, _prepare, _targets

pytestmark = pytest.mark.django_db

CE = "/councils/cheshire-east/providers"
PAYLOAD = "<script>fuzz()</script><b data-fuzz>bold</b>"
SHOWN = "&lt;script&gt;fuzz()"
#: Fields that hold a date, number, address or code, not free text.
NOT_FREE_TEXT = re.compile(r"date|dated|_on$|deadline|email|slug|code|_id$|links|password|"
                           r"username|days|cases|beds|threshold|telephone|website|spent|"
                           r"returned|amount|as_at|due$|people_supported")
#: A formset's blank extra row would become a new rule: type into a saved rule's name only.
ONLY = {"escalation-rules": ["form-0-name"]}
#: Text kept but shown on no page (a return's overview and issues, spending notes).
SHOWN_NOWHERE = {"return-create", "return-home", "icf-spending"}
#: Where each target's data is shown besides the page its save leads to.
SHOWN_ON = {
    "action-create": [f"{PLAN}/actions/", f"{PLAN}/documents/appendix-two/"],
    "action-edit": [f"{PLAN}/actions/", f"{PLAN}/documents/appendix-two/"],
    "key-area-edit": [f"{PLAN}/documents/appendix-two/"],
    "commentary-create": [f"{PLAN}/documents/appendix-two/"],
    "commentary-edit": [f"{PLAN}/documents/appendix-two/"],
    "provider-create": [f"{CE}/", f"{CE}/risk-log/"],
    "provider-edit": [f"{CE}/", f"{CE}/risk-log/", f"{CE}/highlight-report/"],
    "bcp-edit": [],
    "return-create": [f"{CE}/highlight-report/"],
    "return-home": [f"{CE}/returns/", f"{CE}/highlight-report/"],
    "icf-spending": [],
    "report-details": [f"{PLAN}/documents/committee-report/"],
    "report-appendix-one": [f"{PLAN}/documents/committee-report/"],
    "report-section": [f"{PLAN}/documents/committee-report/"],
    "letter-edit": [f"{PLAN}/documents/dhsc-letter/"],
    "council-create": ["/councils/"],
    "escalation-rules": ["/councils/halton/providers/risk-log/"],
}


@pytest.mark.parametrize("name", sorted(SHOWN_ON))
def test_markup_typed_into_free_text_is_shown_as_text(name):
    username, page, action = _targets()[name]
    client = _client(username)
    _prepare(name, client)
    form, url = _form(client, page, action)
    base = {} if name in ONLY else form.chosen() | BASE.get(name, {})
    free = ONLY.get(name) or [field for field in sorted(form.texts - form.hidden)
                              if not NOT_FREE_TEXT.search(field)]
    typed = {field: f"{PAYLOAD} {number}" for number, field in enumerate(free)}
    assert typed, name
    with transaction.atomic():
        response = client.post(url, form.data(typed, None, base))
        assert response.status_code == 302, (name, typed, response.content.decode()[:3000])
        pages = [client.get(response["Location"])]
        pages += [client.get(path) for path in SHOWN_ON[name]]
        for shown in pages:
            assert shown.status_code == 200
            assert_escaped(shown)
        if name not in SHOWN_NOWHERE:
            assert any(SHOWN in shown.content.decode() for shown in pages), name
        transaction.set_rollback(True)
