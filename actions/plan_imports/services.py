"""Write a national plan from its parsed file: all-or-nothing, every error named, dry run.

The plan is found by slug; themes by position, key areas by slug, requirements by `ref` when
the file gives one, else by key area and position. A requirement new to the plan without a ref
gets `PREFIX-position` (actions.models.ref_prefixes); an existing requirement's ref is never
changed. A re-import changes wording in place (history keeps the old text) and deletes what the
file no longer has, unless a local plan has answered it (an action or commentary refers to it,
or its assessment is not "not assessed"): then it names them and changes nothing.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q

from actions.models import (
    Commentary,
    Compliance,
    KeyArea,
    LocalAction,
    LocalKeyArea,
    NationalPlan,
    Requirement,
    RequirementAssessment,
    RequirementKind,
    RequirementLink,
    Theme,
    next_free_ref,
    ref_prefixes,
)
from winterplan.sync import RowError

#: Positions are moved out of the way by this much while a key area is reordered.
SHIFT = 10_000


@dataclass
class PlanIssue:
    """One error, naming where in the file (“line 12”, “row 5”) and the field."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}, {self.field}: {self.message}"


@dataclass
class Tally:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def total(self) -> int:
        """How many the file has."""
        return self.new + self.changed + self.unchanged


@dataclass
class PlanImportReport:
    """What an import found in the file and did (or, in a dry run, would do)."""

    plan: NationalPlan | None = None
    slug: str = ""
    title: str = ""
    themes: Tally = field(default_factory=Tally)
    key_areas: Tally = field(default_factory=Tally)
    requirements: Tally = field(default_factory=Tally)
    links: Tally = field(default_factory=Tally)
    errors: list[PlanIssue] = field(default_factory=list)
    #: Requirements new to the plan, as (ref, text), and those changed.
    new_refs: list[str] = field(default_factory=list)
    changed_refs: list[str] = field(default_factory=list)
    plan_status: str = "unchanged"
    applied: bool = False

    @property
    def written(self) -> int:
        return sum(t.new + t.changed + t.deleted
                   for t in (self.themes, self.key_areas, self.requirements, self.links)) + (
            self.plan_status != "unchanged")

    @property
    def tallies(self) -> list[tuple[str, "Tally"]]:
        return [("Themes", self.themes), ("Key areas", self.key_areas),
                ("Requirements", self.requirements), ("Links", self.links)]

    @property
    def counts(self) -> dict[str, int]:
        """Themes, key areas and requirements in the file."""
        return {name: tally.new + tally.changed + tally.unchanged
                for name, tally in (("themes", self.themes), ("key_areas", self.key_areas),
                                    ("requirements", self.requirements))}


class PlanImportRefused(ValidationError):
    """The file was refused; `report.errors` names every line or row and field."""

    def __init__(self, report: PlanImportReport):
        self.report = report
        super().__init__([str(error) for error in report.errors] or ["Refused."])


class _Rollback(Exception):
    pass


