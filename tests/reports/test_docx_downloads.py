"""Word downloads: beside the PDF links, with the PDF's permissions and `as_at`; an approved
letter's .docx frozen with its PDF; `render_document -o FILE.docx`."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import LocalAction
from providers.models import Provider
from reports.docx import CONTENT_TYPE
from reports.models import DhscLetter
from tests.reports.docxtools import docx_text, open_docx
from tests.reports.test_dhsc_letter import approve, review_plans_of
from winterplan.models import User

pytestmark = pytest.mark.django_db


def url(name, plan, query=""):
    return reverse(f"reports:{name}", args=[plan.slug]) + query


def word(client, name, plan, query="") -> bytes:
    response = client.get(url(name, plan, query))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="')
    return response.content


def test_a_committee_member_downloads_the_report_and_appendix_two_as_word(committee_client,
                                                                           plan):
    response = committee_client.get(url("committee-report-docx", plan))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="cheshire-east-2020-21-committee-report.docx"')
    assert "Appendix two – Cheshire East Council" in docx_text(response.content)
    content = word(committee_client, "appendix-two-docx", plan)
    assert open_docx(content).core_properties.title.startswith("Appendix two: ")


def test_the_letter_follows_the_pdfs_rules(plan):
    for username in ("committee", "officer", "manager", "admin", "regional", "national",
                     "halton-officer"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        pdf = client.get(url("dhsc-letter-pdf", plan)).status_code
        docx = client.get(url("dhsc-letter-docx", plan)).status_code
        assert docx == pdf, username
        assert docx == (200 if username in ("manager", "admin", "regional", "national")
                        else 404 if username == "halton-officer" else 403), username


def test_anonymous_visitors_are_sent_to_sign_in(client, plan):
    response = client.get(url("committee-report-docx", plan))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_as_at_rebuilds_it_and_names_the_file(committee_client, plan):
    response = committee_client.get(url("appendix-two-docx", plan, "?as_at=31/10/2020"))
    assert response.status_code == 200
    assert 'appendix-two-as-at-2020-10-31.docx"' in response["Content-Disposition"]
    assert "Cheshire East Council · as at 31/10/2020" in docx_text(response.content)
    assert open_docx(response.content).core_properties.comments.startswith(
        "As at 31/10/2020, rebuilt from the change history")
    bad = committee_client.get(url("appendix-two-docx", plan, "?as_at=31/13/2020"))
    assert bad.status_code == 400
    early = committee_client.get(url("appendix-two-docx", plan, "?as_at=01/01/2019"))
    assert early.status_code == 400 and b"can be shown as at" in early.content


def test_the_working_copy_shows_each_actions_status(committee_client, plan):
    response = committee_client.get(url("appendix-two-docx", plan, "?status=1"))
    assert 'appendix-two-working-copy.docx"' in response["Content-Disposition"]
    text = docx_text(response.content)
    assert "working copy: each action’s status is shown" in text
    assert "Status: In progress" in text


def test_the_word_links_sit_beside_the_pdf_links(committee_client, manager_client, plan):
    page = committee_client.get(url("document-list", plan, "?as_at=31/10/2020")).content.decode()
    for name in ("appendix-two", "committee-report"):
        assert f'href="{url(name + "-docx", plan)}?as_at=2020-10-31" download' in page
    assert f'href="{url("appendix-two-docx", plan)}?as_at=2020-10-31&amp;status=1"' in page
    assert "dhsc-letter.docx" not in page  # as the PDF: not for a committee member
    assert "Download committee report as Word (.docx)" in page
    report = committee_client.get(url("committee-report", plan)).content.decode()
    assert f'href="{url("committee-report-docx", plan)}" download' in report
    letter = manager_client.get(url("dhsc-letter", plan)).content.decode()
    assert "Download letter to DHSC as Word (.docx)" in letter


def test_an_approved_letters_word_file_is_frozen_with_its_pdf(manager_client, plan):
    assert approve(manager_client, plan).status_code == 302
    letter = DhscLetter.objects.get(local_plan=plan)
    stored = bytes(letter.approved_docx)
    assert hashlib.sha256(stored).hexdigest() == letter.approved_docx_sha256
    text = docx_text(stored)
    assert "Draft" not in text and "Date: 30/10/2020" in text
    approved_at = letter.approved_at.astimezone(datetime.UTC).replace(tzinfo=None, microsecond=0)
    assert open_docx(stored).core_properties.created.replace(tzinfo=None) == approved_at
    first = word(manager_client, "dhsc-letter-docx", plan)
    assert first == stored

    action = LocalAction.objects.for_plan(plan).get(text__startswith="Collate a list of pharmacies")
    action.deadline = datetime.date(2020, 10, 1)
    action.save()
    Provider.objects.filter(council=plan.council).update(risk_rating="red")
    review_plans_of(Provider.objects.filter(council=plan.council)[:5])

    assert word(manager_client, "dhsc-letter-docx", plan) == stored
    # As at a past date the letter is rebuilt from history, as its PDF is.
    rebuilt = word(manager_client, "dhsc-letter-docx", plan, "?as_at=14/10/2020")
    assert rebuilt != stored


def test_nobody_can_change_the_stored_word_file(manager_client, admin_client, plan):
    approve(manager_client, plan)
    letter = DhscLetter.objects.get(local_plan=plan)
    change = reverse("admin:reports_dhscletter_change", args=[letter.pk])
    page = admin_client.get(change).content.decode()
    assert letter.approved_docx_sha256 in page  # shown read-only, the file itself not at all
    assert 'name="approved_docx"' not in page and 'name="_save"' not in page
    letter.approved_docx = b"rewritten"
    with pytest.raises(ValidationError, match="approved_docx"):
        letter.save()
    assert "approved_docx" not in {
        field.attname for field in DhscLetter.history.model._meta.concrete_fields}


def test_a_letter_approved_before_word_copies_were_kept_offers_its_pdf(manager_client, plan):
    letter = DhscLetter.objects.create(local_plan=plan, reference="ASC/2020/17")
    letter.state, letter.approved_at, letter.dated = "approved", timezone.now(), plan.as_at
    letter.approved_pdf = b"%PDF-1.7 approved"
    letter.save()
    response = manager_client.get(url("dhsc-letter-docx", plan))
    assert response.status_code == 404
    page = response.content.decode()
    assert "approved before Word copies were kept" in page
    assert url("dhsc-letter-pdf", plan) in page


def test_render_document_writes_word_when_the_file_ends_in_docx(plan, tmp_path, capsys):
    path = tmp_path / "report.docx"
    call_command("render_document", "committee-report", "--plan", plan.slug, "-o", str(path))
    assert "(Word," in capsys.readouterr().out
    document = open_docx(path.read_bytes())
    assert document.core_properties.language == "en-GB"
    assert document.paragraphs[0].text == "Cheshire East Council"
    path = tmp_path / "appendix.docx"
    call_command("render_document", "appendix-two", "--plan", plan.slug, "--with-status",
                 "--as-at", "2020-10-31", "-o", str(path))
    assert "Status: " in docx_text(path.read_bytes())
