"""The sample's second winter: the illustrative 2021/22 plan imported and Cheshire East's
2020/21 plan cloned onto it (a second load writes nothing). Called by winterplan's sample load."""

import datetime

from django.conf import settings

from actions.models import LocalPlan, NationalPlan
from actions.services.plan_files import national_plan_import, read_yaml
from actions.winters.mapping import read_mapping
from actions.winters.services import plan_clone
from winterplan.history import history_moment, history_redate, system_user

FIXTURES = settings.BASE_DIR / "fixtures"
SECOND_WINTER_PLAN = "illustrative-asc-winter-plan-2021-22"
#: (last winter's plan, the new plan's slug, its as-at date, the mapping file)
CLONES = (
    ("cheshire-east-2020-21", "cheshire-east-2021-22", datetime.date(2021, 11, 17),
     "dhsc-2020-21-to-illustrative-2021-22.csv"),
)


def second_winter_load(*, report, started: datetime.datetime) -> None:
    """Import the second winter's national plan and clone the sample plans onto it, each only
    when missing; history dated when it was true (the plan's publication, the clone's as-at)."""
    if NationalPlan.objects.filter(slug=SECOND_WINTER_PLAN).exists():
        report.skipped.append(f"national plan {SECOND_WINTER_PLAN}")
    else:
        _, written = national_plan_import(
            read_yaml(FIXTURES / "national-plans" / f"{SECOND_WINTER_PLAN}.yaml"), update=False)
        report.add("national plan rows", written)
        plan = NationalPlan.objects.get(slug=SECOND_WINTER_PLAN)
        moment = history_moment(plan.published_on)
        history_redate(NationalPlan, since=started, moment=moment, id=plan.pk)
        for name in ("themes", "key_areas"):
            model = getattr(plan, name).model
            history_redate(model, since=started, moment=moment, national_plan_id=plan.pk)
    national_plan = NationalPlan.objects.get(slug=SECOND_WINTER_PLAN)
    for source_slug, slug, as_at, mapping_name in CLONES:
        if LocalPlan.objects.filter(slug=slug).exists():
            report.skipped.append(f"local plan {slug}")
            continue
        path = FIXTURES / "mappings" / mapping_name
        plan, preview = plan_clone(
            source=LocalPlan.objects.get(slug=source_slug), national_plan=national_plan,
            slug=slug, as_at=as_at, user=system_user(),
            mapping=read_mapping(path.name, path.read_bytes()), history_date=as_at)
        report.add("local plan rows", 1 + len(preview.matched) + len(preview.new_areas)
                   + preview.actions + preview.commentary)
