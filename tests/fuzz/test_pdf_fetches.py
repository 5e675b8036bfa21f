"""No hostile text or link in a plan makes a PDF fetch a file or reach the network.

Hostile text goes into every part of a small plan that its Appendix two prints (action,
commentary, narrative) and hostile URLs into its links, stored directly as old or imported
rows could be (past the form's validators). The render may fetch our print stylesheet and
nothing else, embeds no attachment, and its links never point at `javascript:` or `file:`.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.models import ActionLink, CommentaryLink, LocalAction, RequirementLink
from reports import documents
from reports.pdf import html_to_pdf
from tests.fuzz.support import FEW, MARKUP, URLS
from tests.reports.factories import tiny_plan
from tests.reports.pdftools import link_uris, pdf_text, reader

pytestmark = pytest.mark.django_db

# A NUL byte never reaches a stored row: the forms refuse it (tests/fuzz/test_forms.py) and
# PostgreSQL text cannot hold one, so text stored directly here leaves it out.
HOSTILE = [text for text in MARKUP + URLS if "\x00" not in text] + [
                           '<style>@import "file:///etc/passwd";</style>',
                           '<object data="file:///etc/passwd"></object>',
                           '<iframe src="http://127.0.0.1:9/"></iframe>',
                           "url(file:///etc/passwd)"]


@settings(FEW, max_examples=6)
@given(text=st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=4).map("".join),
       url=st.sampled_from([url for url in URLS if "\x00" not in url]))
def test_a_hostile_plan_renders_a_pdf_that_fetches_nothing_but_our_stylesheet(text, url):
    plan = tiny_plan(commentary=text)
    area = plan.key_areas.get()
    area.narrative = text
    area.save()
    action = LocalAction.objects.get(local_key_area=area)
    LocalAction.objects.filter(pk=action.pk).update(text=text)
    # bulk_create skips the validators, as a row written before them would have.
    ActionLink.objects.bulk_create([ActionLink(action=action, title=text, url=url)])
    CommentaryLink.objects.bulk_create(
        [CommentaryLink(commentary=area.commentary.get(), title=text, url=url)])
    RequirementLink.objects.bulk_create(
        [RequirementLink(requirement=area.key_area.requirements.get(), title=text, url=url)])

    result = html_to_pdf(documents.render_html(documents.build(documents.get("appendix-two"),
                                                               plan)))

    assert all(served and fetched.endswith("/reports/print.css")
               for fetched, served in result.fetched), result.fetched
    assert not reader(result.content).attachments
    assert "root:" not in pdf_text(result.content)
    assert not {uri for uri in link_uris(result.content)
                if uri.strip().lower().startswith(("javascript:", "file:", "data:"))}
