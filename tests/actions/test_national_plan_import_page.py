"""The admins' page: upload a plan file, see its dry run, apply it with the preview's token."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from actions.models import NationalPlan, Requirement

pytestmark = pytest.mark.django_db
URL = "/admin-tools/national-plans/import/"
APPLY = "/admin-tools/national-plans/import/apply/"
HEADER = ["theme", "part", "key_area", "audience", "requirement", "kind", "link_title",
          "link_url"]
PLAN_FIELDS = {"slug": "page-plan", "title": "Page plan", "publisher": "DHSC",
               "published": "03/11/2021"}


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = _xlsx([HEADER,
              ["Discharge", "", "Hospital discharge", "", "Follow the guidance.", "", "", ""],
              ["Discharge", "", "Hospital discharge", "", "Fund it.", "", "", ""],
              ["Workforce", "", "Staff wellbeing", "", "Support staff.", "", "", ""]])


def _upload(client, content, name="plan.xlsx", **fields):
    return client.post(URL, {"file": SimpleUploadedFile(name, content),
                             **PLAN_FIELDS, **fields})


def test_the_preview_counts_and_writes_nothing_then_apply_imports(admin_client):
    assert admin_client.get(URL).status_code == 200
    preview = _upload(admin_client, GOOD)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Check the plan before importing it" in page and "This is a <strong>new</strong>" in page
    report = preview.context["report"]
    assert report.counts == {"themes": 2, "key_areas": 2, "requirements": 3}
    assert report.requirements.new == 3
    assert not NationalPlan.objects.filter(slug="page-plan").exists()

    done = admin_client.post(APPLY, {"token": preview.context["token"]})
    assert done.status_code == 200 and "National plan imported" in done.content.decode()
    plan = NationalPlan.objects.get(slug="page-plan")
    assert list(Requirement.objects.filter(key_area__national_plan=plan)
                .order_by("key_area__theme__position", "position")
                .values_list("ref", flat=True)) == ["HD-1", "HD-2", "SW-1"]
    # The token is spent: a second apply is refused and writes nothing.
    again = admin_client.post(APPLY, {"token": preview.context["token"]})
    assert again.status_code == 302 and again["Location"] == URL

    # The same file again: everything unchanged.
    second = _upload(admin_client, GOOD)
    assert second.context["report"].requirements.unchanged == 3
    assert "A plan with this slug exists" in second.content.decode()


def test_the_preview_lists_every_error_with_its_row_and_field_and_offers_no_apply(
        admin_client):
    bad = _xlsx([HEADER, ["Theme", "", "Area", "", "", "", "", ""],
                 ["Theme", "", "Area", "", "Fine.", "loud", "", ""]])
    preview = _upload(admin_client, bad)
    page = preview.content.decode()
    assert "The file cannot be imported" in page and "Import the plan" not in page
    rows = [(e.where, e.field) for e in preview.context["errors"]]
    assert ("row 2", "requirement") in rows and ("row 3", "kind") in rows
    assert not NationalPlan.objects.filter(slug="page-plan").exists()


def test_a_file_of_another_type_is_refused_on_the_form(admin_client):
    response = _upload(admin_client, b"%PDF-1.4", name="plan.pdf")
    assert response.status_code == 200
    assert "not a plan file" in response.content.decode()


def test_a_token_from_another_admin_is_refused(admin_client, django_user_model):
    preview = _upload(admin_client, GOOD)
    other = django_user_model.objects.create_superuser("other-admin", "o@example.org", "x")
    from django.test import Client

    client = Client()
    client.force_login(other)
    response = client.post(APPLY, {"token": preview.context["token"]})
    assert response.status_code == 302
    assert not NationalPlan.objects.filter(slug="page-plan").exists()


def test_managers_are_refused(manager_client):
    assert manager_client.get(URL).status_code == 403
    assert _upload(manager_client, GOOD).status_code == 403
