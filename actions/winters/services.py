"""Start a council's next winter plan from last winter's: preview, then clone all-or-nothing.

Key areas are matched by slug, then by title ignoring case and punctuation. Requirements are
matched by the mapping file (old ref → new ref), else by the same ref in the new plan. Carried
forward: matched areas' team line and narrative; actions not complete (status reset to not
started, deadline kept only when after the new as-at date, else none: "deadline needed");
commentary only when asked. Nothing of the old plan is written.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from actions.models import (
    ActionStatus,
    Commentary,
    CommentaryLink,
    KeyArea,
    LocalAction,
    LocalKeyArea,
    LocalPlan,
    NationalPlan,
    Requirement,
)
from actions.winters.mapping import Mapping
from winterplan.history import history_moment

CARRIED_REASON = "carried from {slug}"


def title_key(title: str) -> str:
    """A title compared ignoring case and punctuation."""
    return re.sub(r"[^a-z0-9]+", "", title.lower())


@dataclass
class AreaMatch:
    old: LocalKeyArea
    new: KeyArea
    how: str  # "slug" or "title"


@dataclass
class RequirementMatch:
    old_ref: str
    new_ref: str
    how: str  # "mapping" or "same ref"


@dataclass
class ClonePreview:
    """What a clone would write; `errors` (and `existing`) say why it would be refused."""

    source: LocalPlan
    national_plan: NationalPlan
    slug: str
    title: str
    as_at: datetime.date
    with_commentary: bool
    matched: list[AreaMatch] = field(default_factory=list)
    new_areas: list[KeyArea] = field(default_factory=list)
    dropped: list[LocalKeyArea] = field(default_factory=list)
    requirements: list[RequirementMatch] = field(default_factory=list)
    unmatched_refs: list[str] = field(default_factory=list)
    actions: int = 0
    deadlines_needed: int = 0
    commentary: int = 0
    errors: list[str] = field(default_factory=list)
    existing: LocalPlan | None = None

    @property
    def existing_url(self) -> str:
        return reverse("actions:dashboard", args=[self.existing.slug]) if self.existing else ""

    @property
    def fingerprint(self) -> str:
        """A digest of everything the preview shows: apply refuses when it has changed."""
        parts = [self.source.pk, self.national_plan.pk, self.slug, self.title,
                 self.as_at.isoformat(), self.with_commentary,
                 [(m.old.pk, m.new.pk, m.how) for m in self.matched],
                 [a.pk for a in self.new_areas], [a.pk for a in self.dropped],
                 [(r.old_ref, r.new_ref) for r in self.requirements], self.unmatched_refs,
                 self.actions, self.deadlines_needed, self.commentary]
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


class CloneRefused(ValidationError):
    def __init__(self, preview: ClonePreview):
        self.preview = preview
        super().__init__(preview.errors or ["Refused."])


class CloneChanged(ValidationError):
    """The plans changed between the preview and the apply."""

    def __init__(self, preview: ClonePreview):
        self.preview = preview
        super().__init__("Last winter's plan or the national plan changed since the preview: "
                         "check the new preview and confirm again.")


def _open_actions(source: LocalPlan):
    return (LocalAction.objects.filter(local_key_area__local_plan=source)
            .exclude(status=ActionStatus.COMPLETE)
            .select_related("owner").prefetch_related("requirements")
            .order_by("local_key_area_id", "position", "id"))


def plan_clone_preview(*, source: LocalPlan, national_plan: NationalPlan, slug: str,
                       as_at: datetime.date, mapping: Mapping | None = None,
                       title: str = "", with_commentary: bool = False) -> ClonePreview:
    """What cloning `source` onto `national_plan` as `slug` would write (nothing is written):
    matched, new and dropped key areas, mapped requirements, counts; or why it is refused."""
    mapping = mapping or Mapping()
    preview = ClonePreview(source=source, national_plan=national_plan, slug=slug,
                           title=title or _default_title(source, national_plan),
                           as_at=as_at, with_commentary=with_commentary)
    preview.errors.extend(mapping.errors)
    existing = (LocalPlan.objects.filter(council_id=source.council_id, national_plan=national_plan)
                .first() or LocalPlan.objects.filter(council_id=source.council_id, slug=slug)
                .first())
    if existing is not None:
        preview.existing = existing
        preview.errors.append(f"{source.council} already has a plan for this winter: "
                              f"“{existing.title}” ({existing.slug}).")
    elif LocalPlan.objects.filter(slug=slug).exists():
        preview.errors.append(f"slug: “{slug}” is another council's plan; choose another.")
    if national_plan.pk == source.national_plan_id:
        preview.errors.append("national_plan: choose a national plan other than last winter's.")
    if as_at <= source.as_at:
        preview.errors.append(f"as_at: the new as-at date must be after last winter's "
                              f"({source.as_at:%d/%m/%Y}).")

    new_areas = list(KeyArea.objects.filter(national_plan=national_plan)
                     .order_by("theme__position", "position"))
    old_areas = list(LocalKeyArea.objects.filter(local_plan=source).select_related("key_area")
                     .order_by("key_area__theme__position", "key_area__position"))
    by_slug = {area.slug: area for area in new_areas}
    by_title = {}
    for area in new_areas:
        by_title.setdefault(title_key(area.title), area)
    taken: set[int] = set()
    for old in old_areas:
        new, how = by_slug.get(old.key_area.slug), "slug"
        if new is None or new.pk in taken:
            new, how = by_title.get(title_key(old.key_area.title)), "title"
        if new is None or new.pk in taken:
            preview.dropped.append(old)
            continue
        taken.add(new.pk)
        preview.matched.append(AreaMatch(old=old, new=new, how=how))
    preview.new_areas = [area for area in new_areas if area.pk not in taken]

    old_refs = set(Requirement.objects.filter(key_area__national_plan_id=source.national_plan_id)
                   .values_list("ref", flat=True))
    new_refs = set(Requirement.objects.filter(key_area__national_plan=national_plan)
                   .values_list("ref", flat=True))
    for old_ref, (new_ref, where) in mapping.pairs.items():
        if old_ref not in old_refs:
            preview.errors.append(f"{where}, old_ref: “{old_ref}” is not a requirement of "
                                  f"{source.national_plan.display_title}.")
        if new_ref not in new_refs:
            preview.errors.append(f"{where}, new_ref: “{new_ref}” is not a requirement of "
                                  f"{national_plan.display_title}.")
    for ref in sorted(old_refs):
        if mapping.new_ref(ref):
            preview.requirements.append(RequirementMatch(ref, mapping.new_ref(ref), "mapping"))
        elif ref in new_refs:
            preview.requirements.append(RequirementMatch(ref, ref, "same ref"))
        else:
            preview.unmatched_refs.append(ref)

    matched_ids = {match.old.pk for match in preview.matched}
    for action in _open_actions(source):
        if action.local_key_area_id in matched_ids:
            preview.actions += 1
            preview.deadlines_needed += _carried_deadline(action, as_at) == (None, False)
    if with_commentary:
        preview.commentary = Commentary.objects.filter(local_key_area_id__in=matched_ids).count()
    return preview


def _default_title(source: LocalPlan, national_plan: NationalPlan) -> str:
    found = re.search(r"20\d\d/\d\d", national_plan.display_title)
    if found and re.search(r"20\d\d/\d\d", source.title):
        return re.sub(r"20\d\d/\d\d", found.group(0), source.title, count=1)
    return f"{source.council.name}: {national_plan.display_title}"


def _carried_deadline(action: LocalAction, as_at: datetime.date):
    """(deadline, ongoing) of the carried action: Ongoing stays Ongoing; a date after the new
    as-at date is kept; any other is dropped for the officer to set."""
    if action.deadline_ongoing:
        return None, True
    if action.deadline and action.deadline > as_at:
        return action.deadline, False
    return None, False


def _stamp(instance, *, user, reason: str, moment):
    instance._history_user = user
    instance._change_reason = reason
    if moment is not None:
        instance._history_date = moment
    return instance


@transaction.atomic
def plan_clone(*, source: LocalPlan, national_plan: NationalPlan, slug: str,
               as_at: datetime.date, user, mapping: Mapping | None = None, title: str = "",
               with_commentary: bool = False, expected_fingerprint: str | None = None,
               history_date: datetime.date | None = None) -> tuple[LocalPlan, ClonePreview]:
    """Clone `source` onto `national_plan` as the council's next winter: the preview is
    recomputed here (refused when it has errors, or differs from `expected_fingerprint`),
    then every row is written, attributed to `user`, or nothing is."""
    # Lock last winter's plan so it cannot change between the check and the copy.
    source = LocalPlan.objects.select_for_update().select_related("council", "national_plan"
                                                                  ).get(pk=source.pk)
    preview = plan_clone_preview(source=source, national_plan=national_plan, slug=slug,
                                 as_at=as_at, mapping=mapping, title=title,
                                 with_commentary=with_commentary)
    if preview.errors:
        raise CloneRefused(preview)
    if expected_fingerprint is not None and expected_fingerprint != preview.fingerprint:
        raise CloneChanged(preview)
    reason = CARRIED_REASON.format(slug=source.slug)
    moment = history_moment(history_date) if history_date else None
    stamp = {"user": user, "reason": reason, "moment": moment}
    plan = LocalPlan(council_id=source.council_id, national_plan=national_plan, slug=slug,
                     title=preview.title, as_at=as_at, carried_from=source)
    plan.full_clean()
    _stamp(plan, **stamp).save()

    new_requirements = {req.ref: req for req in
                        Requirement.objects.filter(key_area__national_plan=national_plan)}
    ref_map = {match.old_ref: new_requirements[match.new_ref] for match in preview.requirements}
    answers = {}
    for match in preview.matched:
        area = LocalKeyArea(local_plan=plan, key_area=match.new, carried_from=match.old,
                            responsible_team=match.old.responsible_team,
                            narrative=match.old.narrative)
        answers[match.old.pk] = _stamp(area, **stamp)
        area.save()
    for key_area in preview.new_areas:
        _stamp(LocalKeyArea(local_plan=plan, key_area=key_area), **stamp).save()

    for old in _open_actions(source):
        area = answers.get(old.local_key_area_id)
        if area is None:
            continue
        deadline, ongoing = _carried_deadline(old, as_at)
        owner = old.owner if old.owner and old.owner.is_active else None
        action = LocalAction(local_key_area=area, position=old.position, text=old.text,
                             team_id=old.team_id, owner=owner, deadline=deadline,
                             deadline_ongoing=ongoing, status=ActionStatus.NOT_STARTED,
                             carried_from=old)
        _stamp(action, **stamp).save()
        mapped = [ref_map[req.ref] for req in old.requirements.all() if req.ref in ref_map]
        if mapped:
            action.requirements.set(mapped)

    if with_commentary:
        bullets = (Commentary.objects.filter(local_key_area_id__in=answers)
                   .select_related("requirement").prefetch_related("links")
                   .order_by("local_key_area_id", "position", "id"))
        for old in bullets:
            area = answers[old.local_key_area_id]
            requirement = ref_map.get(old.requirement.ref) if old.requirement else None
            if requirement is not None and requirement.key_area_id != area.key_area_id:
                requirement = None  # answers an ask that moved to another key area
            bullet = Commentary(local_key_area=area, requirement=requirement,
                                position=old.position, indent=old.indent, text=old.text,
                                carried_from=old)
            _stamp(bullet, **stamp).save()
            for link in old.links.all():
                _stamp(CommentaryLink(commentary=bullet, position=link.position,
                                      title=link.title, url=link.url), **stamp).save()
    return plan, preview
