"""Importing a national plan from YAML, CSV or XLSX: the command, refs, re-imports and limits."""

import copy
import importlib
import io
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from actions.models import (
    Commentary,
    KeyArea,
    LocalAction,
    NationalPlan,
    Requirement,
    RequirementAssessment,
)
from actions.plan_imports.files import read_plan_file
from actions.plan_imports.services import PlanImportRefused, plan_import_apply
from actions.services.plan_files import local_plan_import

pytestmark = pytest.mark.django_db
DHSC = "dhsc-asc-winter-plan-2020-21"
DHSC_FILE = settings.BASE_DIR / "fixtures" / "national-plans" / f"{DHSC}.yaml"
HEADER = ["theme", "part", "key_area", "audience", "requirement", "kind", "link_title",
          "link_url", "ref"]

GOOD_YAML = """\
slug: test-winter-2021-22
title: Test winter plan 2021 to 2022
publisher: Department of Health and Social Care
published: 2021-11-03
themes:
  - title: Infection control
    key_areas:
      - slug: infection-prevention-and-control
        title: Infection prevention and control
        requirements:
          - text: Keep the IPC guidance under review.
            audience: "Local authorities should:"
          - text: Share the guidance with providers.
            links:
              - {title: Guidance, url: "https://www.gov.uk/guidance"}
      - slug: visiting
        title: Visiting
        requirements:
          - text: Support safe visiting.
            ref: VIS-A
"""

BAD_YAML = """\
slug: test-bad-plan
title: A bad plan
publisher: Somebody
published: not a date
themes:
  - title: Theme one
    key_areas:
      - slug: area-one
        title: Area one
        requirements:
          - text: Fine.
          - audience: "No text here:"
          - text: Odd kind.
            kind: shout
          - text: Bad link.
            links:
              - {title: Link, url: "ftp://example.org/file"}
"""


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", "actions", stdout=out)
    return out.getvalue()


def _refs(slug: str) -> list[tuple[str, int, str, str]]:
    return list(Requirement.objects.filter(key_area__national_plan__slug=slug).order_by(
        "key_area__theme__position", "key_area__position", "position",
    ).values_list("key_area__slug", "position", "ref", "text"))


# --- good and bad files -------------------------------------------------------------------


def test_a_good_yaml_plan_is_imported_with_refs_made_from_its_key_areas(tmp_path):
    path = _write(tmp_path, "plan.yaml", GOOD_YAML)
    out = io.StringIO()
    call_command("import_national_plan", str(path), "--dry-run", stdout=out)
    assert "3 requirements" in out.getvalue() and "Dry run" in out.getvalue()
    assert not NationalPlan.objects.filter(slug="test-winter-2021-22").exists()

    call_command("import_national_plan", str(path), stdout=io.StringIO())
    plan = NationalPlan.objects.get(slug="test-winter-2021-22")
    assert plan.confirmation_deadline is None
    assert [row[2] for row in _refs(plan.slug)] == ["IPC-1", "IPC-2", "VIS-A"]
    assert Requirement.objects.get(ref="IPC-2", key_area__national_plan=plan).links.get().url \
        == "https://www.gov.uk/guidance"


def test_a_bad_yaml_plan_names_every_error_by_line_and_field_and_writes_nothing(tmp_path):
    path = _write(tmp_path, "bad.yaml", BAD_YAML)
    before = _dump()
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_national_plan", str(path), stderr=err)
    messages = err.getvalue()
    assert "line 4, published: “not a date” is not a date" in messages
    # The loader's marks, not a guess: first the top level, then every item.
    plan_file = read_plan_file("bad.yaml", BAD_YAML.encode())
    with pytest.raises(PlanImportRefused) as refused:
        plan_import_apply(data={**plan_file.data, "published": "2021-01-01"},
                          lines=plan_file.lines, names=plan_file.names)
    errors = [str(error) for error in refused.value.report.errors]
    assert any(e.startswith("line 12, text:") for e in errors), errors
    assert any(e.startswith("line 14, kind:") for e in errors), errors
    assert any(e.startswith("line 17, links.url:") for e in errors), errors
    assert _dump() == before


