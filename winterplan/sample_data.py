"""The sample data: every council (two with plans), DHSC's 2020/21 plan, the local plans,
providers, demo users.

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
from django.utils import timezone
from django.utils.module_loading import import_string

from winterplan import permissions
from winterplan.models import Council, Region, Team, User
from winterplan.sync import RowError, read_yaml, upsert

FIXTURES = settings.BASE_DIR / "fixtures"


@dataclass
class LoadReport:
    written: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def add(self, what: str, count: int) -> None:
        self.written[what] = self.written.get(what, 0) + int(count)

    @property
    def total(self) -> int:
        return sum(self.written.values())


def regions_load(path: Path, *, update: bool, report: LoadReport) -> dict[str, Region]:
    """The ADASS regions, by slug."""
    regions = {}
    for item in read_yaml(path)["regions"]:
        region, written = upsert(
            Region, where=f"{path.name}, region {item.get('slug', '?')}",
            lookup={"slug": item["slug"]}, values={"name": item["name"]}, update=update,
        )
        regions[region.slug] = region
        report.add("regions", written)
    return regions


def councils_load(path: Path, details_path: Path, *, update: bool, report: LoadReport) -> None:
    """Every council of `path` (code, name, region, lifetime), with the letter details and
    teams of those in `details_path` (the sample councils); other councils have none."""
    regions = regions_load(path, update=update, report=report)
    details = {item["slug"]: item for item in read_yaml(details_path)["councils"]}
    listed = read_yaml(path)["councils"]
    unknown = set(details) - {item["slug"] for item in listed}
    if unknown:
        raise RowError(details_path.name, f"councils not in {path.name}: {sorted(unknown)}")
    for item in listed:
        where = f"{path.name}, council {item.get('slug', '?')}"
        if item["region"] not in regions:
            raise RowError(where, f"unknown region “{item['region']}”.")
        values = {
            "gss_code": item["gss_code"],
            "region": regions[item["region"]],
            "started_on": item.get("started_on"),
            "ended_on": item.get("ended_on"),
        }
        detail = details.get(item["slug"])
        if detail is None:
            if not Council.objects.filter(slug=item["slug"]).exists():
                values["name"] = item["name"]
        else:
            values |= {
                "name": detail["name"],
                "address": detail["address"].strip(),
                "telephone": detail.get("telephone", ""),
                "email": detail.get("email", ""),
                "website": detail.get("website", ""),
                "dass_name": detail["dass_name"],
                "dass_title": detail.get("dass_title", "Director of Adult Social Services"),
                "sample_notice": detail.get("sample_notice", ""),
            }
        council, written = upsert(
            Council, where=where, lookup={"slug": item["slug"]}, values=values, update=update,
        )
        report.add("councils", written)
        for name in (detail or {}).get("teams", []):
            _, written = upsert(
                Team, where=f"{where}, team {name}", lookup={"council": council, "name": name},
                values={},
            )
            report.add("teams", written)


def _demo_usernames() -> list[str]:
    return [item["username"] for item in read_yaml(FIXTURES / "demo-users.yaml")["users"]]


def users_load(path: Path, *, update: bool, report: LoadReport) -> None:
    """Create the demo users that are missing; an existing user's password, role, council,
    region and staff rights are never changed (update=True only restores their names, job and
    team)."""
    # The roles come from a migration; a test that flushed the database needs them again.
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in permissions.ROLES}
    for item in read_yaml(path)["users"]:
        where = f"{path.name}, user {item['username']}"
        council = Council.objects.get(slug=item["council"]) if item.get("council") else None
        team = Team.objects.get(council=council, name=item["team"]) if item.get("team") else None
        region = Region.objects.get(slug=item["region"]) if item.get("region") else None
        role = item["role"]
        if role not in groups:
            raise RowError(where, f"unknown role “{role}”.")
        details = {
            "first_name": item.get("first_name", ""),
            "last_name": item.get("last_name", ""),
            "job_title": item.get("job_title", ""),
            "team": team,
        }
        user = User.objects.filter(username=item["username"]).first()
        if user is None:
            user = User(
                username=item["username"],
                council=council,
                region=region,
                is_staff=role == permissions.ADMIN,
                is_superuser=role == permissions.ADMIN,
                **details,
            )
            user.set_password(settings.DEMO_PASSWORD)
            user._change_reason = "load_sample_data: demo user"
            user.save()
            user.groups.set([groups[role]])
            report.add("users", 1)
            continue
        if not update:
            continue
        changed = [name for name, value in details.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, details[name])
        if changed:
            user._change_reason = "load_sample_data --update"
            user.save(update_fields=changed)
        report.add("users", bool(changed))




@transaction.atomic
def sample_data_load(*, update: bool = False, demo_users: bool = False,
                     second_winter: bool = True) -> LoadReport:
    """Load every sample file in order; all-or-nothing. Demo users only when asked for; the
    second winter (actions.winters.sample) unless `second_winter=False`.
    History is dated when what it records was true (see winterplan.history)."""
    started = timezone.now()
    report = LoadReport()
    councils_load(FIXTURES / "councils-england.yaml", FIXTURES / "councils.yaml",
                  update=update, report=report)
    # Before the plans: the sample actions name demo officers and managers as their owners.
    if demo_users:
        users_load(FIXTURES / "demo-users.yaml", update=update, report=report)
    # Owners are set only when the demo users are there (asked for now, or loaded before).
    owners = demo_users or User.objects.filter(username__in=_demo_usernames()).exists()
    # Then each domain app's sample, in order (settings.SAMPLE_DATA_STEPS: the core names them
    # rather than importing the apps): plans, providers, committee reports, the second winter.
    for step in settings.SAMPLE_DATA_STEPS:
        import_string(step)(fixtures=FIXTURES, update=update, report=report, started=started,
                            owners=owners, second_winter=second_winter)
    return report