def _locate(lines: dict[tuple, str], path: tuple) -> str:
    """The file's place for `path` (a key path into the data): its own, or its nearest
    enclosing item's."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return "file"


def plan_import_apply(*, data: dict[str, Any], lines: dict[tuple, str] | None = None,
                      names: dict[str, dict[str, str]] | None = None,
                      dry_run: bool = False, update: bool = True) -> PlanImportReport:
    """Import the plan `data` (the YAML format's mapping); `lines` maps key paths to places in
    the file and `names` each level's model fields to the file's names for them. Raises
    PlanImportRefused with every error; a dry run writes nothing."""
    report = PlanImportReport(slug=str(data.get("slug") or ""), title=str(data.get("title") or ""))
    try:
        with transaction.atomic():
            _Writer(data, lines or {}, names or {}, report, update).run()
            if report.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if report.errors:
        raise PlanImportRefused(report)
    report.applied = not dry_run
    if dry_run:
        report.plan = NationalPlan.objects.filter(slug=report.slug).first()
    return report


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


class _Writer:
    def __init__(self, data, lines, names, report: PlanImportReport, update: bool):
        self.data, self.lines, self.report, self.update = data, lines, report, update
        self.names = names
        self.seen_slugs: dict[str, str] = {}

    def error(self, path: tuple, field_name: str, message: str) -> None:
        self.report.errors.append(PlanIssue(_locate(self.lines, path), field_name, message))

    def model_errors(self, path: tuple, error: ValidationError, fields: dict[str, str]) -> None:
        """A model's validation errors, each named by its field in the file."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                file_field = fields.get(name, name)
                self.error(path + (file_field,), file_field, " ".join(messages))
        else:
            self.error(path, "file", " ".join(error.messages))

    def write(self, instance, values: dict, path: tuple, fields: dict[str, str],
              level: str = "plan") -> str | None:
        """Bring `instance` to `values`: "new", "changed", "unchanged", or None on an error."""
        fields = {**fields, **self.names.get(level, {})}
        is_new = instance.pk is None
        changed = list(values) if is_new else [
            name for name, value in values.items() if getattr(instance, name) != value]
        if not is_new and (not changed or not self.update):
            return "unchanged"
        for name in changed:
            setattr(instance, name, values[name])
        try:
            instance.full_clean()
        except ValidationError as error:
            self.model_errors(path, error, fields)
            return None
        instance.save()
        return "new" if is_new else "changed"

    @staticmethod
    def count(tally: Tally, outcome: str | None) -> None:
        if outcome:
            setattr(tally, outcome, getattr(tally, outcome) + 1)

    # --- the plan -------------------------------------------------------------------------

    def run(self) -> None:
        from actions.services.plan_files import _columns, _date

        data = self.data
        values = {}
        for key, name, required in (("slug", "slug", True), ("title", "title", True),
                                    ("publisher", "publisher", True),
                                    ("short_title", "short_title", False),
                                    ("version", "version", False),
                                    ("source_url", "source_url", False)):
            value = _text(data.get(key))
            if required and not value:
                self.error((key,), key, "is required.")
            values[name] = value
        for key, name, required in (("published", "published_on", True),
                                    ("last_updated", "last_updated_on", False),
                                    ("confirmation_deadline", "confirmation_deadline", False)):
            if required and data.get(key) in (None, ""):
                self.error((key,), key, "is required (YYYY-MM-DD or dd/mm/yyyy).")
                values[name] = None
                continue
            try:
                values[name] = _date(data.get(key), "", key)
            except RowError:
                self.error((key,), key, f"“{_text(data.get(key))[:40]}” is not a date "
                                        "(YYYY-MM-DD or dd/mm/yyyy).")
                values[name] = None
        columns = data.get("columns") or {}
        if not isinstance(columns, dict):
            self.error(("columns",), "columns", "must be a mapping of column headings.")
        else:
            values.update(_columns(columns))
        themes = data.get("themes")
        if not isinstance(themes, list) or not themes:
            self.error(("themes",), "themes", "a plan needs at least one theme.")
            return
        if self.report.errors:
            return
        plan = NationalPlan.objects.filter(slug=values["slug"]).first() or NationalPlan(
            slug=values["slug"])
        fields = {"published_on": "published", "last_updated_on": "last_updated"}
        outcome = self.write(plan, values, (), fields)
        if outcome is None:
            return
        self.report.plan_status = outcome
        self.plan = plan
        self.prepare()
        for position, theme_data in enumerate(themes, start=1):
            self.theme(position, theme_data)
        self.check_file_refs()
        if not self.report.errors and self.update:
            self.remove_stale(len(themes))

    def prepare(self) -> None:
        """What the plan has now, and which key areas and requirements the file matches."""
        plan = self.plan
        self.old_themes = {theme.position: theme for theme in plan.themes.all()} if plan.pk \
            else {}
        self.old_areas = {area.slug: area for area in plan.key_areas.all()} if plan.pk else {}
        self.old_requirements = list(
            Requirement.objects.filter(key_area__national_plan=plan).select_related("key_area")
        ) if plan.pk else []
        by_ref = {req.ref: req for req in self.old_requirements if req.ref}
        by_place = {(req.key_area.slug, req.position): req for req in self.old_requirements}
        self.used_refs = set(by_ref)
        self.matched: dict[tuple, Requirement] = {}
        self.file_refs: dict[str, tuple] = {}
        slugs = []
        items = []
        for t, theme_data in enumerate(self.data["themes"]):
            areas = theme_data.get("key_areas") if isinstance(theme_data, dict) else None
            for a, area_data in enumerate(areas if isinstance(areas, list) else []):
                if not isinstance(area_data, dict):
                    continue
                slug = _text(area_data.get("slug"))
                slugs.append(slug)
                reqs = area_data.get("requirements")
                for r, req_data in enumerate(reqs if isinstance(reqs, list) else []):
                    if isinstance(req_data, dict):
                        items.append(((t, a, r), slug, r + 1, _text(req_data.get("ref"))))
        claimed: set[int] = set()
        for path, _, _, ref in items:  # by ref first
            if ref:
                self.file_refs.setdefault(ref, path)
                if ref in by_ref and by_ref[ref].pk not in claimed:
                    self.matched[path] = by_ref[ref]
                    claimed.add(by_ref[ref].pk)
        for path, slug, position, ref in items:  # then by key area and position
            old = by_place.get((slug, position))
            if (not ref and old is not None and old.pk not in claimed
                    and old.ref not in self.file_refs):
                self.matched[path] = old
                claimed.add(old.pk)
        self.used_refs |= set(self.file_refs)
        existing_prefix = {}
        for req in self.old_requirements:
            existing_prefix.setdefault(req.key_area.slug, req.ref.rsplit("-", 1)[0])
        self.prefixes = ref_prefixes([slug for slug in slugs if slug])
        self.prefixes.update(existing_prefix)
        if not self.update:
            self.stale_requirements, self.stale_areas = [], []
            return
        # Move what will change place out of the way of the unique positions.
        slug_of = {path: slug for path, slug, _, _ in items}
        moving = [req.pk for path, req in self.matched.items() if req.position != path[2] + 1
                  or req.key_area.slug != slug_of[path]]
        stale = [req.pk for req in self.old_requirements if req.pk not in claimed]
        Requirement.objects.filter(pk__in=moving + stale).update(
            position=SHIFT + F("pk") % 20_000)
        for req in self.old_requirements:
            if req.pk in moving or req.pk in stale:
                req.position = SHIFT + req.pk % 20_000
        self.stale_requirements = [req for req in self.old_requirements if req.pk in stale]
        area_slugs = set(slugs)
        area_place = {}
        for t, theme_data in enumerate(self.data["themes"]):
            areas = theme_data.get("key_areas") if isinstance(theme_data, dict) else None
            for a, area_data in enumerate(areas if isinstance(areas, list) else []):
                if isinstance(area_data, dict):
                    area_place[_text(area_data.get("slug"))] = (t + 1, a + 1)
        for slug, area in self.old_areas.items():
            if slug not in area_slugs or area_place.get(slug) != (
                    self.old_theme_position(area), area.position):
                KeyArea.objects.filter(pk=area.pk).update(position=SHIFT + area.pk % 20_000)
                area.position = SHIFT + area.pk % 20_000
        self.stale_areas = [area for slug, area in self.old_areas.items()
                            if slug not in area_slugs]

    def old_theme_position(self, area: KeyArea) -> int | None:
        for position, theme in self.old_themes.items():
            if theme.pk == area.theme_id:
                return position
        return None

    # --- themes, key areas, requirements ----------------------------------------------------

    def theme(self, position: int, theme_data: Any) -> None:
        path = ("themes", position - 1)
        if not isinstance(theme_data, dict):
            self.error(path, "theme", "each theme must be a mapping with a title.")
            return
        theme = self.old_themes.get(position) or Theme(national_plan=self.plan, position=position)
        values = {
            "title": _text(theme_data.get("title")),
            "part": _text(theme_data.get("part")) or "local_authority",
            "heading_shown": theme_data.get("heading_shown", True) is not False,
        }
        outcome = self.write(theme, values, path, {}, "theme")
        self.count(self.report.themes, outcome)
        if outcome is None:
            return
        areas = theme_data.get("key_areas") or []
        if not isinstance(areas, list):
            self.error(path + ("key_areas",), "key_areas", "must be a list.")
            return
        for area_position, area_data in enumerate(areas, start=1):
            self.key_area(theme, position - 1, area_position, area_data)

    def key_area(self, theme: Theme, t: int, position: int, area_data: Any) -> None:
        path = ("themes", t, "key_areas", position - 1)
        if not isinstance(area_data, dict):
            self.error(path, "key area", "each key area must be a mapping with a slug and "
                                         "a title.")
            return
        slug = _text(area_data.get("slug"))
        if not slug:
            self.error(path + ("slug",), "slug", "is required.")
            return
        area = self.old_areas.get(slug) or KeyArea(national_plan=self.plan, slug=slug)
        if slug in self.seen_slugs:
            name = self.names.get("key_area", {}).get("slug", "slug")
            self.error(path + ("slug",), name, f"“{slug}” is the slug of another key area "
                                                 f"of the file ({self.seen_slugs[slug]}).")
            return
        self.seen_slugs[slug] = _locate(self.lines, path)
        values = {
            "theme": theme,
            "position": position,
            "title": _text(area_data.get("title")),
            "column_label": _text(area_data.get("column_label")) or "Local Authority",
        }
        outcome = self.write(area, values, path, {}, "key_area")
        self.count(self.report.key_areas, outcome)
        if outcome is None:
            return
        self.old_areas[slug] = area
        requirements = area_data.get("requirements") or []
        if not isinstance(requirements, list):
            self.error(path + ("requirements",), "requirements", "must be a list.")
            return
        for req_position, req_data in enumerate(requirements, start=1):
            self.requirement(area, (t, position - 1, req_position - 1), req_position, req_data)

    def requirement(self, area: KeyArea, key: tuple, position: int, req_data: Any) -> None:
        t, a, r = key
        path = ("themes", t, "key_areas", a, "requirements", r)
        if not isinstance(req_data, dict):
            self.error(path, "requirement", "each requirement must be a mapping with a text.")
            return
        requirement = self.matched.get(key)
        ref = _text(req_data.get("ref"))
        if requirement is None:
            if not ref:
                ref = next_free_ref(self.prefixes.get(area.slug, "REQ"), position,
                                    self.used_refs)
                self.used_refs.add(ref)
            requirement = Requirement(key_area=area, position=position, ref=ref)
        kind = _text(req_data.get("kind")) or RequirementKind.BULLET
        values = {
            "key_area": area,
            "position": position,
            "text": _text(req_data.get("text")),
            "audience": _text(req_data.get("audience")),
            "kind": kind,
            "asks_for_letter": bool(req_data.get("confirmation_letter", False)),
        }
        # Uniqueness of refs is checked across the whole file (check_file_refs), not per row.
        requirement.refs_checked = True
        outcome = self.write(requirement, values, path,
                             {"asks_for_letter": "confirmation_letter"}, "requirement")
        self.count(self.report.requirements, outcome)
        if outcome is None:
            return
        if outcome == "new":
            self.report.new_refs.append(requirement.ref)
        elif outcome == "changed":
            self.report.changed_refs.append(requirement.ref)
        self.links(requirement, path, req_data.get("links") or [])

    def links(self, requirement: Requirement, path: tuple, links: Any) -> None:
        if not isinstance(links, list):
            self.error(path + ("links",), "links", "must be a list of {title, url}.")
            return
        existing = {link.position: link for link in requirement.links.all()} \
            if requirement.pk else {}
        for position, link_data in enumerate(links, start=1):
            link_path = path + ("links", position - 1)
            if not isinstance(link_data, dict):
                self.error(link_path, "links", "each link needs a title and a url.")
                continue
            link = existing.get(position) or RequirementLink(requirement=requirement,
                                                              position=position)
            outcome = self.write(link, {"title": _text(link_data.get("title")),
                                        "url": _text(link_data.get("url"))},
                                 link_path, {}, "link")
            self.count(self.report.links, outcome)
        stale = [link for position, link in existing.items() if position > len(links)]
        for link in stale:
            link.delete()
            self.report.links.deleted += 1

    def check_file_refs(self) -> None:
        """No two requirements of the file, or of the plan after it, share a ref."""
        seen: dict[str, tuple] = {}
        for t, theme_data in enumerate(self.data["themes"]):
            areas = theme_data.get("key_areas") if isinstance(theme_data, dict) else None
            for a, area_data in enumerate(areas if isinstance(areas, list) else []):
                reqs = area_data.get("requirements") if isinstance(area_data, dict) else None
                for r, req_data in enumerate(reqs if isinstance(reqs, list) else []):
                    ref = _text(req_data.get("ref")) if isinstance(req_data, dict) else ""
                    if not ref:
                        continue
                    path = ("themes", t, "key_areas", a, "requirements", r)
                    if ref in seen:
                        self.error(path + ("ref",), "ref",
                                   f"“{ref}” is also the ref of the requirement at "
                                   f"{_locate(self.lines, seen[ref])}.")
                    seen[ref] = path
        stale_refs = {req.ref: req for req in self.stale_requirements}
        for ref, path in seen.items():
            if ref in stale_refs and stale_refs[ref] not in self.matched.values():
                self.error(path + ("ref",), "ref", f"“{ref}” is already the ref of another "
                                                   "requirement of this plan.")

    # --- what the file no longer has ------------------------------------------------------

    def remove_stale(self, theme_count: int) -> None:
        stale = self.stale_requirements + [
            req for req in Requirement.objects.filter(key_area__in=self.stale_areas)
            if req.pk not in {s.pk for s in self.stale_requirements}]
        answered = answered_requirements([req.pk for req in stale])
        for req in stale:
            if req.pk in answered:
                self.error(("themes",), f"requirement {req.ref}",
                           f"“{req.text[:120]}” ({req.key_area.title}) is not in the file but "
                           f"a local plan has answered it ({', '.join(answered[req.pk])}): "
                           "it cannot be deleted. Put it back in the file (with its ref) to "
                           "import the rest.")
        worked = LocalKeyArea.objects.filter(key_area__in=self.stale_areas).filter(
            ~Q(responsible_team="") | ~Q(narrative="") | Q(actions__isnull=False)
            | Q(commentary__isnull=False)).select_related("local_plan", "key_area").distinct()
        for local in worked:
            self.error(("themes",), f"key area {local.key_area.slug}",
                       f"“{local.key_area.title}” is not in the file but {local.local_plan} "
                       "has answered it: it cannot be deleted.")
        if self.report.errors:
            return
        RequirementAssessment.objects.filter(requirement__in=[req.pk for req in stale]).delete()
        for req in stale:
            req.delete()
            self.report.requirements.deleted += 1
        LocalKeyArea.objects.filter(key_area__in=self.stale_areas).delete()
        for area in self.stale_areas:
            area.delete()
            self.report.key_areas.deleted += 1
        for position, theme in self.old_themes.items():
            if position > theme_count:
                if theme.key_areas.exists():
                    self.error(("themes",), "themes", f"theme {position} still has key areas.")
                    continue
                theme.delete()
                self.report.themes.deleted += 1


def answered_requirements(pks: list[int]) -> dict[int, list[str]]:
    """Which of the requirements a local plan has answered, and how (one query per kind)."""
    if not pks:
        return {}
    answered: dict[int, list[str]] = {}
    rows = (
        ("actions", LocalAction.requirements.through.objects.filter(requirement_id__in=pks)
         .values("requirement_id").annotate(n=Count("id"))),
        ("commentary", Commentary.objects.filter(requirement_id__in=pks)
         .values("requirement_id").annotate(n=Count("id"))),
        ("an assessment", RequirementAssessment.objects.filter(requirement_id__in=pks)
         .exclude(compliance=Compliance.NOT_ASSESSED)
         .values("requirement_id").annotate(n=Count("id"))),
    )
    for label, queryset in rows:
        for row in queryset:
            answered.setdefault(row["requirement_id"], []).append(label)
    return answered