def test_yaml_that_does_not_parse_names_its_line(tmp_path):
    path = _write(tmp_path, "broken.yaml", "slug: x\ntitle: [unclosed\npublisher: y\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_national_plan", str(path), stderr=err)
    assert "line 3" in err.getvalue() and "not valid YAML" in err.getvalue()


def test_a_good_xlsx_plan_takes_its_plan_fields_from_the_options(tmp_path):
    content = _xlsx([
        HEADER,
        ["Discharge", "local_authority", "Hospital discharge", "Councils should:",
         "Follow the discharge guidance.", "bullet", "Guidance", "https://www.gov.uk/d", ""],
        ["", "", "", "", "", "", "Second link", "https://www.gov.uk/e", ""],
        ["Discharge", "local_authority", "Hospital discharge", "", "Fund the discharge.",
         "paragraph", "", "", "HD-FUND"],
        ["Workforce", "nhs", "Staff wellbeing", "", "Support staff.", "", "", "", ""],
    ])
    path = _write(tmp_path, "plan.xlsx", content)
    call_command("import_national_plan", str(path), "--slug", "xlsx-plan", "--title",
                 "XLSX plan", "--publisher", "DHSC", "--published", "03/11/2021",
                 stdout=io.StringIO())
    plan = NationalPlan.objects.get(slug="xlsx-plan")
    assert [(t.title, t.part) for t in plan.themes.order_by("position")] == [
        ("Discharge", "local_authority"), ("Workforce", "nhs")]
    assert [row[:3] for row in _refs("xlsx-plan")] == [
        ("hospital-discharge", 1, "HD-1"), ("hospital-discharge", 2, "HD-FUND"),
        ("staff-wellbeing", 1, "SW-1")]
    first = Requirement.objects.get(key_area__national_plan=plan, ref="HD-1")
    assert [link.title for link in first.links.order_by("position")] == ["Guidance",
                                                                        "Second link"]


def test_a_bad_xlsx_plan_names_every_error_by_row_and_column(tmp_path):
    content = _xlsx([
        HEADER,
        ["Theme", "", "Area", "", "Fine.", "", "", "", ""],
        ["Theme", "", "Area", "", "", "", "", "", ""],
        ["Theme", "", "Area", "", "Odd.", "shout", "", "", ""],
        ["Theme", "", "Area", "", "Link.", "", "Link", "javascript:alert(1)", ""],
        ["Theme", "", "Area", "", "Twice.", "", "", "", "R-1"],
        ["Theme", "", "Area", "", "Again.", "", "", "", "R-1"],
        ["Theme", "", "Other", "", "Between.", "", "", "", ""],
        ["Theme", "", "Area", "", "Area again.", "", "", "", ""],
    ])
    plan_file = read_plan_file("bad.xlsx", content, {"slug": "bad-xlsx", "title": "Bad",
                                                     "publisher": "DHSC",
                                                     "published": "2021-11-03"})
    with pytest.raises(PlanImportRefused) as refused:
        plan_import_apply(data=plan_file.data, lines=plan_file.lines, names=plan_file.names)
    errors = [str(error) for error in refused.value.report.errors]
    assert any(e.startswith("row 3, requirement:") for e in errors), errors
    assert any(e.startswith("row 4, kind:") for e in errors), errors
    assert any(e.startswith("row 5, link_url:") for e in errors), errors
    assert any(e.startswith("row 7, ref:") and "row 6" in e for e in errors), errors
    assert any(e.startswith("row 9, key_area_slug:") and "row 2" in e for e in errors), errors
    assert not NationalPlan.objects.filter(slug="bad-xlsx").exists()


