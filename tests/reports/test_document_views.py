"""The documents pages: who sees what, links, query budgets, PDF downloads."""

import pytest
from django.urls import reverse

from actions.models import LocalAction, LocalKeyArea
from reports.pdf import PdfResult
from tests.reports.factories import LocalActionFactory

pytestmark = pytest.mark.django_db

#: The most queries each page may make, whatever the plan's size (session, user, role, plan,
#: plan switcher, then the document's own reads, its data version and the page cache's write).
BUDGETS = {"appendix-two": 27, "committee-report": 30, "dhsc-letter": 34}
#: The same page when nothing changed: its body comes from the cache by the data version.
CACHED_BUDGETS = {"appendix-two": 10, "committee-report": 10, "dhsc-letter": 12}


@pytest.fixture
def fake_renderer(monkeypatch):
    """A stand-in for WeasyPrint where only the response matters."""
    from reports import pdf

    def fake(html, **kwargs):
        return PdfResult(b"%PDF-1.7 fake", 1, 0.0)

    monkeypatch.setattr(pdf, "html_to_pdf", fake)


def test_a_committee_member_sees_the_report_and_appendix_but_not_the_letter(
    committee_client, plan
):
    response = committee_client.get(reverse("reports:document-list", args=[plan.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("reports:appendix-two", args=[plan.slug]) in page
    assert reverse("reports:committee-report-pdf", args=[plan.slug]) in page
    assert reverse("reports:dhsc-letter", args=[plan.slug]) not in page
    assert "Letter: <strong class=\"wpt-status\">not drafted yet" in page
    assert "Edit the committee report" not in page


def test_a_manager_sees_every_document_and_the_letter_workflow(manager_client, plan):
    page = manager_client.get(reverse("reports:document-list", args=[plan.slug])).content
    page = page.decode()
    assert reverse("reports:dhsc-letter-pdf", args=[plan.slug]) in page
    assert reverse("reports:letter-edit", args=[plan.slug]) in page


def test_the_list_carries_an_as_at_date_into_every_link(officer_client, plan):
    url = reverse("reports:document-list", args=[plan.slug])
    page = officer_client.get(f"{url}?as_at=01/11/2020").content.decode()
    assert f'{reverse("reports:appendix-two-pdf", args=[plan.slug])}?as_at=2020-11-01' in page
    assert officer_client.get(f"{url}?as_at=soon").status_code == 400


@pytest.mark.parametrize("slug", BUDGETS)
def test_document_pages_stay_within_their_query_budget_whatever_the_plan_size(
    manager_client, plan, slug, django_assert_max_num_queries
):
    url = reverse(f"reports:{slug}", args=[plan.slug])
    with django_assert_max_num_queries(BUDGETS[slug]):
        response = manager_client.get(url)
    assert response.status_code == 200
    assert "MISSING[" not in response.content.decode()

    area = LocalKeyArea.objects.get(local_plan=plan, key_area__slug="funding")
    team = LocalAction.objects.for_plan(plan).first().team
    LocalActionFactory.create_batch(30, local_key_area=area, team=team)
    with django_assert_max_num_queries(BUDGETS[slug]):
        assert manager_client.get(url).status_code == 200


@pytest.mark.parametrize("slug", ["appendix-two", "committee-report"])
def test_a_committee_member_downloads_the_report_and_appendix(
    committee_client, plan, slug, fake_renderer
):
    response = committee_client.get(reverse(f"reports:{slug}-pdf", args=[plan.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="cheshire-east-2020-21-{slug}.pdf"')


@pytest.mark.parametrize("name", ["document-list", "appendix-two", "appendix-two-pdf",
                                  "committee-report", "committee-report-pdf", "report-edit"])
def test_another_councils_plan_is_not_found(halton_officer_client, plan, name):
    url = reverse(f"reports:{name}", args=[plan.slug])
    assert halton_officer_client.get(url).status_code == 404


def test_a_failed_render_is_reported_not_served(officer_client, plan, monkeypatch):
    from reports import pdf

    def timeout(html, **kwargs):
        raise pdf.RenderTimeout("the render took longer than 60 seconds")

    monkeypatch.setattr(pdf, "html_to_pdf", timeout)
    monkeypatch.setattr(pdf, "sections_to_pdf", timeout)
    response = officer_client.get(reverse("reports:appendix-two-pdf", args=[plan.slug]))
    assert response.status_code == 503
    assert "took longer than 60 seconds" in response.content.decode()
