"""Hostile and damaged import files are refused with a clear error naming the limit, the row or
the cell, quickly and never with a 500. The files are built here (zipfile and XML)."""

import contextlib
import datetime
import io
import re
import signal
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook

from providers.models import DailyReturn, PendingImport, Provider
from providers.services import imports as imports_service
from providers.services import returns_import
from providers.services.imports import ImportRefused, providers_import
from providers.services.returns_import import REQUIRED_COLUMNS as RETURN_COLUMNS
from providers.services.returns_import import daily_returns_import

pytestmark = pytest.mark.django_db
COLUMNS = ["name", "provider_type", "cqc_location_id", "registered_beds", "prime_provider",
           "council_run", "risk_rating"]
CE = "/councils/cheshire-east/providers/"
SHEET = "xl/worksheets/sheet1.xml"
DIMENSION = r'<dimension ref="[^"]*"\s*/>'


@contextlib.contextmanager
def within(seconds: float):
    """Fail (instead of hanging the suite) when the block takes longer than `seconds`."""
    def expired(signum, frame):
        raise AssertionError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _workbook(*rows, header=COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite(content: bytes, member: str, change) -> bytes:
    """The workbook with one part's XML changed by `change(text) -> text`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == member:
                data = change(data.decode()).encode()
            target.writestr(info.filename, data)
    return out.getvalue()


def _with_shared_strings(content: bytes, *strings: str) -> bytes:
    """The workbook with a shared strings part holding `strings` (cell A2 uses the first)."""
    content = _rewrite(content, "[Content_Types].xml", lambda xml: xml.replace(
        "</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    content = _rewrite(content, SHEET, lambda xml: _set_cell(
        xml, "A2", '<c r="A2" t="s"><v>0</v></c>'))
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    out = io.BytesIO(content)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.'
                         f'org/spreadsheetml/2006/main" count="{len(strings)}" '
                         f'uniqueCount="{len(strings)}">{items}</sst>')
    return out.getvalue()


def _set_cell(xml: str, coordinate: str, cell: str) -> str:
    """Replace the cell at `coordinate` with the raw XML `cell`."""
    return re.sub(rf'<c r="{coordinate}"[^>]*?(/>|>.*?</c>)', cell, xml, count=1)


def _good_row(n=1):
    return [f"Hostile Home {n} (sample)", "care_home_residential", f"1-77700{n:04d}", 20,
            "no", "no", "green"]


def _refusal(council, content, filename="register.xlsx"):
    with pytest.raises(ImportRefused) as refused:
        providers_import(council=council, filename=filename, content=content)
    return refused.value.result.errors


def test_a_tiny_workbook_declaring_the_whole_sheet_is_refused_at_once(cheshire_east):
    content = _rewrite(_workbook(_good_row()), SHEET, lambda xml: re.sub(
        DIMENSION, '<dimension ref="A1:XFD1048576"/>', xml))
    assert len(content) < 8000
    started = time.monotonic()
    with within(10):
        errors = _refusal(cheshire_east, content)
    assert time.monotonic() - started < 2
    assert [(e.row, e.field) for e in errors] == [(1, "file")]
    assert "declares 1,048,576 rows" in errors[0].message
    assert "20,001" in errors[0].message


def test_a_declared_width_of_16384_columns_reads_only_the_header_columns(cheshire_east):
    content = _rewrite(_workbook(*[_good_row(n) for n in range(1, 4)]), SHEET,
                       lambda xml: re.sub(DIMENSION,
                                          '<dimension ref="A1:XFD4"/>', xml))
    with within(10):
        result = providers_import(council=cheshire_east, filename="r.xlsx", content=content,
                                  dry_run=True)
    assert len(result.created) == 3


def test_a_huge_shared_string_is_refused_before_the_workbook_is_opened(cheshire_east):
    small = _with_shared_strings(_workbook(_good_row()), "Shared Home (sample)")
    assert providers_import(council=cheshire_east, filename="r.xlsx", content=small,
                            dry_run=True).created == ["Shared Home (sample)"]
    content = _with_shared_strings(_workbook(_good_row()), "A" * (17 * 1024 * 1024))
    assert len(content) < 200_000
    with within(10):
        errors = _refusal(cheshire_east, content)
    assert [(e.row, e.field) for e in errors] == [(1, "file")]
    assert "its shared text is 17 MB uncompressed (at most 16 MB)" in errors[0].message


def test_a_cell_pointing_at_a_missing_shared_string_names_its_row_and_cell(cheshire_east):
    content = _rewrite(_workbook(_good_row(1), _good_row(2)), SHEET, lambda xml: _set_cell(
        xml, "B3", '<c r="B3" t="s"><v>999</v></c>'))
    errors = _refusal(cheshire_east, content)
    assert [(e.row, e.field) for e in errors] == [(3, "provider_type")]
    assert errors[0].message.startswith("Cell B3 cannot be read: it refers to shared text")


def test_a_number_cell_holding_text_names_its_row_and_cell(cheshire_east):
    content = _rewrite(_workbook(_good_row()), SHEET, lambda xml: _set_cell(
        xml, "D2", '<c r="D2" t="n"><v>twenty</v></c>'))
    errors = _refusal(cheshire_east, content)
    assert [(e.row, e.field) for e in errors] == [(2, "registered_beds")]
    assert "Cell D2 cannot be read: its stored value does not match its type" in \
        errors[0].message


def test_every_damaged_cell_is_named_in_one_pass(cheshire_east):
    content = _rewrite(_workbook(_good_row()), SHEET, lambda xml: _set_cell(_set_cell(
        xml, "D2", '<c r="D2" t="n"><v>x</v></c>'), "A2", '<c r="A2" t="s"><v>-5</v></c>'))
    errors = _refusal(cheshire_east, content)
    assert {(e.row, e.field) for e in errors} == {(2, "name"), (2, "registered_beds")}


@pytest.mark.parametrize("content", [b"PK\x03\x04 not really a zip", b"", b"\x00" * 100])
def test_a_file_that_is_not_a_workbook_is_refused(cheshire_east, content):
    errors = _refusal(cheshire_east, content)
    assert errors[0].message.startswith("The file is not a readable XLSX workbook")


def test_the_returns_import_reads_damaged_cells_the_same_way(halton):
    home = Provider.objects.filter(council=halton, provider_type__startswith="care_home").first()
    row = dict.fromkeys(RETURN_COLUMNS, None) | {
        "cqc_location_id": home.cqc_location_id, "date": "15/07/2020", "resident_cases": 0,
        "staff_cases": 0, "vacant_beds": 3}
    content = _workbook([row[name] for name in RETURN_COLUMNS], header=list(RETURN_COLUMNS))
    column = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[RETURN_COLUMNS.index("vacant_beds")]
    content = _rewrite(content, SHEET, lambda xml: _set_cell(
        xml, f"{column}2", f'<c r="{column}2" t="n"><v>3 beds</v></c>'))
    with pytest.raises(ImportRefused) as refused:
        daily_returns_import(council=halton, filename="day.xlsx", content=content)
    assert [(e.row, e.field) for e in refused.value.result.errors] == [(2, "vacant_beds")]


def test_reading_stops_at_the_row_limit_with_a_message_naming_it(cheshire_east, settings):
    settings.IMPORT_MAX_ROWS = 3
    # Row 6 is damaged: reading has stopped before it, at the first row past the limit. The
    # sheet understates its size, which neither hides rows nor lets them through.
    content = _rewrite(_workbook(*[_good_row(n) for n in range(1, 6)]), SHEET,
                       lambda xml: re.sub(DIMENSION, '<dimension ref="A1:G2"/>', _set_cell(
                           xml, "A6", '<c r="A6" t="s"><v>999</v></c>')))
    errors = _refusal(cheshire_east, content)
    assert [(e.row, e.field) for e in errors] == [(5, "file")]
    assert errors[0].message.startswith("Too many rows: at most 3 rows after the header")
    csv = "\n".join([",".join(COLUMNS), *[",".join(map(str, _good_row(n))) for n in range(5)]])
    errors = _refusal(cheshire_east, csv.encode(), filename="register.csv")
    assert [(e.row, e.field) for e in errors] == [(5, "file")]


def test_blank_rows_are_skipped_but_keep_their_row_numbers(cheshire_east):
    csv = "\n".join([",".join(COLUMNS), ",".join(map(str, _good_row(1))), "", ",,,,,,",
                     "Bad,hospital,1-777009999,,no,no,green"])
    errors = _refusal(cheshire_east, csv.encode(), filename="register.csv")
    assert [(e.row, e.field) for e in errors] == [(5, "provider_type")]


def test_reading_past_the_time_limit_is_refused_with_a_message_naming_it(
        cheshire_east, settings):
    settings.IMPORT_MAX_SECONDS = 0
    errors = _refusal(cheshire_east, _workbook(_good_row(1), _good_row(2)))
    assert [(e.row, e.field) for e in errors] == [(2, "file")]
    assert errors[0].message.startswith("Reading the file took longer than 0 seconds")


def test_a_file_over_the_size_limit_is_refused_by_the_service_and_the_upload_form(
        cheshire_east, officer_client, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    big = (",".join(COLUMNS) + "\n" + ",".join(map(str, _good_row())) + "\n" * 1_200_000)
    errors = _refusal(cheshire_east, big.encode(), filename="big.csv")
    assert errors[0].message == ("The file is 1.1 MB: at most 1 MB can be imported at once. "
                                 "Split it into smaller files.")
    response = officer_client.post(f"{CE}import/", {
        "kind": "providers", "file": SimpleUploadedFile("big.csv", big.encode())})
    assert response.status_code == 400
    assert "at most 1 MB can be imported at once" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_a_damaged_upload_previews_its_errors_and_never_answers_500(officer_client):
    content = _rewrite(_workbook(_good_row()), SHEET, lambda xml: _set_cell(
        xml, "D2", '<c r="D2" t="n"><v>twenty</v></c>'))
    response = officer_client.post(f"{CE}import/", {
        "kind": "providers", "file": SimpleUploadedFile("damaged.xlsx", content)})
    assert response.status_code == 302
    preview = officer_client.get(response["Location"])
    assert preview.status_code == 400
    assert "Cell D2 cannot be read" in preview.content.decode()
    assert officer_client.post(response["Location"]).status_code == 400


def test_the_upload_is_read_once_and_the_preview_and_confirm_use_its_rows(officer_client):
    response = officer_client.post(f"{CE}import/", {
        "kind": "providers", "file": SimpleUploadedFile("r.xlsx", _workbook(_good_row(7)))})
    # Were the file parsed again, this would now be unreadable.
    PendingImport.objects.update(content=b"no longer a workbook")
    preview = officer_client.get(response["Location"])
    assert preview.status_code == 200 and "Hostile Home 7 (sample)" in preview.content.decode()
    assert officer_client.post(response["Location"]).status_code == 302
    assert Provider.objects.filter(cqc_location_id="1-777000007").exists()


def test_a_register_row_reports_all_its_errors_in_one_pass(cheshire_east):
    csv = ",".join(COLUMNS) + "\n,care_home_residential,123,10,maybe,no,green\n"
    errors = _refusal(cheshire_east, csv.encode(), filename="register.csv")
    assert {(e.row, e.field) for e in errors} == {
        (2, "name"), (2, "cqc_location_id"), (2, "prime_provider")}


def test_a_returns_row_reports_field_and_model_errors_in_one_pass(halton):
    home = Provider.objects.filter(council=halton, provider_type__startswith="care_home").first()
    cells = dict.fromkeys(RETURN_COLUMNS, "") | {
        "cqc_location_id": home.cqc_location_id, "date": "01/06/2020", "resident_cases": "2",
        "staff_cases": "0", "visitors_restricted": "perhaps"}
    content = (",".join(RETURN_COLUMNS) + "\n" + ",".join(cells[c] for c in RETURN_COLUMNS)
               + "\n").encode()
    with pytest.raises(ImportRefused) as refused:
        daily_returns_import(council=halton, filename="d.csv", content=content)
    assert {(e.row, e.field) for e in refused.value.result.errors} == {
        (2, "visitors_restricted"), (2, "resident_cases_confirmed_on")}


def test_a_register_import_racing_another_is_refused_clearly(cheshire_east, monkeypatch):
    original = imports_service.bulk_create_with_history

    def other_import_commits_first(objs, *args, **kwargs):
        Provider.objects.create(council=cheshire_east, name="Raced (sample)",
                                provider_type="care_at_home", cqc_location_id="1-777000001")
        return original(objs, *args, **kwargs)

    monkeypatch.setattr(imports_service, "bulk_create_with_history", other_import_commits_first)
    errors = _refusal(cheshire_east, _workbook(_good_row(1), _good_row(2)))
    assert [(e.row, e.field) for e in errors] == [(1, "file")]
    assert errors[0].message.startswith("Another import or edit added providers")
    assert not Provider.objects.filter(cqc_location_id="1-777000002").exists()


def test_a_returns_import_racing_another_is_refused_clearly(halton, monkeypatch):
    home = Provider.objects.filter(council=halton, provider_type__startswith="care_home").first()
    original = returns_import.bulk_create_with_history
    day = datetime.date(2020, 7, 15)
    DailyReturn.objects.filter(provider=home, date=day).delete()

    def other_import_commits_first(objs, *args, **kwargs):
        DailyReturn.objects.create(provider=home, date=day)
        return original(objs, *args, **kwargs)

    monkeypatch.setattr(returns_import, "bulk_create_with_history", other_import_commits_first)
    cells = dict.fromkeys(RETURN_COLUMNS, "") | {
        "cqc_location_id": home.cqc_location_id, "date": "15/07/2020", "resident_cases": "0",
        "staff_cases": "0"}
    content = (",".join(RETURN_COLUMNS) + "\n" + ",".join(cells[c] for c in RETURN_COLUMNS)
               + "\n").encode()
    with pytest.raises(ImportRefused) as refused:
        daily_returns_import(council=halton, filename="d.csv", content=content)
    assert refused.value.result.errors[0].message.startswith(
        "Another import or entry stored returns")


def test_an_upload_kept_before_files_were_read_once_is_read_on_preview(officer_client,
                                                                       cheshire_east):
    from winterplan.models import User

    csv = ",".join(COLUMNS) + "\n" + ",".join(map(str, _good_row(8))) + "\n"
    pending = PendingImport.objects.create(
        council=cheshire_east, user=User.objects.get(username="officer"), kind="providers",
        filename="old.csv", content=csv.encode())
    preview = officer_client.get(f"{CE}import/{pending.pk}/")
    assert preview.status_code == 200 and "Hostile Home 8 (sample)" in preview.content.decode()
    pending.refresh_from_db()
    assert pending.rows == [[2, dict(zip(COLUMNS, map(str, _good_row(8)), strict=True))]]


def test_confirming_an_upload_that_lost_a_race_answers_400_not_500(officer_client,
                                                                  cheshire_east, monkeypatch):
    response = officer_client.post(f"{CE}import/", {
        "kind": "providers", "file": SimpleUploadedFile("r.xlsx", _workbook(_good_row(9)))})
    original = imports_service.bulk_create_with_history

    def other_import_commits_first(objs, *args, **kwargs):
        Provider.objects.create(council=cheshire_east, name="Raced (sample)",
                                provider_type="care_at_home", cqc_location_id="1-777000009")
        return original(objs, *args, **kwargs)

    monkeypatch.setattr(imports_service, "bulk_create_with_history", other_import_commits_first)
    confirmed = officer_client.post(response["Location"])
    assert confirmed.status_code == 400
    assert "Another import or edit added providers" in confirmed.content.decode()
    assert PendingImport.objects.exists()


FUZZ = hypothesis_settings(max_examples=40, deadline=None,
                           suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(content=st.binary(max_size=2000), xlsx=st.booleans())
def test_any_bytes_are_imported_or_refused_never_an_exception(cheshire_east, content, xlsx):
    try:
        providers_import(council=cheshire_east, filename="f.xlsx" if xlsx else "f.csv",
                         content=content, dry_run=True)
    except ImportRefused as refused:
        assert refused.result.errors


@FUZZ
@given(cells=st.lists(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=300),
                     min_size=7, max_size=7))
def test_any_cell_text_in_a_workbook_is_imported_or_refused(cheshire_east, cells):
    content = _workbook(cells)
    try:
        providers_import(council=cheshire_east, filename="f.xlsx", content=content,
                         dry_run=True)
    except ImportRefused as refused:
        assert all(error.row in (1, 2) for error in refused.result.errors)