def test_a_spreadsheet_without_its_plan_fields_names_them():
    content = b"theme,part,key_area,audience,requirement,kind,link_title,link_url\n" \
              b"T,,A,,Text.,,,\n"
    plan_file = read_plan_file("plan.csv", content, {})
    with pytest.raises(PlanImportRefused) as refused:
        plan_import_apply(data=plan_file.data, lines=plan_file.lines, names=plan_file.names)
    fields = {error.field for error in refused.value.report.errors}
    assert {"slug", "title", "publisher", "published"} <= fields


@pytest.mark.parametrize(("name", "content", "message"), [
    ("plan.docx", b"PK\x03\x04", "not a plan file"),
    ("plan.yaml", b"#" * (5 * 1024 * 1024 + 1), "at most 5 MB"),
    ("plan.csv", ("theme,part,key_area,audience,requirement,kind,link_title,link_url\n"
                  + "T,,A,,Text.,,,\n" * 5001).encode(), "at most 5,000 rows"),
    ("plan.xlsx", b"not a zip", "not a readable XLSX"),
    ("plan.yaml", b"slug: x\nthemes: &t [{title: T}]\nmore: *t\n", "Anchors and aliases"),
    ("plan.yaml", b"[" * 5000 + b"]" * 5000, "nested too deeply"),
])
def test_files_of_another_type_too_large_or_too_long_are_refused_clearly(name, content,
                                                                          message):
    plan_file = read_plan_file(name, content, {})
    assert message in " ".join(str(error) for error in plan_file.errors)


# --- re-imports and refs ------------------------------------------------------------------


def test_a_re_import_removing_an_answered_requirement_is_refused_and_changes_nothing():
    # Without refs in the file requirements are matched by position: drop an area's last one.
    answered = next(
        requirement for requirement in Requirement.objects.filter(
            key_area__national_plan__slug=DHSC, local_actions__isnull=False).distinct()
        if requirement.position == requirement.key_area.requirements.count())
    data = yaml.safe_load(DHSC_FILE.read_text())
    for theme in data["themes"]:
        for area in theme["key_areas"]:
            if area["slug"] == answered.key_area.slug:
                del area["requirements"][answered.position - 1]
                area["requirements"][0]["text"] += " (reworded)"
    before = _dump()
    with pytest.raises(PlanImportRefused) as refused:
        plan_import_apply(data=data)
    message = " ".join(str(error) for error in refused.value.report.errors)
    assert answered.ref in message and answered.text[:60] in message
    assert _dump() == before


def test_refs_are_stable_across_a_re_import_that_rewords_and_reorders():
    before = {(slug, position): ref for slug, position, ref, _ in _refs(DHSC)}
    data = yaml.safe_load(DHSC_FILE.read_text())
    area = data["themes"][0]["key_areas"][0]
    area["requirements"][0]["text"] += " (reworded)"
    report = plan_import_apply(data=copy.deepcopy(data))
    assert report.requirements.changed == 1 and report.requirements.new == 0
    after = {(slug, position): ref for slug, position, ref, _ in _refs(DHSC)}
    assert after == before
    old = Requirement.objects.get(key_area__slug=area["slug"], position=1,
                                  key_area__national_plan__slug=DHSC)
    assert old.history.count() >= 2  # the old wording is kept in history

    # With refs in the file, requirements follow their ref when reordered.
    first, second = area["requirements"][0], area["requirements"][1]
    first["ref"], second["ref"] = before[(area["slug"], 1)], before[(area["slug"], 2)]
    area["requirements"][0], area["requirements"][1] = second, first
    plan_import_apply(data=data)
    moved = {ref: (position, text) for slug, position, ref, text in _refs(DHSC)
             if slug == area["slug"]}
    assert moved[first["ref"]] == (2, first["text"])
    assert moved[second["ref"]] == (1, second["text"])
    # A third import of the same file changes nothing.
    again = plan_import_apply(data=data)
    assert again.written == 0


