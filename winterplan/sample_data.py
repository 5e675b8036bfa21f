"""The sample data: two councils, DHSC's 2020/21 plan, their local plans, providers, demo users.

Everything comes from the human-readable files in fixtures/ (see fixtures/README.md). Loading
creates what is missing and leaves what exists alone, so edits made in the app survive another
`make run`; `update=True` brings existing rows back to the files' values. Either way a second
run writes nothing.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from actions.models import LocalPlan, NationalPlan
from actions.services.plan_files import local_plan_import, national_plan_import, read_yaml
from providers.models import Provider
from providers.services.imports import providers_import
from reports.services import committee_reports_load
from winterplan import permissions
from winterplan.models import Council, Team, User
from winterplan.sync import RowError, upsert

FIXTURES = settings.BASE_DIR / "fixtures"
NATIONAL_PLANS = ("dhsc-asc-winter-plan-2020-21", "halton-care-home-resilience-plan")
LOCAL_PLANS = ("cheshire-east-2020-21", "halton-2020")
PROVIDER_REGISTERS = {"cheshire-east": "cheshire-east.csv", "halton": "halton.csv"}


@dataclass
class LoadReport:
    written: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def add(self, what: str, count: int) -> None:
        self.written[what] = self.written.get(what, 0) + int(count)

    @property
    def total(self) -> int:
        return sum(self.written.values())


def councils_load(path: Path, *, update: bool, report: LoadReport) -> None:
    for item in read_yaml(path)["councils"]:
        where = f"{path.name}, council {item.get('slug', '?')}"
        council, written = upsert(
            Council,
            where=where,
            lookup={"slug": item["slug"]},
            values={
                "name": item["name"],
                "region": item.get("region", ""),
                "address": item["address"].strip(),
                "telephone": item.get("telephone", ""),
                "email": item.get("email", ""),
                "website": item.get("website", ""),
                "dass_name": item["dass_name"],
                "dass_title": item.get("dass_title", "Director of Adult Social Services"),
                "sample_notice": item.get("sample_notice", ""),
            },
            update=update,
        )
        report.add("councils", written)
        for name in item.get("teams", []):
            _, written = upsert(
                Team, where=f"{where}, team {name}", lookup={"council": council, "name": name},
                values={},
            )
            report.add("teams", written)


def users_load(path: Path, *, update: bool, report: LoadReport) -> None:
    # The roles come from a migration; a test that flushed the database needs them again.
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in permissions.ROLES}
    for item in read_yaml(path)["users"]:
        where = f"{path.name}, user {item['username']}"
        council = Council.objects.get(slug=item["council"]) if item.get("council") else None
        team = Team.objects.get(council=council, name=item["team"]) if item.get("team") else None
        role = item["role"]
        if role not in groups:
            raise RowError(where, f"unknown role “{role}”.")
        user = User.objects.filter(username=item["username"]).first()
        if user is not None and not update:
            continue
        values = {
            "first_name": item.get("first_name", ""),
            "last_name": item.get("last_name", ""),
            "job_title": item.get("job_title", ""),
            "council": council,
            "team": team,
            "is_staff": role == permissions.ADMIN,
            "is_superuser": role == permissions.ADMIN,
        }
        changed = user is None
        if user is None:
            user = User(username=item["username"], **values)
        for name, value in values.items():
            if getattr(user, name) != value:
                setattr(user, name, value)
                changed = True
        if not user.check_password(settings.DEMO_PASSWORD):
            user.set_password(settings.DEMO_PASSWORD)
            changed = True
        if changed:
            user.save()
        if set(user.groups.all()) != {groups[role]}:
            user.groups.set([groups[role]])
            changed = True
        report.add("users", changed)


def providers_load(directory: Path, *, update: bool, report: LoadReport) -> None:
    for slug, filename in PROVIDER_REGISTERS.items():
        council = Council.objects.get(slug=slug)
        if not update and Provider.objects.filter(council=council).exists():
            report.skipped.append(f"providers of {council}")
            continue
        path = directory / filename
        result = providers_import(council=council, filename=filename, content=path.read_bytes())
        report.add("providers", len(result.created) + len(result.updated))
    # Plan reviews, Infection Control Fund, escalation rules, daily returns, risk logs.
    from providers.services.sample import providers_sample_load

    providers_sample_load(directory, update=update, report=report)


@transaction.atomic
def sample_data_load(*, update: bool = False) -> LoadReport:
    """Load every sample file in order; all-or-nothing."""
    report = LoadReport()
    councils_load(FIXTURES / "councils.yaml", update=update, report=report)
    for slug in NATIONAL_PLANS:
        if not update and NationalPlan.objects.filter(slug=slug).exists():
            report.skipped.append(f"national plan {slug}")
            continue
        _, written = national_plan_import(
            read_yaml(FIXTURES / "national-plans" / f"{slug}.yaml"), update=update
        )
        report.add("national plan rows", written)
    for slug in LOCAL_PLANS:
        if not update and LocalPlan.objects.filter(slug=slug).exists():
            report.skipped.append(f"local plan {slug}")
            continue
        _, written = local_plan_import(
            read_yaml(FIXTURES / "local-plans" / f"{slug}.yaml"), update=update
        )
        report.add("local plan rows", written)
    providers_load(FIXTURES / "providers", update=update, report=report)
    committee_reports_load(FIXTURES / "reports", update=update, report=report)
    users_load(FIXTURES / "demo-users.yaml", update=update, report=report)
    return report
