"""Build a national-scale copy of the sample: many synthetic councils, each with a copy of the
Cheshire East plan, an uneven share of the providers, daily returns, risk rows and an Infection
Control Fund round allocated and partly paid.

Everything is written with bulk inserts (and bulk history: every row a council would have in
history is there, dated now). The numbers are deterministic for given arguments (a seeded
random generator), so two builds measure the same thing.
"""

import datetime
import math
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from simple_history.utils import bulk_create_with_history

from actions.models import (
    Commentary,
    LocalAction,
    LocalKeyArea,
    LocalPlan,
    RequirementAssessment,
)
from providers.models import (
    BusinessContinuityPlan,
    DailyReturn,
    EscalationRule,
    IcfAllocation,
    IcfRound,
    IcfShare,
    IcfTranche,
    Provider,
    ProviderRisk,
)
from providers.models.register import CARE_HOME_TYPES
from providers.services.escalation import escalations_evaluate
from providers.services.funding import icf_payments_record, icf_tranche_allocate
from winterplan import permissions, versions
from winterplan.models import Council, Region, Team, User

TEMPLATE_PLAN = "cheshire-east-2020-21"
TEMPLATE_COUNCIL = "cheshire-east"
RULES_FROM = "halton"
SLUG_PREFIX = "synthetic-"
SYNTHETIC_NOTICE = (
    "Synthetic data built by build_scale_data for benchmarks: the council, its plan, providers "
    "and figures are made up."
)
BATCH = 2000
#: Share of a council's providers that are care homes (the rest: care at home, complex care).
CARE_HOME_SHARE = 2 / 3
OTHER_TYPES = ("care_at_home", "complex_care", "supported_living")
#: Of the care homes' days, the share with a return (the rest were missed).
RETURN_RATE = 0.92


class ScaleRefused(Exception):
    """The database holds data that is not synthetic (or the template is missing)."""


@dataclass
class ScaleReport:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    largest_council: str = ""
    largest_plan: str = ""

    def add(self, what: str, count: int) -> None:
        self.counts[what] = self.counts.get(what, 0) + int(count)


def synthetic_councils():
    """The councils this builder made."""
    return Council.objects.filter(slug__startswith=SLUG_PREFIX, sample_notice=SYNTHETIC_NOTICE)


def real_councils_with_data() -> list[str]:
    """Councils holding plans or providers that are neither synthetic nor sample data (a
    council whose `sample_notice` is blank holds real data)."""
    with_data = Council.objects.filter(
        Exists(LocalPlan.objects.filter(council=OuterRef("pk")))
        | Exists(Provider.objects.filter(council=OuterRef("pk"))),
        sample_notice="",
    ).exclude(slug__startswith=SLUG_PREFIX)
    return sorted(set(with_data.values_list("name", flat=True)))


def council_sizes(*, councils: int, providers: int) -> list[int]:
    """Providers per council, largest first and uneven: the largest has 3% of all (450 of
    15,000), at least twice the mean; the others fall away linearly to a fifth of the mean."""
    if councils <= 0:
        return []
    largest = min(providers, max(round(providers * 0.03), math.ceil(2 * providers / councils)))
    rest = providers - largest
    if councils == 1:
        return [providers]
    weights = [1 + 4 * (councils - 1 - index) / max(1, councils - 2)
               for index in range(councils - 1)]
    total = sum(weights)
    sizes = [int(rest * weight / total) for weight in weights]
    for index in range(rest - sum(sizes)):
        sizes[index % len(sizes)] += 1
    return [largest, *sorted(sizes, reverse=True)]


def _clone(obj, **overrides):
    """An unsaved copy of `obj` with `overrides` (field names or attnames)."""
    values = {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields if not f.primary_key
    }
    values.update(overrides)
    return type(obj)(**values)


