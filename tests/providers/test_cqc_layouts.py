"""CQC's files are recognised by their layout, read in any edition's spelling and encoding,
and refused with the expected columns named when they are not what they claim to be."""

import io
import zipfile

import pytest

from providers.cqc import synthetic
from providers.cqc.importer import read_cqc_file
from providers.cqc.mapping import area_key
from providers.services.imports import read_register
from tests.providers.cqc_support import FIXTURES, fixture
from winterplan.models import Council
from winterplan.spreadsheets import TableError

pytestmark = pytest.mark.django_db

HALTON_NEW_AND_KNOWN = {"1-910000001", "1-910000002", "1-910000005", "1-910000016",
                        "1-920000001", "1-920000002", "1-920000003", "1-920000004"}


@pytest.mark.parametrize("name", ["hsca-active-locations.xlsx", "hsca-active-locations.ods",
                                  "hsca-active-locations-older-edition.xlsx"])
def test_each_hsca_workbook_is_recognised_and_only_the_councils_kept_rows_are_read(
        halton, name):
    rows, source = read_register(name, fixture(name), council=halton)
    assert source.layout == "hsca" and source.areas == ["Halton"]
    assert {row["cqc_location_id"] for _, row in rows} == HALTON_NEW_AND_KNOWN
    assert source.rows_read == 16 and source.other_areas == 5
    assert source.left_out == {"dormant in CQC's file": 1,
                               "not adult social care in CQC's file": 1,
                               "a service type the register does not hold": 1}
    # The README sheet comes first; the rows are numbered as in the data sheet.
    assert rows[0][0] == 2


@pytest.mark.parametrize("name", ["cqc-directory.csv", "cqc-directory-utf8.csv"])
def test_the_care_directory_csv_is_recognised_after_its_four_lines_in_either_encoding(
        halton, name):
    rows, source = read_register(name, fixture(name), council=halton)
    assert source.layout == "directory"
    names = {row["name"] for _, row in rows}
    assert "Café Lane Home Care" in names and "Halton Dental Practice" not in names
    assert rows[0][0] == 6  # four lines, the header, then the first row


def test_the_latin1_fixture_really_is_latin1():
    content = fixture("cqc-directory.csv")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    assert "Café".encode("latin-1") in content


def test_a_file_in_the_registers_own_layout_is_not_taken_for_cqcs(halton):
    content = (b"name,provider_type,cqc_location_id,registered_beds,prime_provider,council_run,"
               b"risk_rating\nA Home,care_home_residential,1-555000001,10,no,no,green\n")
    rows, source = read_register("register.csv", content, council=halton)
    assert source is None and rows[0][1]["name"] == "A Home"


def test_an_unknown_layout_names_the_columns_each_layout_expects(halton):
    with pytest.raises(TableError) as refused:
        read_register("mystery.csv", b"Site,Town\nX,Y\n", council=halton)
    message = refused.value.errors[0].message
    assert "provider_type" in message  # the register's own layout
    assert "HSCA_Active_Locations" in message and "Location Local Authority" in message
    assert "CQC Location ID (for office use only)" in message


def test_an_hsca_sheet_without_some_columns_is_refused_naming_them(halton):
    columns = [c for c in synthetic.HSCA_COLUMNS
               if c not in ("Dormant (Y/N)", "Location Inspection Directorate")]
    content = synthetic.hsca_xlsx([], columns=columns)
    with pytest.raises(TableError) as refused:
        read_register("hsca.xlsx", content, council=halton)
    message = refused.value.errors[0].message
    assert "Dormant (Y/N), Location Inspection Directorate are missing" in message


def test_an_ods_without_the_hsca_sheet_says_which_sheets_it_has(halton):
    content = synthetic.hsca_ods([], sheet="Locations")
    with pytest.raises(TableError) as refused:
        read_register("hsca.ods", content, council=halton)
    assert "no sheet named HSCA_Active_Locations (its sheets: README, Locations)" in \
        refused.value.errors[0].message


def test_a_damaged_ods_is_refused_with_a_message_not_an_exception(halton):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<office:document-content><table")
    with pytest.raises(TableError) as refused:
        read_register("hsca.ods", buffer.getvalue(), council=halton)
    assert "cannot be read" in refused.value.errors[0].message
    with pytest.raises(TableError):
        read_register("hsca.ods", b"not a zip", council=halton)


def test_a_file_with_none_of_the_councils_locations_says_so(db):
    bristol = Council.objects.get(slug="bristol")
    with pytest.raises(TableError) as refused:
        read_register("hsca.xlsx", fixture("hsca-active-locations.xlsx"), council=bristol)
    assert "no adult social care locations in Bristol, City of's area" in \
        refused.value.errors[0].message


