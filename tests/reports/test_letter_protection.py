"""An approved letter is frozen against everyone, the admin and the shell included: it cannot
be reverted to a draft, changed or deleted, nor lose its PDF with its plan."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from actions.models import LocalPlan
from reports.models import DhscLetter

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7 the letter exactly as approved"


@pytest.fixture
def approved_letter(plan):
    letter = DhscLetter.objects.create(local_plan=plan, reference="ASC/2020/17",
                                       key_issues="Staffing")
    letter.state = DhscLetter.State.APPROVED
    letter.approved_at = timezone.now()
    letter.dated = plan.as_at
    letter.approved_pdf = PDF
    letter.approved_pdf_sha256 = hashlib.sha256(PDF).hexdigest()
    letter.approved_html = "<p>Approved</p>"
    letter.save()
    return letter


def _still_approved(letter):
    letter.refresh_from_db()
    assert letter.state == DhscLetter.State.APPROVED
    assert bytes(letter.approved_pdf) == PDF
    assert letter.key_issues == "Staffing"


def test_the_admin_cannot_revert_an_approved_letter_to_its_draft_history(
    admin_client, approved_letter,
):
    draft = approved_letter.history.filter(state="draft").get()
    url = reverse("admin:reports_dhscletter_simple_history",
                  args=[approved_letter.pk, draft.history_id])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # no Revert button
    response = admin_client.post(url, {"reference": "ASC/2020/17", "key_issues": "Staffing",
                                       "local_plan": approved_letter.local_plan_id})
    assert response.status_code == 403
    _still_approved(approved_letter)


def test_the_admin_shows_an_approved_letter_read_only_and_cannot_delete_it(
    admin_client, approved_letter,
):
    change = reverse("admin:reports_dhscletter_change", args=[approved_letter.pk])
    page = admin_client.get(change).content.decode()
    assert 'name="_save"' not in page and "deletelink" not in page
    assert admin_client.post(change, {"reference": "Edited", "key_issues": ""}).status_code == 403
    delete = reverse("admin:reports_dhscletter_delete", args=[approved_letter.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:reports_dhscletter_changelist")
    admin_client.post(changelist, {"action": "delete_selected", "post": "yes",
                                   "_selected_action": [approved_letter.pk]})
    _still_approved(approved_letter)


def test_the_plan_of_an_approved_letter_cannot_be_deleted(admin_client, approved_letter):
    plan = approved_letter.local_plan
    delete = reverse("admin:actions_localplan_delete", args=[plan.pk])
    page = admin_client.get(delete).content.decode()
    assert "<h1>Cannot delete local plan</h1>" in page and "DHSC confirmation letter" in page
    admin_client.post(delete, {"post": "yes"})
    assert LocalPlan.objects.filter(pk=plan.pk).exists()
    with pytest.raises(ProtectedError):
        plan.delete()
    _still_approved(approved_letter)


def test_the_shell_cannot_return_it_to_a_draft_change_it_or_delete_it(approved_letter):
    letter = DhscLetter.objects.get(pk=approved_letter.pk)
    letter.state, letter.approved_at = DhscLetter.State.DRAFT, None
    with pytest.raises(ValidationError, match="cannot be changed"):
        letter.save()
    letter = DhscLetter.objects.get(pk=approved_letter.pk)
    letter.key_issues = "Rewritten after approval"
    with pytest.raises(ValidationError, match="key_issues"):
        letter.save()
    with pytest.raises(ProtectedError):
        letter.delete()
    with pytest.raises(ProtectedError):
        DhscLetter.objects.filter(pk=letter.pk).delete()
    _still_approved(approved_letter)


def test_it_still_moves_forward_to_sent(approved_letter):
    approved_letter.state = DhscLetter.State.SENT
    approved_letter.sent_on = timezone.localdate()
    approved_letter.save()
    approved_letter.refresh_from_db()
    assert approved_letter.state == DhscLetter.State.SENT


def test_a_draft_letter_goes_with_its_plan(plan):
    DhscLetter.objects.create(local_plan=plan, reference="ASC/2020/17")
    DhscLetter.objects.filter(local_plan=plan).delete()
    assert not DhscLetter.objects.filter(local_plan=plan).exists()
