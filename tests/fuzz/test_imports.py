"""Every import, fuzzed through its upload page: a file of the right shape (the real header)
whose cells are hostile. The upload, its preview and its confirmation never answer 500, and
no page shows a cell as markup. A national plan imported with hostile text shows it escaped
and keeps no `javascript:` or `file:` link."""

import csv
import io

import openpyxl
import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from actions.models import NationalPlan, RequirementLink
from actions.plan_imports.files import COLUMNS as PLAN_COLUMNS
from providers.services import imports, returns_import
from tests.fuzz.support import FEW, STORABLE, assert_escaped, hostile_text, page_forms

pytestmark = pytest.mark.django_db

REGISTER = [*imports.REQUIRED_COLUMNS, *imports.OPTIONAL_COLUMNS]
RETURNS = [*returns_import.REQUIRED_COLUMNS, *returns_import.OPTIONAL_COLUMNS]
GOOD_REGISTER = {"name": "Fuzz Manor", "provider_type": "care_home_nursing",
                 "cqc_location_id": "1-999000001", "registered_beds": "20",
                 "prime_provider": "no", "council_run": "no", "risk_rating": "green",
                 "client_group": "older_people", "people_supported": ""}
GOOD_RETURN = {"cqc_location_id": "1-910000001", "date": "2020-07-16", "name": "Sycamore Manor",
               "issues": "", "overview": "Fine.",
               **dict.fromkeys(returns_import.COUNT_COLUMNS, "0"),
               **dict.fromkeys(returns_import.DATE_COLUMNS, ""),
               **dict.fromkeys(returns_import.FLAG_COLUMNS, "no")}


def _file(columns, rows, xlsx: bool) -> tuple[str, bytes]:
    if xlsx:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(columns)
        for row in rows:
            # A workbook cell cannot hold control characters: openpyxl refuses them itself.
            sheet.append([openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", row[c])
                          for c in columns])
        out = io.BytesIO()
        book.save(out)
        return "fuzz.xlsx", out.getvalue()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row[c] for c in columns])
    return "fuzz.csv", out.getvalue().encode("utf-8", "surrogatepass")


def _rows(good: dict, columns: list[str]):
    """One to three rows: the good row with hostile text typed over some of its cells."""
    row = st.dictionaries(st.sampled_from(columns), hostile_text(), max_size=4).map(
        lambda typed: good | typed)
    return st.lists(row, min_size=1, max_size=3)


def _upload_and_confirm(client, council, kind, filename, content) -> int:
    """Upload, preview and confirm as a person would; the last status."""
    base = f"/councils/{council}/providers/import/"
    response = client.post(base, {"kind": kind,
                                  "file": SimpleUploadedFile(filename, content)})
    assert response.status_code < 500
    assert_escaped(response)
    if response.status_code != 302:
        return response.status_code
    preview = client.get(response["Location"])
    assert preview.status_code < 500
    assert_escaped(preview)
    for form in page_forms(preview.content.decode()):
        if form.action in ("", response["Location"]) and form.fields:
            done = client.post(response["Location"], form.data({}))
            assert done.status_code < 500
            assert_escaped(done)
            if done.status_code == 302:
                shown = client.get(done["Location"])
                assert shown.status_code < 500
                assert_escaped(shown)
            return done.status_code
    return preview.status_code


@pytest.mark.parametrize("xlsx", [False, True], ids=["csv", "xlsx"])
def test_the_fuzzers_good_files_import(officer_client, halton_officer_client, admin_client,
                                       xlsx):
    """The shape the fuzzers start from is accepted, so hostile cells meet real parsing."""
    register = _file(REGISTER, [GOOD_REGISTER], xlsx)
    assert _upload_and_confirm(officer_client, "cheshire-east", "providers", *register) == 302
    returns = _file(RETURNS, [GOOD_RETURN], xlsx)
    assert _upload_and_confirm(halton_officer_client, "halton", "daily_returns",
                               *returns) == 302
    for plan in (_file(list(PLAN_COLUMNS), [GOOD_PLAN_ROW], xlsx),
                 ("fuzz.yaml", _plan_yaml(GOOD_PLAN_ROW))):
        with transaction.atomic():
            assert _upload_plan(admin_client, *plan) == 200
            assert NationalPlan.objects.filter(slug="fuzz-plan").exists(), plan[0]
            transaction.set_rollback(True)