@transaction.atomic
def scale_data_build(*, councils: int, providers: int, days: int, force: bool = False,
                     password: str | None = None, seed: int = 2020, log=None) -> ScaleReport:
    """Build `councils` synthetic councils sharing `providers` providers, with `days` days of
    returns ending on the sample plan's as-at date. Refused (ScaleRefused) when the database
    holds real councils' data, unless `force`; refused when synthetic councils exist already."""
    log = log or (lambda message: None)
    report = ScaleReport()
    if not force:
        real = real_councils_with_data()
        if real:
            raise ScaleRefused(
                f"This database holds data of councils that are not synthetic or sample data "
                f"({', '.join(real[:5])}{'…' if len(real) > 5 else ''}); use --force to add "
                f"synthetic councils beside them."
            )
    if synthetic_councils().exists():
        raise ScaleRefused(
            f"This database already holds {synthetic_councils().count()} synthetic councils; "
            "build into an empty database."
        )
    template = LocalPlan.objects.select_related("council").filter(slug=TEMPLATE_PLAN).first()
    if template is None:
        from winterplan.sample_data import sample_data_load

        log("Loading the sample data first (the template plan is missing)…")
        sample_data_load()
        template = LocalPlan.objects.select_related("council").get(slug=TEMPLATE_PLAN)
    rng = random.Random(seed)
    end = template.as_at
    clock = time.perf_counter()

    def lap(what: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.seconds[what] = round(now - clock, 2)
        log(f"  {what}: {report.seconds[what]:.1f} s")
        clock = now

    made = _councils_build(councils, template.council, report)
    _users_build(made, password, report)
    lap("councils, teams and users")
    _plans_build(made, template, report)
    lap("plans")
    sizes = council_sizes(councils=councils, providers=providers)
    _providers_build(made, sizes, rng, report)
    lap("providers and continuity plans")
    _rules_build(made, report)
    _returns_build(made, days=days, end=end, rng=rng, report=report)
    lap("daily returns")
    for council in made:
        report.add("provider risk rows", escalations_evaluate(council=council, as_at=end).written)
    lap("risk rows")
    _funding_build(made, template.council, report, end=end)
    lap("Infection Control Fund")
    versions.bump((council.pk for council in made), versions.BOTH)  # bulk writes: no signals
    report.largest_council = made[0].slug if made else ""
    report.largest_plan = f"{made[0].slug}-2020-21" if made else ""
    return report


def _councils_build(number: int, template: Council, report: ScaleReport) -> list[Council]:
    regions = list(Region.objects.order_by("slug"))
    councils = [
        Council(
            name=f"Synthetic council {index:03d}",
            slug=f"{SLUG_PREFIX}{index:03d}",
            region=regions[index % len(regions)] if regions else None,
            address=f"{index} Synthetic Street\nSynthetic Town",
            dass_name=f"Synthetic Director {index:03d}",
            sample_notice=SYNTHETIC_NOTICE,
        )
        for index in range(1, number + 1)
    ]
    bulk_create_with_history(councils, Council, batch_size=BATCH,
                             default_change_reason="build_scale_data")
    councils = list(synthetic_councils().order_by("slug"))
    report.add("councils", len(councils))
    names = list(Team.objects.filter(council=template).values_list("name", flat=True)) or [
        "Quality Assurance"]
    teams = [Team(council=council, name=name) for council in councils for name in names]
    bulk_create_with_history(teams, Team, batch_size=BATCH,
                             default_change_reason="build_scale_data")
    report.add("teams", len(teams))
    return councils


def _users_build(councils: list[Council], password: str | None, report: ScaleReport) -> bool:
    """An officer and a manager per council (`synthetic-NNN-officer`, `…-manager`) and a
    national reader (`synthetic-national`), sharing one password hash (hashed once), or none
    usable when no password is given."""
    probe = User()
    if password:
        probe.set_password(password)
    else:
        probe.set_unusable_password()
    users = [
        User(username=f"{council.slug}-{role}", council=council, password=probe.password,
             first_name="Synthetic", last_name=role.title())
        for council in councils for role in (permissions.OFFICER, permissions.MANAGER)
    ]
    users.append(User(username=f"{SLUG_PREFIX}national", password=probe.password,
                      first_name="Synthetic", last_name="National reader"))
    bulk_create_with_history(users, User, batch_size=BATCH,
                             default_change_reason="build_scale_data")
    groups = {name: Group.objects.get_or_create(name=name)[0]
              for name in (permissions.OFFICER, permissions.MANAGER, permissions.NATIONAL)}
    through = User.groups.through
    made = User.objects.filter(username__startswith=SLUG_PREFIX).values_list("pk", "username")
    through.objects.bulk_create(
        [through(user_id=pk, group_id=groups[name.rsplit("-", 1)[1]].pk) for pk, name in made],
        batch_size=BATCH,
    )
    report.add("users", len(users))
    return bool(password)


def _plans_build(councils: list[Council], template: LocalPlan, report: ScaleReport) -> None:
    """A copy of the template plan per council: key areas, actions (with their requirements),
    commentary and assessments."""
    plans = [
        _clone(template, council_id=council.pk, slug=f"{council.slug}-2020-21",
               title=f"{council.name} COVID-19 Winter Plan 2020/21")
        for council in councils
    ]
    bulk_create_with_history(plans, LocalPlan, batch_size=BATCH,
                             default_change_reason="build_scale_data")
    report.add("local plans", len(plans))
    teams = {(team.council_id, team.name): team.pk for team in
             Team.objects.filter(council__in=councils)}
    template_areas = list(LocalKeyArea.objects.filter(local_plan=template).order_by("pk"))
    areas = [_clone(area, local_plan_id=plan.pk) for plan in plans for area in template_areas]
    bulk_create_with_history(areas, LocalKeyArea, batch_size=BATCH,
                             default_change_reason="build_scale_data")
    report.add("local key areas", len(areas))
    # area_for[(plan pk, template area pk)] -> new area pk
    per_plan = len(template_areas)
    area_for = {
        (plans[index // per_plan].pk, template_areas[index % per_plan].pk): area.pk
        for index, area in enumerate(areas)
    }
    template_actions = list(
        LocalAction.objects.filter(local_key_area__local_plan=template)
        .select_related("team").prefetch_related("requirements").order_by("pk")
    )
    actions = [
        _clone(action, local_key_area_id=area_for[(plan.pk, action.local_key_area_id)],
               team_id=teams.get((plan.council_id, action.team.name)) if action.team else None,
               owner_id=None, version=1)
        for plan in plans for action in template_actions
    ]
    bulk_create_with_history(actions, LocalAction, batch_size=BATCH,
                             default_change_reason="build_scale_data")
    report.add("actions", len(actions))
    through = LocalAction.requirements.through
    links = [
        through(localaction_id=action.pk, requirement_id=requirement.pk)
        for index, action in enumerate(actions)
        for requirement in template_actions[index % len(template_actions)].requirements.all()
    ] if template_actions else []
    through.objects.bulk_create(links, batch_size=BATCH)
    template_commentary = list(
        Commentary.objects.filter(local_key_area__local_plan=template).order_by("pk"))
    commentary = [
        _clone(item, local_key_area_id=area_for[(plan.pk, item.local_key_area_id)])
        for plan in plans for item in template_commentary
    ]
    bulk_create_with_history(commentary, Commentary, batch_size=BATCH,
                             default_change_reason="build_scale_data")
    report.add("commentary", len(commentary))
    template_assessments = list(RequirementAssessment.objects.filter(local_plan=template))
    assessments = [_clone(item, local_plan_id=plan.pk)
                   for plan in plans for item in template_assessments]
    bulk_create_with_history(assessments, RequirementAssessment, batch_size=BATCH,
                             default_change_reason="build_scale_data")
    report.add("requirement assessments", len(assessments))


def _providers_build(councils: list[Council], sizes: list[int], rng: random.Random,
                     report: ScaleReport) -> None:
    providers = []
    for index, (council, size) in enumerate(zip(councils, sizes, strict=True), start=1):
        for number in range(1, size + 1):
            care_home = rng.random() < CARE_HOME_SHARE
            kind = rng.choice(CARE_HOME_TYPES) if care_home else rng.choice(OTHER_TYPES)
            providers.append(Provider(
                council=council,
                name=f"{rng.choice(NAMES)} {rng.choice(PLACES)} {number}",
                provider_type=kind,
                client_group=rng.choice(("older_people", "specialist", "mixed")),
                cqc_location_id=f"1-{700000000 + index * 10000 + number}",
                registered_beds=rng.randint(12, 90) if care_home else None,
                people_supported=None if care_home else rng.randint(5, 400),
                risk_rating=rng.choice(("green", "green", "green", "amber", "red")),
            ))
    bulk_create_with_history(providers, Provider, batch_size=BATCH,
                             default_change_reason="build_scale_data")
    report.add("providers", len(providers))
    plans = []
    for provider in providers:
        if rng.random() < 0.8:
            received = datetime.date(2020, 9, 1) + datetime.timedelta(days=rng.randint(0, 40))
            reviewed = received + datetime.timedelta(days=rng.randint(1, 10))
            plans.append(BusinessContinuityPlan(
                provider=provider, received_on=received,
                reviewed_on=reviewed if rng.random() < 0.8 else None,
                outcome=rng.choice(("adequate", "adequate", "needs_revision")),
                next_review_due=reviewed + datetime.timedelta(days=90),
            ))
    for plan in plans:
        if plan.reviewed_on is None:
            plan.outcome, plan.next_review_due = "", None
    bulk_create_with_history(plans, BusinessContinuityPlan, batch_size=BATCH,
                             default_change_reason="build_scale_data")
    report.add("business continuity plans", len(plans))


def _rules_build(councils: list[Council], report: ScaleReport) -> None:
    template = list(EscalationRule.objects.filter(council__slug=RULES_FROM).order_by("position"))
    rules = [_clone(rule, council_id=council.pk) for council in councils for rule in template]
    bulk_create_with_history(rules, EscalationRule, batch_size=BATCH,
                             default_change_reason="build_scale_data")
    report.add("escalation rules", len(rules))


def _returns_build(councils: list[Council], *, days: int, end: datetime.date,
                   rng: random.Random, report: ScaleReport) -> None:
    """Daily returns of every care home over `days` days ending `end`, written a council at a
    time (memory stays bounded)."""
    first = end - datetime.timedelta(days=days - 1)
    for council in councils:
        homes = list(Provider.objects.filter(council=council, provider_type__in=CARE_HOME_TYPES)
                     .values_list("pk", "registered_beds"))
        rows = []
        for offset in range(days):
            day = first + datetime.timedelta(days=offset)
            for pk, beds in homes:
                if rng.random() > RETURN_RATE:
                    continue
                cases = 1 if rng.random() < 0.01 else 0
                low = rng.random() < 0.03
                rows.append(DailyReturn(
                    provider_id=pk, date=day,
                    resident_cases=cases, resident_cases_confirmed_on=day if cases else None,
                    vacant_beds=rng.randint(0, max(1, (beds or 10) // 5)),
                    staffing_issue=rng.random() < 0.05,
                    ppe_face_masks_days=rng.randint(0, 1) if low else rng.randint(7, 28),
                    ppe_eye_protection_days=rng.randint(7, 28),
                    ppe_aprons_days=rng.randint(7, 28),
                    ppe_gloves_days=rng.randint(7, 28),
                    ppe_hand_sanitiser_days=rng.randint(7, 28),
                    ppe_hand_wash_days=rng.randint(7, 28),
                    essential_service_impact=rng.random() < 0.002,
                ))
            if len(rows) >= 20000:
                bulk_create_with_history(rows, DailyReturn, batch_size=BATCH,
                                         default_change_reason="build_scale_data")
                report.add("daily returns", len(rows))
                rows = []
        bulk_create_with_history(rows, DailyReturn, batch_size=BATCH,
                                 default_change_reason="build_scale_data")
        report.add("daily returns", len(rows))


def _funding_build(councils: list[Council], template: Council, report: ScaleReport, *,
                   end: datetime.date) -> None:
    """The template council's round (its rule and two tranches) per council, the money scaled
    by the council's providers; tranche 1 allocated by the service and paid."""
    icf_template = IcfRound.objects.filter(council=template).order_by("pk").first()
    if icf_template is None:
        return
    tranches = list(icf_template.tranches.order_by("number"))
    shares = list(icf_template.shares.order_by("position"))
    counts = _provider_counts(councils)
    template_count = max(1, Provider.objects.filter(council=template).count())
    rounds = []
    for council in councils:
        scale = Decimal(counts.get(council.pk, 0)) / Decimal(template_count)
        rounds.append(_clone(icf_template, council_id=council.pk,
                             allocation=(icf_template.allocation * scale).quantize(Decimal("1"))))
    bulk_create_with_history(rounds, IcfRound, batch_size=BATCH,
                             default_change_reason="build_scale_data")
    new_tranches, new_shares = [], []
    for icf_round in rounds:
        for position, tranche in enumerate(tranches):
            amount = (icf_round.allocation / len(tranches)).quantize(Decimal("0.01"))
            new_tranches.append(_clone(tranche, round_id=icf_round.pk, amount=amount or
                                       Decimal("1.00"),
                                       received_on=tranche.received_on if position == 0 else None))
        new_shares.extend(_clone(share, round_id=icf_round.pk) for share in shares)
    bulk_create_with_history(new_tranches, IcfTranche, batch_size=BATCH,
                             default_change_reason="build_scale_data")
    bulk_create_with_history(new_shares, IcfShare, batch_size=BATCH,
                             default_change_reason="build_scale_data")
    report.add("Infection Control Fund rounds", len(rounds))
    for tranche in new_tranches:
        if tranche.received_on is None:
            continue
        outcome = icf_tranche_allocate(tranche=tranche)
        report.add("Infection Control Fund allocations", len(outcome.allocations))
        icf_payments_record(tranche=tranche, paid_on=tranche.received_on
                            + datetime.timedelta(days=7), reference="Synthetic payment")


def _provider_counts(councils: list[Council]) -> dict[int, int]:
    return dict(Provider.objects.filter(council__in=councils).values("council")
                .annotate(n=Count("pk")).values_list("council", "n"))


def scale_counts() -> dict[str, int]:
    """What the database holds of synthetic data (for bench-results.json's `scale`)."""
    councils = synthetic_councils()
    return {
        "councils": councils.count(),
        "providers": Provider.objects.filter(council__in=councils).count(),
        "daily_returns": DailyReturn.objects.filter(provider__council__in=councils).count(),
        "provider_risk_rows": ProviderRisk.objects.filter(
            provider__council__in=councils).count(),
        "icf_allocations": IcfAllocation.objects.filter(
            tranche__round__council__in=councils).count(),
        "actions": LocalAction.objects.filter(
            local_key_area__local_plan__council__in=councils).count(),
        "commentary": Commentary.objects.filter(
            local_key_area__local_plan__council__in=councils).count(),
        "users": User.objects.filter(council__in=councils).count(),
    }


def largest_synthetic_council() -> Council | None:
    """The synthetic council with the most providers."""
    return (synthetic_councils().annotate(n=Count("providers")).order_by("-n", "slug").first())


NAMES = ("Oak", "Willow", "Beech", "Holly", "Rowan", "Cedar", "Maple", "Elm", "Ash", "Birch",
         "Laurel", "Hazel", "Sycamore", "Linden", "Alder", "Heather")
PLACES = ("House", "Court", "Lodge", "Manor", "Grange", "View", "Gardens", "Care",
          "Homecare", "Support", "Place", "Hall")
