"""Cloning last winter's plan onto the next national plan: what is carried, what is left."""

import datetime
import io

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from actions.models import (
    ActionLink,
    ActionStatus,
    Commentary,
    CommentaryLink,
    LocalAction,
    LocalKeyArea,
    LocalPlan,
    NationalPlan,
    RequirementAssessment,
)
from actions.services.plan_files import national_plan_import, read_yaml
from actions.winters.mapping import read_mapping
from actions.winters.sample import CLONES, FIXTURES, SECOND_WINTER_PLAN
from actions.winters.services import CloneRefused, plan_clone, plan_clone_preview
from winterplan.models import User

pytestmark = pytest.mark.django_db
OLD = "cheshire-east-2020-21"
MAPPING = FIXTURES / "mappings" / CLONES[0][3]
AS_AT = datetime.date(2021, 11, 17)


@pytest.fixture
def next_plan():
    national_plan_import(
        read_yaml(FIXTURES / "national-plans" / f"{SECOND_WINTER_PLAN}.yaml"), update=False)
    return NationalPlan.objects.get(slug=SECOND_WINTER_PLAN)


def _mapping(text: str, name="map.csv"):
    return read_mapping(name, text.encode())


def _dump_old_plan() -> str:
    """The old plan's rows and their history, serialised as dumpdata does (JSON, by pk)."""
    plan = LocalPlan.objects.get(slug=OLD)
    areas = LocalKeyArea.objects.filter(local_plan=plan)
    actions = LocalAction.objects.filter(local_key_area__in=areas)
    bullets = Commentary.objects.filter(local_key_area__in=areas)
    querysets = [
        LocalPlan.objects.filter(pk=plan.pk), areas, actions, bullets,
        CommentaryLink.objects.filter(commentary__in=bullets),
        ActionLink.objects.filter(action__in=actions),
        RequirementAssessment.objects.filter(local_plan=plan),
        LocalPlan.history.filter(id=plan.pk),
        LocalKeyArea.history.filter(local_plan_id=plan.pk),
        LocalAction.history.filter(id__in=actions.values("pk")),
        Commentary.history.filter(id__in=bullets.values("pk")),
    ]
    return "\n".join(serializers.serialize("json", qs.order_by("pk"), indent=1)
                     for qs in querysets)


def _clone(next_plan, **kwargs):
    manager = User.objects.get(username="manager")
    arguments = {"source": LocalPlan.objects.get(slug=OLD), "national_plan": next_plan,
                 "slug": "cheshire-east-2021-22", "as_at": AS_AT, "user": manager,
                 "mapping": read_mapping(MAPPING.name, MAPPING.read_bytes())} | kwargs
    return plan_clone(**arguments)


def test_clone_carries_open_actions_reset_and_leaves_old_plan_byte_identical(next_plan):
    old_plan = LocalPlan.objects.get(slug=OLD)
    before = _dump_old_plan()
    open_old = list(LocalAction.objects.for_plan(old_plan).exclude(status=ActionStatus.COMPLETE)
                    .filter(local_key_area__key_area__slug__in=[
                        "personal-protective-equipment", "covid-19-testing",
                        "seasonal-flu-vaccines", "safe-discharge", "visiting-guidance",
                        "support-for-unpaid-carers", "funding",
                        "market-and-provider-sustainability",
                        "infection-prevention-outbreak-management"]))
    assert open_old, "the sample has open actions in matched areas"
    plan, _ = _clone(next_plan)

    carried = list(LocalAction.objects.for_plan(plan).select_related("carried_from"))
    assert sorted(a.carried_from_id for a in carried) == sorted(a.pk for a in open_old)
    assert all(a.status == ActionStatus.NOT_STARTED for a in carried)
    for action in carried:
        old = action.carried_from
        if old.deadline_ongoing:
            assert action.deadline_ongoing
        elif old.deadline and old.deadline > AS_AT:
            assert action.deadline == old.deadline
        else:
            assert action.deadline is None and action.deadline_needed
    assert not LocalAction.objects.for_plan(plan).filter(
        carried_from__status=ActionStatus.COMPLETE).exists()
    assert plan.carried_from == old_plan
    flu = LocalKeyArea.objects.get(local_plan=plan,
                                   key_area__slug="seasonal-flu-and-covid-19-vaccines")
    assert flu.carried_from.key_area.slug == "seasonal-flu-vaccines"
    assert flu.responsible_team == flu.carried_from.responsible_team
    assert flu.narrative == flu.carried_from.narrative
    assert not Commentary.objects.filter(local_key_area__local_plan=plan).exists()
    manager = User.objects.get(username="manager")
    history = LocalAction.history.filter(local_key_area__local_plan=plan)
    assert history.exists() and all(h.history_user_id == manager.pk for h in history)
    assert _dump_old_plan() == before


def test_requirements_follow_the_mapping_file(next_plan):
    plan, _ = _clone(next_plan)
    flu_actions = LocalAction.objects.for_plan(plan).filter(
        carried_from__requirements__ref="SFV-2").distinct()
    for action in flu_actions:
        assert "VAC-1" in set(action.requirements.values_list("ref", flat=True))


