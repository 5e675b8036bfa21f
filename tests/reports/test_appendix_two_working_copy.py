"""Appendix two's two copies: the committee's (deadlines as in the seed, no status line) and
a working copy (each action's status; “Complete” instead of a completed action's deadline)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from actions.models import ActionStatus, LocalAction
from reports import documents
from tests.reports.pdftools import pdf_text

pytestmark = pytest.mark.django_db

FLU_ACTION = "ACTION: Collate a list of pharmacies available as a local vaccination venue."
BRIEFINGS = "Send weekly provider briefings"


@pytest.fixture
def fake_renderer(monkeypatch):
    from reports import pdf
    from reports.pdf import PdfResult

    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, **kw: PdfResult(b"%PDF-1.7 x", 1, 0.0))


def page(client, plan, slug="appendix-two", **query) -> str:
    response = client.get(reverse(f"reports:{slug}", args=[plan.slug]), query)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_the_committees_copy_has_no_status_line(sample_pdf):
    text = pdf_text(sample_pdf("appendix-two"))
    assert f"{FLU_ACTION} 16/10/2020" in text
    assert "Status:" not in text


def test_the_committee_reports_appendix_two_has_no_status_line(committee_client, plan):
    body = page(committee_client, plan, "committee-report", status="1")
    assert f"{FLU_ACTION} 16/10/2020" in body
    assert "Status:" not in body


def test_the_working_copy_shows_each_actions_status(committee_client, plan):
    body = page(committee_client, plan, status="1")
    assert f"{FLU_ACTION} 16/10/2020" in body
    assert "Status: In progress" in body
    assert "working copy" in body


def test_a_complete_action_shows_its_deadline_to_the_committee_and_complete_when_working(
    committee_client, plan
):
    action = LocalAction.objects.for_plan(plan).get(text__startswith=BRIEFINGS)
    LocalAction.objects.filter(pk=action.pk).update(status=ActionStatus.COMPLETE)
    committee = page(committee_client, plan)
    assert f"ACTION: {action.text} Ongoing" in committee
    assert "Complete" not in committee
    working = page(committee_client, plan, status="1")
    assert f"ACTION: {action.text} Ongoing" not in working
    assert f"ACTION: {action.text} <span class=\"doc-status doc-status--complete\">Complete" in (
        working)
    assert "Ongoing / Status: Complete" not in working and "Status: Complete" not in working


def test_the_copies_are_cached_apart_and_named_apart(committee_client, plan, fake_renderer):
    document = documents.get("appendix-two")
    committee = documents.build(document, plan)
    working = documents.build(document, plan, options={"status"})
    assert committee.key != working.key
    url = reverse("reports:appendix-two-pdf", args=[plan.slug])
    first = committee_client.get(url)
    assert first["Content-Disposition"] == (
        'attachment; filename="cheshire-east-2020-21-appendix-two.pdf"')
    second = committee_client.get(url, {"status": "1"})
    assert second["X-Document-Cache"] == "miss"
    assert second["Content-Disposition"] == (
        'attachment; filename="cheshire-east-2020-21-appendix-two-working-copy.pdf"')
    assert committee_client.get(url, {"status": "1"})["X-Document-Cache"] == "hit"


def test_an_unknown_option_is_refused(plan):
    with pytest.raises(ValueError):
        documents.build(documents.get("committee-report"), plan, options={"status"})


def test_the_documents_page_links_the_working_copy(committee_client, plan):
    response = committee_client.get(reverse("reports:document-list", args=[plan.slug]),
                                    {"as_at": "14/10/2020"})
    body = response.content.decode()
    link = reverse("reports:appendix-two", args=[plan.slug]) + "?as_at=2020-10-14&amp;status=1"
    assert link in body
    assert "View Appendix two (working copy)" in body


def test_labels_keep_their_capitals(manager_client, plan):
    body = manager_client.get(reverse("reports:document-list", args=[plan.slug])).content.decode()
    assert "View letter to DHSC" in body and "Download letter to DHSC (PDF)" in body
    assert "View committee report" in body and "View Appendix two" in body
    assert "dhsc" not in body.replace("dhsc-letter", "")
    letter = manager_client.get(reverse("reports:dhsc-letter", args=[plan.slug])).content.decode()
    assert "Download letter to DHSC as PDF" in letter


def test_render_document_makes_the_working_copy_on_request(plan, tmp_path):
    committee, working = tmp_path / "committee.html", tmp_path / "working.html"
    call_command("render_document", "appendix-two", "--plan", plan.slug, "-o", str(committee))
    call_command("render_document", "appendix-two", "--plan", plan.slug, "--with-status",
                 "-o", str(working))
    assert "Status:" not in committee.read_text()
    assert "Status: In progress" in working.read_text()
