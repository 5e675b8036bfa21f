"""The register import: all-or-nothing, row-numbered errors, updates by CQC location ID."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from providers.models import Provider
from providers.services.imports import ProviderImportError, providers_import
from winterplan.exports import SafeTableExport  # noqa: F401 - the export path is tested below

pytestmark = pytest.mark.django_db
HEADER = "name,provider_type,cqc_location_id,registered_beds,prime_provider,council_run,risk_rating"


def _csv(*rows: str, header: str = HEADER, newline: str = "\n", bom: bool = False) -> bytes:
    text = newline.join([header, *rows]) + newline
    return ("\ufeff" if bom else "").encode() + text.encode()


def _import(council, content, filename="register.csv", **kwargs):
    return providers_import(council=council, filename=filename, content=content, **kwargs)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [False, True])
def test_a_good_csv_adds_providers_with_or_without_bom_and_crlf(halton, newline, bom):
    content = _csv(
        "Riverside Home Care (sample),care_at_home,1-123450001,,yes,no,amber",
        "Canal View (sample),care_home_nursing,1-123450002,40,no,yes,",
        newline=newline, bom=bom,
    )
    result = _import(halton, content)
    assert result.applied and result.created == ["Riverside Home Care (sample)",
                                                  "Canal View (sample)"]
    agency = Provider.objects.get(council=halton, cqc_location_id="1-123450001")
    assert agency.prime_provider and agency.risk_rating == "amber"
    assert agency.registered_beds is None
    home = Provider.objects.get(council=halton, cqc_location_id="1-123450002")
    assert home.registered_beds == 40 and home.council_run and home.risk_rating == "green"


def test_one_bad_row_refuses_the_whole_file_and_every_error_names_row_and_field(halton):
    before = Provider.objects.filter(council=halton).count()
    content = _csv(
        "Good Home (sample),care_home_residential,1-123450003,30,no,no,green",
        "Negative Beds (sample),care_home_residential,1-123450004,-3,no,no,green",
        "Beds At Home (sample),care_at_home,1-123450005,12,no,no,green",
        "Bad Type (sample),hospital,1-123450006,,no,no,green",
        "Bad Flag (sample),care_home_nursing,1-123450007,10,maybe,no,purple",
        "Bad Id (sample),care_home_nursing,123,10,no,no,green",
        "Twice (sample),care_home_nursing,1-123450003,10,no,no,green",
    )
    with pytest.raises(ProviderImportError) as refused:
        _import(halton, content)
    errors = {(e.row, e.field) for e in refused.value.result.errors}
    assert (3, "registered_beds") in errors
    assert (4, "registered_beds") in errors
    assert (5, "provider_type") in errors
    assert (6, "prime_provider") in errors and (6, "risk_rating") in errors
    assert (7, "cqc_location_id") in errors
    assert (8, "cqc_location_id") in errors
    assert not any(e.row == 2 for e in refused.value.result.errors)
    assert Provider.objects.filter(council=halton).count() == before
    assert "Row 3, registered_beds" in refused.value.messages[0] or any(
        m.startswith("Row 3, registered_beds") for m in refused.value.messages)


def test_an_existing_cqc_id_updates_that_provider_instead_of_duplicating_it(halton):
    home = Provider.objects.filter(council=halton).order_by("pk").first()
    count = Provider.objects.filter(council=halton).count()
    content = _csv(f"Renamed Home (sample),{home.provider_type},{home.cqc_location_id},"
                   f"{home.registered_beds + 2},no,no,red")
    result = _import(halton, content)
    assert result.updated == ["Renamed Home (sample)"] and not result.created
    home.refresh_from_db()
    assert home.name == "Renamed Home (sample)" and home.risk_rating == "red"
    assert home.version == 2
    assert Provider.objects.filter(council=halton).count() == count
    assert home.history.first().name == "Renamed Home (sample)"


def test_importing_the_same_file_again_changes_nothing(halton):
    content = _csv("Steady Home (sample),care_home_residential,1-123450010,30,no,no,green")
    _import(halton, content)
    again = _import(halton, content)
    assert again.unchanged == ["Steady Home (sample)"] and not again.updated


def test_a_file_without_the_optional_columns_keeps_their_values(halton):
    home = Provider.objects.filter(council=halton, client_group="specialist").first()
    content = _csv(f"{home.name},{home.provider_type},{home.cqc_location_id},"
                   f"{home.registered_beds},no,{'yes' if home.council_run else 'no'},"
                   f"{home.risk_rating}")
    _import(halton, content)
    home.refresh_from_db()
    assert home.client_group == "specialist"


def test_a_dry_run_checks_everything_and_writes_nothing(halton):
    content = _csv("Dry Home (sample),care_home_residential,1-123450011,30,no,no,green")
    result = _import(halton, content, dry_run=True)
    assert result.created == ["Dry Home (sample)"] and not result.applied
    assert not Provider.objects.filter(cqc_location_id="1-123450011").exists()


def test_people_supported_is_read_for_community_services_only(halton):
    ok = _csv("Home Care (sample),care_at_home,1-123450012,,no,no,green,120",
              header=HEADER + ",people_supported")
    _import(halton, ok)
    assert Provider.objects.get(cqc_location_id="1-123450012").people_supported == 120
    bad = _csv("Beds Home (sample),care_home_residential,1-123450013,20,no,no,green,5",
               header=HEADER + ",people_supported")
    with pytest.raises(ProviderImportError) as refused:
        _import(halton, bad)
    assert [(e.row, e.field) for e in refused.value.result.errors] == [(2, "people_supported")]


def test_a_wrong_header_is_refused_on_row_one(halton):
    with pytest.raises(ProviderImportError) as refused:
        _import(halton, b"name,type\nX,care_at_home\n")
    error = refused.value.result.errors[0]
    assert (error.row, error.field) == (1, "file") and "missing column" in error.message


def test_a_file_that_is_not_utf8_is_refused(halton):
    with pytest.raises(ProviderImportError) as refused:
        _import(halton, _csv("Caf\xe9 (sample),care_at_home,1-1,,no,no,green").decode()
                .encode("latin-1"))
    assert "UTF-8" in refused.value.result.errors[0].message


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_workbook_imports_and_a_formula_is_read_as_its_text(halton):
    content = _xlsx([
        HEADER.split(","),
        ["=HYPERLINK(\"http://evil.example\",\"Click\")", "care_home_residential",
         "1-123450020", 25, "no", "no", "green"],
    ])
    _import(halton, content, filename="register.xlsx")
    provider = Provider.objects.get(cqc_location_id="1-123450020")
    assert provider.name == '=HYPERLINK("http://evil.example","Click")'
    assert provider.registered_beds == 25


def test_formula_text_is_exported_neutralised(officer_client, cheshire_east):
    _import(cheshire_east, _csv("=1+1,care_at_home,1-123450021,,no,no,green"))
    response = officer_client.get(
        "/councils/cheshire-east/providers/?q=1-123450021&_export=csv")
    assert response.status_code == 200
    body = response.getvalue().decode()
    assert "'=1+1" in body and "\n=1+1" not in body


def test_the_command_imports_and_exits_non_zero_on_a_bad_file(halton, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(_csv("Command Home (sample),care_home_nursing,1-123450030,44,no,no,green"))
    call_command("import_providers", "--council", "halton", str(good))
    assert Provider.objects.filter(cqc_location_id="1-123450030").exists()
    assert "1 added" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv("Bad (sample),care_home_nursing,1-123450031,lots,no,no,green"))
    with pytest.raises(CommandError) as error:
        call_command("import_providers", "--council", "halton", str(bad))
    assert "Row 2, registered_beds" in str(error.value)
    assert not Provider.objects.filter(cqc_location_id="1-123450031").exists()


def test_the_command_refuses_an_unknown_council(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(_csv())
    with pytest.raises(CommandError):
        call_command("import_providers", "--council", "nowhere", str(path))
