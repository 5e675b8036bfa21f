"""Rendered PDFs are cached in the database under a hash of the data they show, and an edit
re-renders the documents people download in the background."""

import pytest
from django.db import transaction
from django.urls import reverse

from actions.models import LocalAction
from providers.models import Provider
from providers.services.register import provider_save
from reports import documents, tasks
from reports.models import RenderedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Count the real renders."""
    from reports import pdf

    calls = []
    real = pdf.html_to_pdf

    def counting(html, **kwargs):
        calls.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(pdf, "html_to_pdf", counting)
    return calls


def download(client, plan, slug="dhsc-letter"):
    response = client.get(reverse(f"reports:{slug}-pdf", args=[plan.slug]))
    assert response.status_code == 200
    return response


def test_an_unchanged_document_is_served_from_the_cache(manager_client, plan, renders):
    first = download(manager_client, plan)
    second = download(manager_client, plan)
    assert (first["X-Document-Cache"], second["X-Document-Cache"]) == ("miss", "hit")
    assert first.content == second.content
    assert len(renders) == 1
    row = RenderedDocument.objects.get(document="dhsc-letter")
    assert row.subject == f"actions.localplan:{plan.pk}" and row.as_at is None
    assert bytes(row.content) == first.content and row.pages >= 1


def test_a_change_in_the_data_shown_changes_the_key(plan):
    letter = documents.get("dhsc-letter")
    before = documents.build(letter, plan).key
    assert documents.build(letter, plan).key == before
    red = Provider.objects.filter(council=plan.council, risk_rating="red").first()
    provider_save(provider=red, data={"risk_rating": "green"})  # as the register's edit does
    assert documents.build(letter, plan).key != before


def test_an_edit_rerenders_downloaded_documents_in_the_background(
    manager_client, plan, renders, django_capture_on_commit_callbacks
):
    download(manager_client, plan)  # the letter has been downloaded once
    assert len(renders) == 1

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        provider = Provider.objects.filter(council=plan.council, risk_rating="green").first()
        provider_save(provider=provider, data={"risk_rating": "red"})

    assert len(callbacks) == 1
    assert len(renders) == 2  # re-rendered by the task, before anyone asked
    assert download(manager_client, plan)["X-Document-Cache"] == "hit"
    # Documents nobody downloaded are left until someone does.
    assert not RenderedDocument.objects.filter(document="appendix-two").exists()


def test_one_refresh_is_queued_per_plan_per_transaction(
    plan, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []

    class Recorder:
        def enqueue(self, plan_id):
            queued.append(plan_id)

    monkeypatch.setattr(tasks, "documents_refresh", Recorder())
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for action in LocalAction.objects.for_plan(plan)[:3]:
            action.status = "complete"
            action.save()
        plan.title = plan.title + " (revised)"
        plan.save()
    assert queued == [plan.pk]


def test_the_task_skips_documents_never_downloaded(plan, renders):
    assert tasks.documents_refresh.call(plan.pk) == []
    assert renders == []