@pytest.mark.parametrize(("council_name", "cqc_name"), [
    ("Halton Borough Council", "Halton"),
    ("Cheshire East Council", "Cheshire East"),
    ("Bristol, City of", "Bristol"),
    ("St. Helens", "St Helens"),
    ("Kingston upon Hull, City of", "Kingston upon Hull"),
    ("Kingston upon Hull, City of", "Hull"),
    ("Herefordshire, County of", "Herefordshire"),
    ("Royal Borough of Windsor and Maidenhead", "Windsor & Maidenhead"),
    ("County Durham", "Durham"),
])
def test_a_councils_name_meets_cqcs_name_for_its_area(council_name, cqc_name):
    assert area_key(council_name) == area_key(cqc_name)


@pytest.mark.parametrize(("council_name", "cqc_name"), [
    ("Cheshire East Council", "Cheshire West and Chester"),
    ("Halton Borough Council", "Haltwhistle"),
    ("North Northamptonshire", "West Northamptonshire"),
])
def test_other_areas_do_not_match(council_name, cqc_name):
    assert area_key(council_name) != area_key(cqc_name)


def test_every_english_council_in_the_fixtures_has_a_distinct_area_key(db):
    keys = [area_key(name) for name in Council.objects.values_list("name", flat=True)]
    assert len(keys) == len(set(keys))


def test_the_cqc_row_limit_stops_reading_and_names_the_limit(halton, settings):
    settings.IMPORT_CQC_MAX_ROWS = 5
    for name in ("hsca-active-locations.ods", "hsca-active-locations.xlsx",
                 "cqc-directory.csv"):
        with pytest.raises(TableError) as refused:
            read_register(name, fixture(name), council=halton)
        assert "at most 5 rows" in refused.value.errors[0].message


def test_cqc_files_have_their_own_size_limit_and_the_register_keeps_its_own(halton, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0
    rows, source = read_register("x.xlsx", fixture("hsca-active-locations.xlsx"),
                                 council=halton)
    assert source is not None
    with pytest.raises(TableError) as refused:
        read_register("register.csv", b"name\n" + b"x" * 2_000_000, council=halton)
    assert "at most 0 MB" in refused.value.errors[0].message
    settings.IMPORT_CQC_MAX_UPLOAD_MB = 0
    with pytest.raises(TableError) as refused:
        read_cqc_file("x.ods", fixture("hsca-active-locations.ods") + b"\0" * 2_000_000,
                      council=halton, known_ids=set())
    assert "at most 0 MB" in refused.value.errors[0].message


def test_the_fixtures_folder_holds_both_layouts():
    names = {path.name for path in FIXTURES.iterdir()}
    assert {"hsca-active-locations.xlsx", "hsca-active-locations.ods",
            "cqc-directory.csv"} <= names


def _ods_with(content_xml: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content_xml)
    return buffer.getvalue()


def _hsca_ods_xml(body_rows: str) -> str:
    header = "".join(f"<table:table-cell><text:p>{name}</text:p></table:table-cell>"
                     for name in ("Location ID", "Dormant (Y/N)", "Care home?", "Location Name",
                                  "Care homes beds", "Location Inspection Directorate",
                                  "Location Local Authority",
                                  "Service type - Care home service with nursing"))
    return ('<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
            'office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
            '<office:spreadsheet><table:table table:name="HSCA_Active_Locations">'
            f"<table:table-row>{header}</table:table-row>{body_rows}</table:table>"
            "</office:spreadsheet></office:body></office:document-content>")


def _cells(*values: str) -> str:
    return "".join(f"<table:table-cell><text:p>{value}</text:p></table:table-cell>"
                   for value in values)


def test_an_ods_with_a_million_repeated_blank_rows_and_columns_reads_only_its_data(halton):
    row = _cells("1-920000101", "N", "Y", "Repeat Home", "20", "Adult social care", "Halton",
                 "Y")
    body = (f"<table:table-row>{row}<table:table-cell "
            'table:number-columns-repeated="16000"/></table:table-row>'
            '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
            'table:number-columns-repeated="16384"/></table:table-row>')
    rows, source = read_register("hsca.ods", _ods_with(_hsca_ods_xml(body)), council=halton)
    assert [row["cqc_location_id"] for _, row in rows] == ["1-920000101"]
    assert rows[0][1]["provider_type"] == "care_home_nursing"


def test_an_ods_row_repeated_past_the_row_limit_is_refused(halton, settings):
    settings.IMPORT_CQC_MAX_ROWS = 100
    row = _cells("1-920000101", "N", "Y", "Repeat Home", "20", "Adult social care", "Halton")
    body = f'<table:table-row table:number-rows-repeated="1000000">{row}</table:table-row>'
    with pytest.raises(TableError) as refused:
        read_register("hsca.ods", _ods_with(_hsca_ods_xml(body)), council=halton)
    assert "at most 100 rows" in refused.value.errors[0].message


def test_an_ods_whose_xml_declares_expanding_entities_is_refused(halton):
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
                      for n in range(1, 10))
            + "]>" + _hsca_ods_xml(f"<table:table-row>{_cells('&lol9;')}</table:table-row>"))
    with pytest.raises(TableError) as refused:
        read_register("hsca.ods", _ods_with(bomb), council=halton)
    assert "cannot be read" in refused.value.errors[0].message