def test_commentary_is_carried_only_when_asked(next_plan):
    plan, preview = _clone(next_plan, with_commentary=True)
    carried = Commentary.objects.filter(local_key_area__local_plan=plan)
    assert carried.count() == preview.commentary > 0
    assert all(bullet.carried_from_id for bullet in carried)


def test_preview_lists_matched_new_and_dropped_key_areas_and_writes_nothing(next_plan):
    count = LocalPlan.objects.count()
    preview = plan_clone_preview(source=LocalPlan.objects.get(slug=OLD), national_plan=next_plan,
                                 slug="cheshire-east-2021-22", as_at=AS_AT,
                                 mapping=read_mapping(MAPPING.name, MAPPING.read_bytes()))
    matched = {(m.old.key_area.slug, m.new.slug, m.how) for m in preview.matched}
    assert ("personal-protective-equipment", "personal-protective-equipment", "slug") in matched
    assert ("covid-19-testing", "testing", "title") in matched
    assert ("seasonal-flu-vaccines", "seasonal-flu-and-covid-19-vaccines", "title") in matched
    assert [a.slug for a in preview.new_areas] == ["workforce-recruitment-and-retention"]
    assert "managing-staff-movement" in {a.key_area.slug for a in preview.dropped}
    assert ("SFV-1", "VAC-2") in {(r.old_ref, r.new_ref) for r in preview.requirements}
    assert not preview.errors
    assert LocalPlan.objects.count() == count


def test_mapping_file_with_unknown_refs_is_refused_naming_them(next_plan):
    mapping = _mapping("old_ref,new_ref\nSFV-1,VAC-1\nNOPE-9,VAC-1\nPPE-1,GONE-1\n")
    with pytest.raises(CloneRefused) as refused:
        _clone(next_plan, mapping=mapping)
    errors = " ".join(refused.value.preview.errors)
    assert "Row 3, old_ref: “NOPE-9”" in errors and "Row 4, new_ref: “GONE-1”" in errors
    assert not LocalPlan.objects.filter(slug="cheshire-east-2021-22").exists()


def test_mapping_file_errors_name_row_or_line_and_field():
    assert read_mapping("m.csv", b"old_ref,new_ref\n,VAC-1\n").errors == [
        "Row 2, old_ref: give last winter's reference."]
    yaml_errors = read_mapping("m.yaml", b"mappings:\n  - {old_ref: A, new_ref: B}\n"
                               b"  - {old_ref: A, new_ref: C}\n").errors
    assert yaml_errors == ["Line 3, old_ref: “A” is mapped already (Line 2)."]
    assert "CSV, XLSX or YAML" in read_mapping("m.pdf", b"%PDF").errors[0]
    assert "at most 5 MB" in read_mapping("m.csv", b"x" * (5 * 1024 * 1024 + 1)).errors[0]


def test_clone_onto_a_plan_the_council_has_is_refused_with_its_link(next_plan):
    plan, _ = _clone(next_plan)
    with pytest.raises(CloneRefused) as refused:
        _clone(next_plan, slug="another-slug")
    assert refused.value.preview.existing == plan
    assert refused.value.preview.existing_url == f"/plans/{plan.slug}/"


def test_command_dry_run_writes_nothing_and_apply_is_attributed_to_system(next_plan):
    out = io.StringIO()
    call_command("clone_plan", "--from", OLD, "--national-plan", next_plan.slug, "--slug",
                 "ce-2021", "--as-at", "17/11/2021", "--mapping", str(MAPPING), "--dry-run",
                 stdout=out)
    assert "Dropped key areas" in out.getvalue() and "SFV-1 → VAC-2" in out.getvalue()
    assert not LocalPlan.objects.filter(slug="ce-2021").exists()
    call_command("clone_plan", "--from", OLD, "--national-plan", next_plan.slug, "--slug",
                 "ce-2021", "--as-at", "17/11/2021", stdout=io.StringIO())
    history = LocalPlan.objects.get(slug="ce-2021").history.get()
    assert history.history_user.username == "system"
    with pytest.raises(CommandError, match="already has a plan"):
        call_command("clone_plan", "--from", OLD, "--national-plan", next_plan.slug,
                     "--slug", "ce-2021b", stdout=io.StringIO())


def test_sample_second_winter_loads_once(next_plan):
    from django.utils import timezone

    from actions.winters.sample import second_winter_load
    from winterplan.sample_data import LoadReport

    NationalPlan.objects.filter(slug=SECOND_WINTER_PLAN).delete()
    report = LoadReport()
    second_winter_load(report=report, started=timezone.now())
    assert report.total > 0
    plan = LocalPlan.objects.get(slug="cheshire-east-2021-22")
    assert plan.history.get().history_date.date() == datetime.date(2021, 11, 17)
    again = LoadReport()
    second_winter_load(report=again, started=timezone.now())
    assert again.total == 0