def test_a_nul_character_in_an_import_is_refused_clearly_not_a_500(officer_client,
                                                                   halton_officer_client,
                                                                   admin_client):
    """PostgreSQL refused to store NUL (a 500, found by these fuzzers): now a file error."""
    for client, council, kind, columns, row in (
            (officer_client, "cheshire-east", "providers", REGISTER,
             GOOD_REGISTER | {"name": "Fuzz\x00Manor"}),
            (halton_officer_client, "halton", "daily_returns", RETURNS,
             GOOD_RETURN | {"overview": "a\x00b"})):
        response = client.post(f"/councils/{council}/providers/import/", {
            "kind": kind, "file": SimpleUploadedFile(*_file(columns, [row], False))})
        if response.status_code == 302:  # the file is read on its preview
            response = client.get(response["Location"])
        assert response.status_code in (200, 400)
        assert "NUL character" in response.content.decode(), kind
    plan = _plan_yaml(GOOD_PLAN_ROW | {"requirement": "a\x00b"})
    assert b"\\0" in plan
    response = admin_client.post("/admin-tools/national-plans/import/",
                                 {"file": SimpleUploadedFile("plan.yaml", plan)})
    assert "NUL character" in response.content.decode()
    assert not NationalPlan.objects.filter(slug="fuzz-plan").exists()


@pytest.mark.parametrize("xlsx", [False, True], ids=["csv", "xlsx"])
def test_a_hostile_provider_register_never_answers_500_nor_shows_markup(officer_client, xlsx):
    @FEW
    @given(rows=_rows(GOOD_REGISTER, REGISTER))
    def upload(rows):
        with transaction.atomic():
            _upload_and_confirm(officer_client, "cheshire-east", "providers",
                                *_file(REGISTER, rows, xlsx))
            transaction.set_rollback(True)

    upload()


@pytest.mark.parametrize("xlsx", [False, True], ids=["csv", "xlsx"])
def test_hostile_daily_returns_never_answer_500_nor_show_markup(halton_officer_client, xlsx):
    @FEW
    @given(rows=_rows(GOOD_RETURN, RETURNS))
    def upload(rows):
        with transaction.atomic():
            _upload_and_confirm(halton_officer_client, "halton", "daily_returns",
                                *_file(RETURNS, rows, xlsx))
            transaction.set_rollback(True)

    upload()


# --- National plans ------------------------------------------------------------------------

GOOD_PLAN_ROW = {"theme": "Fuzz theme", "part": "local_authority", "key_area": "Fuzz area",
                 "audience": "local_authority", "requirement": "Do the thing.",
                 "kind": "bullet", "link_title": "Guidance",
                 "link_url": "https://example.org/guidance"}
PLAN_FIELDS = {"slug": "fuzz-plan", "title": "Fuzz plan", "publisher": "Fuzz",
               "published": "01/10/2020"}


def _plan_yaml(row: dict) -> bytes:
    requirement = {"text": row["requirement"], "kind": row["kind"],
                   "audience": row["audience"]}
    if row["link_url"] or row["link_title"]:
        requirement["links"] = [{"title": row["link_title"], "url": row["link_url"]}]
    return yaml.safe_dump({
        "slug": "fuzz-plan", "title": row["theme"], "publisher": "Fuzz",
        "published": "2020-10-01",
        "themes": [{"title": row["theme"], "part": row["part"], "key_areas": [
            {"slug": "fuzz-area", "title": row["key_area"], "requirements": [requirement]}]}],
    }, allow_unicode=True).encode()


def _upload_plan(client, filename, content) -> int:
    response = client.post("/admin-tools/national-plans/import/",
                           {"file": SimpleUploadedFile(filename, content), **PLAN_FIELDS})
    assert response.status_code < 500
    assert_escaped(response)
    for form in page_forms(response.content.decode()):
        if form.action.endswith("/apply/"):
            done = client.post(form.action, form.data({}))
            assert done.status_code < 500
            assert_escaped(done)
            assert not RequirementLink.objects.filter(
                url__iregex=r"^\s*(javascript|file|data):").exists()
            return done.status_code
    return response.status_code


@pytest.mark.parametrize("kind", ["yaml", "csv", "xlsx"])
def test_a_hostile_national_plan_never_answers_500_nor_keeps_a_script_link(admin_client, kind):
    @FEW
    @given(typed=st.dictionaries(st.sampled_from(PLAN_COLUMNS), st.one_of(
        hostile_text(), st.sampled_from(STORABLE)), max_size=4))
    def upload(typed):
        row = GOOD_PLAN_ROW | typed
        with transaction.atomic():
            if kind == "yaml":
                _upload_plan(admin_client, "fuzz.yaml", _plan_yaml(row))
            else:
                _upload_plan(admin_client, *_file(list(PLAN_COLUMNS), [row], kind == "xlsx"))
            transaction.set_rollback(True)

    upload()