def test_an_unanswered_requirement_removed_is_deleted_and_a_new_one_gets_a_fresh_ref():
    data = yaml.safe_load(DHSC_FILE.read_text())
    area_data = data["themes"][0]["key_areas"][0]
    area = KeyArea.objects.get(national_plan__slug=DHSC, slug=area_data["slug"])
    requirement = area.requirements.order_by("position").last()
    LocalAction.requirements.through.objects.filter(requirement=requirement).delete()
    Commentary.objects.filter(requirement=requirement).update(requirement=None)
    RequirementAssessment.objects.filter(requirement=requirement).update(
        compliance="not_assessed")
    refs = [ref for _, _, ref, _ in _refs(DHSC)]
    area_data["requirements"].pop()
    other = data["themes"][0]["key_areas"][1]
    other["requirements"].append({"text": "A brand new ask."})
    report = plan_import_apply(data=data)
    assert report.requirements.deleted == 1 and report.requirements.new == 1
    assert not Requirement.objects.filter(pk=requirement.pk).exists()
    new = Requirement.objects.get(key_area__national_plan__slug=DHSC, text="A brand new ask.")
    prefix = next(ref for slug, _, ref, _ in _refs(DHSC) if slug == other["slug"]).split("-")[0]
    assert new.ref == f"{prefix}-{len(other['requirements'])}" and new.ref not in refs


def test_the_migration_backfills_the_same_refs_deterministically():
    before = _refs(DHSC)
    migration = importlib.import_module("actions.migrations.0009_requirement_ref")
    Requirement.objects.update(ref="")
    migration.backfill_refs(apps, None)
    assert _refs(DHSC) == before
    assert before[0][2] and len({ref for _, _, ref, _ in before}) == len(before)


# --- a plan without a letter --------------------------------------------------------------


def test_a_plan_without_a_confirmation_letter_has_no_letter_panel_and_its_pages_work(
        tmp_path, officer_client):
    call_command("import_national_plan", str(_write(tmp_path, "plan.yaml", GOOD_YAML)),
                 stdout=io.StringIO())
    local_plan_import({
        "slug": "cheshire-east-2021-22", "council": "cheshire-east",
        "national_plan": "test-winter-2021-22", "title": "Cheshire East winter plan 2021/22",
        "as_at": "2021-11-10",
    }, owners=False)
    base = "/plans/cheshire-east-2021-22/"
    dashboard = officer_client.get(base)
    assert dashboard.status_code == 200
    assert "Letter to DHSC" not in dashboard.getvalue().decode()
    area = officer_client.get(base + "areas/infection-prevention-and-control/")
    assert area.status_code == 200 and "IPC-1" in area.getvalue().decode()
    for path in ("actions/", "areas/", "documents/"):
        assert officer_client.get(base + path).status_code == 200, path


# --- where refs show ----------------------------------------------------------------------


def test_refs_show_on_the_key_area_page_and_in_the_export_but_not_in_appendix_two(
        officer_client):
    plan = "/plans/cheshire-east-2020-21/"
    area = officer_client.get(plan + "areas/seasonal-flu-vaccines/").getvalue().decode()
    assert "SFV-1" in area and "SFV-3" in area
    export = officer_client.get(plan + "actions/?_export=csv").getvalue().decode()
    header, *rows = export.splitlines()
    assert header.endswith("Requirement refs")
    answered = LocalAction.objects.filter(
        local_key_area__local_plan__slug="cheshire-east-2020-21",
        requirements__isnull=False).distinct().first()
    refs = ", ".join(answered.requirements.order_by("position").values_list("ref", flat=True))
    assert any(row.endswith(refs) or row.endswith(f'"{refs}"') for row in rows), refs
    appendix = officer_client.get(plan + "documents/appendix-two/").getvalue().decode()
    assert "Seasonal Flu Vaccines" in appendix and "SFV-1" not in appendix
