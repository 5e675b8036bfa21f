"""The plans' part of the sample data (a step of winterplan.sample_data, named in
settings.SAMPLE_DATA_STEPS): the national plans and the sample councils' local plans, then
the second winter."""

from actions.models import LocalPlan, NationalPlan
from actions.services.plan_files import local_plan_import, national_plan_import, read_yaml

NATIONAL_PLANS = ("dhsc-asc-winter-plan-2020-21", "halton-care-home-resilience-plan")
LOCAL_PLANS = ("cheshire-east-2020-21", "halton-2020")


def plans_load(*, fixtures, update: bool, report, owners: bool, **_) -> None:
    """Each national plan, then each local plan, when missing (or with `update`)."""
    for slug in NATIONAL_PLANS:
        if not update and NationalPlan.objects.filter(slug=slug).exists():
            report.skipped.append(f"national plan {slug}")
            continue
        _, written = national_plan_import(
            read_yaml(fixtures / "national-plans" / f"{slug}.yaml"), update=update
        )
        report.add("national plan rows", written)
    for slug in LOCAL_PLANS:
        if not update and LocalPlan.objects.filter(slug=slug).exists():
            report.skipped.append(f"local plan {slug}")
            continue
        _, written = local_plan_import(
            read_yaml(fixtures / "local-plans" / f"{slug}.yaml"), update=update, owners=owners
        )
        report.add("local plan rows", written)


def second_winter_step(*, report, started, second_winter: bool = True, **_) -> None:
    """The second winter (actions.winters.sample), unless the caller asked for the first only."""
    if second_winter:
        from actions.winters.sample import second_winter_load

        second_winter_load(report=report, started=started)
