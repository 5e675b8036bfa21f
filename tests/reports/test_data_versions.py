"""A cached document is found by its councils' data version (winterplan.versions), raised in
the same transaction as every change to what it shows: no data is read to serve it."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from actions.models import KeyArea, LocalAction, LocalKeyArea
from providers.models import Provider, ProviderRisk
from providers.services.returns_import import REQUIRED_COLUMNS, daily_returns_import
from reports import services
from reports.models import RenderedDocument
from reports.selectors import letter
from tests.reports.factories import LocalActionFactory
from tests.reports.pdftools import pdf_text
from winterplan import versions
from winterplan.models import Council, User

pytestmark = pytest.mark.django_db

#: A cached download: session, user, plan and workspace, the data version, the render.
CACHED_DOWNLOAD_QUERIES = 9


@pytest.fixture
def renders(monkeypatch):
    """Count the real renders (whole documents and sectioned ones)."""
    from reports import pdf

    calls = []
    whole, sections = pdf.html_to_pdf, pdf.sections_to_pdf

    def counting_whole(html, **kwargs):
        calls.append("whole")
        return whole(html, **kwargs)

    def counting_sections(parts, **kwargs):
        calls.append("sections")
        return sections(parts, **kwargs)

    monkeypatch.setattr(pdf, "html_to_pdf", counting_whole)
    monkeypatch.setattr(pdf, "sections_to_pdf", counting_sections)
    return calls


def download(client, plan, slug="dhsc-letter", query=""):
    response = client.get(reverse(f"reports:{slug}-pdf", args=[plan.slug]) + query)
    assert response.status_code == 200, response.content[:500]
    return response


def test_a_cached_download_reads_no_data_and_costs_the_same_whatever_the_plan_size(
    manager_client, plan, renders, django_assert_max_num_queries
):
    assert download(manager_client, plan, "appendix-two")["X-Document-Cache"] == "miss"
    with django_assert_max_num_queries(CACHED_DOWNLOAD_QUERIES) as queries:
        hit = download(manager_client, plan, "appendix-two")
    assert hit["X-Document-Cache"] == "hit"
    assert not any("actions_localaction" in q["sql"] for q in queries.captured_queries)

    area = LocalKeyArea.objects.get(local_plan=plan, key_area__slug="funding")
    team = LocalAction.objects.for_plan(plan).first().team
    LocalActionFactory.create_batch(30, local_key_area=area, team=team)  # bumps the version
    assert download(manager_client, plan, "appendix-two")["X-Document-Cache"] == "miss"
    with django_assert_max_num_queries(CACHED_DOWNLOAD_QUERIES):
        assert download(manager_client, plan, "appendix-two")["X-Document-Cache"] == "hit"
    assert renders == ["sections", "sections"]


def test_a_service_edit_moves_the_version_and_the_next_download_shows_it(
    manager_client, plan, renders
):
    download(manager_client, plan)
    before = versions.current(plan.council_id)
    services.letter_update(
        plan=plan, user=User.objects.get(username="manager"),
        data={"reference": "WP/2020/77", "key_issues": "Seventy-seven beds short",
              "dated": None},
        expected_version=letter(plan).version)
    assert versions.current(plan.council_id) > before
    response = download(manager_client, plan)
    assert response["X-Document-Cache"] == "miss"
    assert "Seventy-seven beds short" in pdf_text(response.content)
    assert download(manager_client, plan)["X-Document-Cache"] == "hit"


def test_unchanged_data_after_a_bump_is_found_by_its_data_hash_and_not_laid_out_again(
    manager_client, plan, renders
):
    download(manager_client, plan)
    versions.bump([plan.council_id], versions.BOTH)  # e.g. a change it does not print
    assert download(manager_client, plan)["X-Document-Cache"] == "hit"
    assert download(manager_client, plan)["X-Document-Cache"] == "hit"
    assert renders == ["whole"]
    assert RenderedDocument.objects.count() == 1


def _returns_file(*rows) -> bytes:
    header = ",".join(REQUIRED_COLUMNS)
    lines = []
    for cqc_id, values in rows:
        cells = dict.fromkeys(REQUIRED_COLUMNS, "")
        cells.update({"cqc_location_id": cqc_id, "date": "2020-07-15", "resident_cases": "0",
                      "staff_cases": "0", **values})
        lines.append(",".join(cells[name] for name in REQUIRED_COLUMNS))
    return ("\n".join([header, *lines]) + "\n").encode()


def test_a_returns_import_moves_the_version_and_the_highlight_report_shows_it(client, renders):
    halton = Council.objects.get(slug="halton")
    client.force_login(User.objects.get(username="halton-manager"))
    url = (reverse("providers:highlight-report-pdf", args=["halton"])
           + "?week_ending=15/07/2020")
    first = client.get(url)
    assert first.status_code == 200 and client.get(url)["X-Document-Cache"] == "hit"
    home = Provider.objects.get(council=halton, name="Lime Gardens")
    before = versions.current(halton.pk)
    daily_returns_import(council=halton, filename="day.csv", content=_returns_file(
        (home.cqc_location_id, {"ppe_gloves_days": "1"})))
    assert versions.current(halton.pk) > before
    second = client.get(url)
    assert second["X-Document-Cache"] == "miss"
    assert pdf_text(second.content) != pdf_text(first.content)


def test_national_wording_bumps_every_council_with_a_plan_of_it_and_the_page_shows_it(
    manager_client, plan
):
    url = reverse("reports:appendix-two", args=[plan.slug])
    assert manager_client.get(url).status_code == 200
    others = set(Council.objects.filter(local_plans__national_plan=plan.national_plan)
                 .values_list("pk", flat=True))
    before = versions.current_many(others)
    area = KeyArea.objects.get(national_plan=plan.national_plan, slug="funding")
    area.title = "Funding and its wording, renamed"
    area.save()
    after = versions.current_many(others)
    # The plan part rises by one; the providers part (their registers) stays.
    assert all(after[pk] == (before[pk][0] + 1, before[pk][1]) for pk in others)
    assert "Funding and its wording, renamed" in manager_client.get(url).content.decode()


def test_a_bulk_update_without_signals_bumps_through_its_service(plan):
    from providers.services.escalation import escalations_evaluate

    council = plan.council
    ProviderRisk.objects.filter(provider__council=council).delete()
    before = versions.current(council.pk)
    result = escalations_evaluate(council=council, as_at=plan.as_at)
    assert result.written and versions.current(council.pk) == before + 1


def test_the_page_body_comes_from_the_cache_per_option_and_date(
    manager_client, plan, django_assert_max_num_queries
):
    url = reverse("reports:appendix-two", args=[plan.slug])

    def body(query=""):
        return manager_client.get(url + query).content.decode().split('class="doc doc--')[1]

    plain = body()
    with django_assert_max_num_queries(10) as queries:
        again = body()
    assert not any("actions_localaction" in q["sql"] for q in queries.captured_queries)
    assert again == plain
    working = body("?status=1")
    assert working != plain and "working copy" in working.lower()
    assert body("?status=1") == working
    dated = body("?as_at=2020-10-01")
    assert dated != plain and body("?as_at=2020-10-01") == dated


@pytest.mark.django_db(transaction=True)
def test_two_requests_for_one_document_make_one_render_and_the_other_is_told_to_wait(
    monkeypatch, settings
):
    if connection.vendor == "sqlite":
        pytest.skip("two processes at once need a real database server (run on PostgreSQL)")
    from actions.models import LocalPlan
    from reports import pdf
    from winterplan.sample_data import sample_data_load

    from .conftest import SAMPLE_PLAN

    if not LocalPlan.objects.filter(slug=SAMPLE_PLAN).exists():
        sample_data_load(demo_users=True, second_winter=False)  # a transactional test flushed it
    plan = LocalPlan.objects.get(slug=SAMPLE_PLAN)

    settings.REPORTS_PREPARING_WAIT_SECONDS = 0.5
    renders = []
    real = pdf.html_to_pdf

    def slow(html, **kwargs):
        renders.append(1)
        time.sleep(3)  # a long render, so the second request arrives while it runs
        return real(html, **kwargs)

    monkeypatch.setattr(pdf, "html_to_pdf", slow)
    url = reverse("reports:dhsc-letter-pdf", args=[plan.slug])
    manager = User.objects.get(username="manager")
    answers = {}

    def fetch(name):
        client = Client()
        client.force_login(manager)
        answers[name] = client.get(url)
        connection.close()

    first = threading.Thread(target=fetch, args=["first"])
    first.start()
    time.sleep(1)
    fetch("second")
    first.join()
    assert answers["first"].status_code == 200
    waiting = answers["second"]
    assert waiting.status_code == 202 and waiting["Retry-After"] == "5"
    page = waiting.content.decode()
    assert "is being prepared" in page and "Download when ready" in page
    assert f'href="{url}"' in page and "http-equiv" not in page
    assert renders == [1]
    client = Client()
    client.force_login(manager)
    ready = client.get(url)
    assert ready.status_code == 200 and ready["X-Document-Cache"] == "hit"
