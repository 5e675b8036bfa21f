"""The upload page takes CQC's files as published: upload, preview (new, changed field by
field, not in CQC's latest file), then confirm; only the council's rows are kept between."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from providers.models import PendingImport, Provider
from tests.providers.cqc_support import fixture

pytestmark = pytest.mark.django_db
HA = "/councils/halton/providers/"


def _upload(client, name, content=None, kind="providers"):
    return client.post(f"{HA}import/", {
        "kind": kind, "file": SimpleUploadedFile(name, content or fixture(name))})


def test_an_ods_upload_is_previewed_then_applied_on_confirm(halton_manager_client, halton):
    response = _upload(halton_manager_client, "hsca-active-locations.ods")
    assert response.status_code == 302
    pending = PendingImport.objects.get()
    assert pending.source["layout"] == "hsca" and len(pending.rows) == 8
    assert bytes(pending.content) == b""  # the council's rows are kept, not the national file
    preview = halton_manager_client.get(response["Location"])
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "Read as CQC&#x27;s HSCA Active Locations workbook: 16 locations" in body
    assert "Runcorn Bridge Nursing Home" in body  # to add
    changes = body.split('id="changes"')[1].split("</table>")[0]
    assert "Holly Court Nursing Home" in changes and "<td class=\"govuk-table__cell\">47</td>" \
        "<td class=\"govuk-table__cell\">50</td>" in changes
    missing = body.split('id="missing"')[1].split("</table>")[0]
    assert "Walnut House" in missing and "Not in CQC&#x27;s latest file" in missing
    assert "Dormant in CQC&#x27;s file" in missing
    assert not Provider.objects.filter(cqc_location_id="1-920000004").exists()

    confirmed = halton_manager_client.post(response["Location"])
    assert confirmed.status_code == 302 and confirmed["Location"] == HA
    assert Provider.objects.get(cqc_location_id="1-920000004").registered_beds == 60
    assert Provider.objects.filter(council=halton, cqc_location_id="1-910000004").exists()
    assert not PendingImport.objects.exists()


def test_a_latin1_care_directory_upload_is_previewed(halton_manager_client):
    response = _upload(halton_manager_client, "cqc-directory.csv")
    preview = halton_manager_client.get(response["Location"])
    assert preview.status_code == 200 and "Café Lane Home Care" in preview.content.decode()


def test_an_unknown_layout_is_refused_on_the_preview_naming_the_expected_columns(
        halton_manager_client):
    response = _upload(halton_manager_client, "mystery.csv", b"Site,Town\nX,Y\n")
    preview = halton_manager_client.get(response["Location"])
    body = preview.content.decode()
    assert preview.status_code == 400 and "Nothing was imported" in body
    assert "HSCA_Active_Locations" in body and "Location Local Authority" in body


def test_daily_returns_cannot_be_an_ods(halton_manager_client):
    response = _upload(halton_manager_client, "hsca-active-locations.ods", kind="daily_returns")
    assert response.status_code == 400 and "choose a .csv or .xlsx" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_another_file_type_is_refused(halton_manager_client):
    response = _upload(halton_manager_client, "register.txt", b"hello")
    assert response.status_code == 400 and ".csv, .xlsx or .ods" in response.content.decode()


def test_the_form_holds_cqcs_files_to_their_own_larger_limit(halton_manager_client, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0
    assert _upload(halton_manager_client, "hsca-active-locations.xlsx").status_code == 302
    register = b"name,provider_type,cqc_location_id\n"
    refused = _upload(halton_manager_client, "register.csv", register)
    assert refused.status_code == 400 and "at most 0 MB" in refused.content.decode()
    settings.IMPORT_CQC_MAX_UPLOAD_MB = 0
    refused = _upload(halton_manager_client, "cqc-directory.csv")
    assert refused.status_code == 400 and "at most 0 MB" in refused.content.decode()
