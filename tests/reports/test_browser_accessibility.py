"""The documents' pages in a real browser pass axe-core (WCAG 2.2 AA), including the letter's
workflow from draft to sent. The browser fixtures come from tests/browser_support.py."""

import pytest
from playwright.sync_api import expect

from tests.browser_support import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DOCUMENTS = "/plans/cheshire-east-2020-21/documents"


def test_a_manager_reads_edits_and_sends_the_documents(site, new_page):
    page = new_page()
    sign_in(page, site, "manager")
    for path in ("/", "/appendix-two/", "/committee-report/", "/committee-report/edit/",
                 "/committee-report/edit/sections/background/", "/committee-report/edit/details/",
                 "/committee-report/edit/appendix-one/", "/appendix-two/?as_at=01/01/2019"):
        page.goto(f"{site}{DOCUMENTS}{path}")
        assert_accessible(page)

    page.goto(f"{site}{DOCUMENTS}/dhsc-letter/")
    assert_accessible(page)
    page.get_by_role("link", name="Draft the letter").click()
    assert_accessible(page)
    page.get_by_label("Key issues").fill("Care at home capacity is fragile.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Care at home capacity is fragile.")).to_be_visible()
    page.get_by_role("link", name="Approve the letter").click()
    assert_accessible(page)
    page.get_by_role("button", name="Approve the letter").click()
    expect(page.get_by_text("Letter approved.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record that the letter was sent").click()
    page.get_by_label("Date the letter was sent").fill("01/01/2000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_being_prepared_page_passes_axe_and_downloads_once_the_pdf_is_ready(
        site, new_page, settings, width):
    """While another process renders the letter, a download gets “being prepared” (202);
    its script asks again every few seconds and starts the download once the PDF is there."""
    import datetime

    from django.utils import timezone

    from actions.models import LocalPlan
    from reports import documents
    from reports.models import RenderLease

    settings.REPORTS_PREPARING_WAIT_SECONDS = 0.3
    plan = LocalPlan.objects.get(slug="cheshire-east-2020-21")
    letter = documents.get("dhsc-letter")
    built = documents.build(letter, plan)
    lease = RenderLease.objects.create(
        document=built.slug, subject=letter.subject_ref(built.subject), key=built.key,
        expires_at=timezone.now() + datetime.timedelta(minutes=5))

    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, site, "manager")
    page.goto(f"{site}{DOCUMENTS}/dhsc-letter.pdf")
    expect(page.get_by_role("heading", level=1)).to_contain_text("is being prepared")
    expect(page.get_by_role("link", name="Download when ready")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    lease.delete()  # the other render finished without storing: the next try renders it
    with page.expect_download(timeout=30_000) as download:
        pass
    assert download.value.suggested_filename.endswith("dhsc-letter.pdf")
