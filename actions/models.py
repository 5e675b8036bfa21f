"""The national plan (what a government body asks) and a council's local plan (its answer).

National side: NationalPlan -> Theme -> KeyArea -> Requirement (+ RequirementLink).
Local side: LocalPlan (one council x one national plan) -> LocalKeyArea (team line, narrative)
-> LocalAction (+ ActionLink) and Commentary (+ CommentaryLink); RequirementAssessment holds
the council's compliance status per requirement. Every model keeps its change history.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from winterplan.models import Council, Team
from winterplan.validators import TEXT_MAX_LENGTH, validate_plausible_date, validate_web_url

# --- The national plan -------------------------------------------------------------------


DEFAULT_REQUIREMENTS_HEADING = "Actions"
DEFAULT_RESPONSIBLE_HEADING = "{label} Key Area/Responsible Officer"
DEFAULT_COMMENTARY_HEADING = "Commentary on Actions & links to any associated documents"


class NationalPlanManager(models.Manager["NationalPlan"]):
    def get_by_natural_key(self, slug: str) -> "NationalPlan":
        return self.get(slug=slug)


class NationalPlan(models.Model):
    """A framework a government body (or a council) publishes, e.g. DHSC's winter plan."""

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    short_title = models.CharField(
        max_length=200, blank=True, help_text="Title used in document headings, e.g. "
        "“Adult Social Care: Our COVID-19 Winter Plan 2020/21”."
    )
    publisher = models.CharField(max_length=200)
    published_on = models.DateField("published", validators=[validate_plausible_date])
    version = models.CharField(max_length=40, blank=True)
    last_updated_on = models.DateField("last updated", null=True, blank=True,
                                       validators=[validate_plausible_date])
    source_url = models.URLField(
        "source", max_length=500, blank=True, validators=[validate_web_url]
    )
    confirmation_deadline = models.DateField(
        validators=[validate_plausible_date],
        null=True,
        blank=True,
        help_text="Date by which councils must write to confirm their plan is in place.",
    )
    # How the plan's tables are headed: DHSC's Appendix two by default; another framework
    # (e.g. Halton's Care Home Resilience Plan) names its own columns.
    requirements_heading = models.CharField(
        max_length=120, blank=True, default=DEFAULT_REQUIREMENTS_HEADING,
        help_text="Heading of column 1 (the plan's asks); blank where the plan asks nothing "
        "of its own, and the column is left out.",
    )
    responsible_heading = models.CharField(
        max_length=200, default=DEFAULT_RESPONSIBLE_HEADING,
        help_text="Heading of the responsible team and local actions column; “{label}” is "
        "replaced by the key area's column label.",
    )
    commentary_heading = models.CharField(
        max_length=200, default=DEFAULT_COMMENTARY_HEADING,
        help_text="Heading of the commentary column.",
    )
    part_headings_shown = models.BooleanField(
        default=True,
        help_text="Print the part headings (“Key Points - Summary of …”) in Appendix two.",
    )

    objects = NationalPlanManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def display_title(self) -> str:
        return self.short_title or self.title

    def column_headings(self, column_label: str) -> list[str]:
        """A key area's column headings (the asks' column only where the plan has one)."""
        headings = [self.requirements_heading] if self.requirements_heading else []
        return [*headings, self.responsible_heading.replace("{label}", column_label).strip(),
                self.commentary_heading]


class Part(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Key Points - Summary of Key Local Authority Actions"
    NHS = "nhs", "Key Points - Summary of NHS Organisations Actions"


class ThemeManager(models.Manager["Theme"]):
    def get_by_natural_key(self, plan_slug: str, position: int) -> "Theme":
        return self.get(national_plan__slug=plan_slug, position=position)


class Theme(models.Model):
    national_plan = models.ForeignKey(NationalPlan, on_delete=models.CASCADE, related_name="themes")
    position = models.PositiveSmallIntegerField()
    part = models.CharField(max_length=20, choices=Part.choices, default=Part.LOCAL_AUTHORITY)
    title = models.CharField(max_length=300)
    heading_shown = models.BooleanField(
        default=True, help_text="Print the theme's title as a heading in Appendix two."
    )

    objects = ThemeManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["national_plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["national_plan", "position"], name="theme_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str, int]:
        return (self.national_plan.slug, self.position)

    natural_key.dependencies = ["actions.nationalplan"]


class KeyAreaManager(models.Manager["KeyArea"]):
    def get_by_natural_key(self, plan_slug: str, slug: str) -> "KeyArea":
        return self.get(national_plan__slug=plan_slug, slug=slug)


class KeyArea(models.Model):
    """One table of Appendix two, e.g. “Seasonal Flu Vaccines”."""

    # The plan is also reachable through the theme; it is kept here so that a key area's slug
    # is unique per plan in the database, and clean() keeps the two in step.
    national_plan = models.ForeignKey(
        NationalPlan, on_delete=models.CASCADE, related_name="key_areas"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="key_areas")
    position = models.PositiveSmallIntegerField()
    slug = models.SlugField(max_length=100)
    title = models.CharField(max_length=300)
    column_label = models.CharField(
        max_length=80,
        default="Local Authority",
        help_text="Start of column 2's heading: “<label> Key Area/Responsible Officer”.",
    )

    objects = KeyAreaManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme__national_plan", "theme__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["national_plan", "slug"], name="keyarea_unique_slug"),
            models.UniqueConstraint(fields=["theme", "position"], name="keyarea_unique_position"),
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str, str]:
        return (self.national_plan.slug, self.slug)

    natural_key.dependencies = ["actions.theme"]

    def clean(self) -> None:
        if self.theme_id and self.national_plan_id and (
            self.theme.national_plan_id != self.national_plan_id
        ):
            raise ValidationError({"theme": "The theme belongs to a different national plan."})


class RequirementKind(models.TextChoices):
    BULLET = "bullet", "Bulleted ask"
    PARAGRAPH = "paragraph", "Ask printed as a paragraph"
    NOTE = "note", "Note (asks nothing)"


#: Words left out of a key area's reference prefix ("infection-prevention-and-control": IPC).
REF_STOPWORDS = frozenset({"a", "an", "and", "for", "in", "of", "on", "or", "the", "to", "with"})
REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"


def ref_prefix(key_area_slug: str) -> str:
    """A key area's reference prefix: the initials of its slug's words (at most four, small
    words left out), or the first three letters of a one-word slug, in capitals."""
    words = [word for word in key_area_slug.split("-") if word]
    kept = [word for word in words if word not in REF_STOPWORDS] or words or ["req"]
    if len(kept) == 1:
        return kept[0][:3].upper()
    return "".join(word[0] for word in kept[:4]).upper()


def ref_prefixes(slugs: list[str]) -> dict[str, str]:
    """Prefixes for a plan's key areas in their order, distinct within the plan: a prefix
    already taken by an earlier key area gets 2, 3, … appended."""
    taken: set[str] = set()
    prefixes = {}
    for slug in slugs:
        base = ref_prefix(slug)
        prefix, number = base, 1
        while prefix in taken:
            number += 1
            prefix = f"{base}{number}"
        taken.add(prefix)
        prefixes[slug] = prefix
    return prefixes


def next_free_ref(prefix: str, position: int, used: set[str]) -> str:
    """`PREFIX-position`, or the next number after it that no requirement of the plan uses."""
    number = position
    while f"{prefix}-{number}" in used:
        number += 1
    return f"{prefix}-{number}"


class RequirementManager(models.Manager["Requirement"]):
    def get_by_natural_key(self, plan_slug: str, key_area_slug: str, position: int):
        return self.get(
            key_area__national_plan__slug=plan_slug,
            key_area__slug=key_area_slug,
            position=position,
        )


class Requirement(models.Model):
    """One ask of the national plan, verbatim, under the audience line it sits under."""

    key_area = models.ForeignKey(KeyArea, on_delete=models.CASCADE, related_name="requirements")
    position = models.PositiveSmallIntegerField()
    audience = models.CharField(
        max_length=300,
        blank=True,
        help_text="The line it sits under, e.g. “Directors of Public Health should:”; "
        "blank where the plan prints none.",
    )
    text = models.TextField(
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
    )
    ref = models.CharField(
        "reference", max_length=40, blank=True,
        validators=[RegexValidator(REF_PATTERN, "Letters, digits, “.”, “-” or “_”, at most 40.")],
        help_text="Stable reference, unique in the national plan (e.g. “SFV-1”): given by the "
        "plan file or made from the key area and position when it is first imported, and never "
        "changed by a re-import. Requirements are matched from one import (or winter) to the "
        "next by it.",
    )
    kind = models.CharField(max_length=12, choices=RequirementKind.choices, default="bullet")
    asks_for_letter = models.BooleanField(
        "asks for the confirmation letter", default=False,
        help_text="The ask to write to the publisher by the plan's confirmation deadline: "
        "recording the letter as sent completes the local actions that answer it.",
    )

    objects = RequirementManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["key_area", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["key_area", "position"], name="requirement_unique_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key_area} #{self.position}: {self.text[:60]}"

    def save(self, *args, **kwargs) -> None:
        """A requirement saved without a reference gets the next free one of its key area."""
        if not self.ref:
            self.ref = next_free_ref(ref_prefix(self.key_area.slug), self.position,
                                     set(self._plan_refs()))
        super().save(*args, **kwargs)

    def natural_key(self) -> tuple[str, str, int]:
        return (*self.key_area.natural_key(), self.position)

    natural_key.dependencies = ["actions.keyarea"]

    def _plan_refs(self):
        return Requirement.objects.filter(
            key_area__national_plan_id=self.key_area.national_plan_id
        ).exclude(pk=self.pk).values_list("ref", flat=True)

    def clean(self) -> None:
        # The plan import checks a whole file's refs at once and sets `refs_checked`.
        if self.ref and self.key_area_id and not getattr(self, "refs_checked", False) and (
                self.ref in set(self._plan_refs())):
            raise ValidationError({"ref": f"“{self.ref}” is already a requirement of this "
                                          "national plan."})

    @property
    def is_assessable(self) -> bool:
        return self.kind != RequirementKind.NOTE


class Link(models.Model):
    """A titled web link; http and https only."""

    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=1000, validators=[validate_web_url])

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.title} <{self.url}>"


class RequirementLink(Link):
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="links")
    history = HistoricalRecords()

    class Meta(Link.Meta):
        pass


# --- The local plan ----------------------------------------------------------------------


class LocalPlanManager(models.Manager["LocalPlan"]):
    def get_by_natural_key(self, slug: str) -> "LocalPlan":
        return self.get(slug=slug)


class LocalPlan(models.Model):
    """One council's answer to one national plan."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="local_plans")
    national_plan = models.ForeignKey(
        NationalPlan, on_delete=models.PROTECT, related_name="local_plans"
    )
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    as_at = models.DateField(
        "as at", help_text="The reporting date: overdue means overdue on this date.",
        validators=[validate_plausible_date],
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    carried_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="successors",
        help_text="Last winter's plan this one was started from (actions.winters).",
    )

    objects = LocalPlanManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "-as_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "national_plan"], name="localplan_one_per_council_and_plan"
            )
        ]
        indexes = [models.Index(fields=["council", "status"])]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def winter_label(self) -> str:
        """The winter it covers as printed, e.g. “2020/21” (from its title), else its title."""
        found = re.search(r"20\d\d/\d\d", self.title) or re.search(r"20\d\d", self.title)
        return found.group(0) if found else self.title


class LocalKeyAreaManager(models.Manager["LocalKeyArea"]):
    def get_by_natural_key(self, plan_slug: str, key_area_slug: str) -> "LocalKeyArea":
        return self.get(local_plan__slug=plan_slug, key_area__slug=key_area_slug)


class LocalKeyArea(models.Model):
    """A council's answer for one key area: its team line (column 2) and report narrative."""

    local_plan = models.ForeignKey(LocalPlan, on_delete=models.CASCADE, related_name="key_areas")
    key_area = models.ForeignKey(KeyArea, on_delete=models.PROTECT, related_name="local_answers")
    responsible_team = models.CharField(
        max_length=300,
        blank=True,
        help_text="The responsible team line at the top of column 2, e.g. “Quality Assurance”.",
    )
    narrative = models.TextField(
        max_length=TEXT_MAX_LENGTH, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
        blank=True,
        help_text="The committee report's paragraph(s) for this area; blank lines separate "
        "paragraphs.",
    )
    version = models.PositiveIntegerField(default=1)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to",
        help_text="The same key area's answer last winter, when this one was carried from it.",
    )

    objects = LocalKeyAreaManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["local_plan", "key_area__theme__position", "key_area__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_plan", "key_area"], name="localkeyarea_unique_per_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.local_plan}: {self.key_area}"

    def natural_key(self) -> tuple[str, str]:
        return (self.local_plan.slug, self.key_area.slug)

    natural_key.dependencies = ["actions.localplan", "actions.keyarea"]

    def clean(self) -> None:
        if self.local_plan_id and self.key_area_id and (
            self.key_area.national_plan_id != self.local_plan.national_plan_id
        ):
            raise ValidationError(
                {"key_area": "The key area belongs to a different national plan."}
            )


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    ONGOING = "ongoing", "Ongoing"
    AT_RISK = "at_risk", "At risk"


#: Statuses of actions that are still open: a past deadline makes them overdue.
OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.AT_RISK)


class LocalActionQuerySet(models.QuerySet["LocalAction"]):
    def for_plan(self, plan: LocalPlan) -> "LocalActionQuerySet":
        return self.filter(local_key_area__local_plan=plan)

    def open(self) -> "LocalActionQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, *, as_at: datetime.date) -> "LocalActionQuerySet":
        """Open actions whose dated deadline is before `as_at` (Ongoing is never overdue)."""
        return self.open().filter(deadline_ongoing=False, deadline__lt=as_at)

    def due_within(self, *, as_at: datetime.date, days: int) -> "LocalActionQuerySet":
        """Open actions due on `as_at` or in the `days` days after it."""
        return self.open().filter(
            deadline_ongoing=False,
            deadline__gte=as_at,
            deadline__lte=as_at + datetime.timedelta(days=days),
        )


class LocalAction(models.Model):
    """An ACTION the council commits to in a key area, with a deadline that is a date or Ongoing."""

    local_key_area = models.ForeignKey(
        LocalKeyArea, on_delete=models.CASCADE, related_name="actions"
    )
    position = models.PositiveSmallIntegerField(default=1)
    text = models.TextField(
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
    )
    requirements = models.ManyToManyField(
        Requirement,
        blank=True,
        related_name="local_actions",
        help_text="The national plan's asks this action answers.",
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="actions", verbose_name="responsible team"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
    )
    deadline = models.DateField(null=True, blank=True, validators=[validate_plausible_date])
    deadline_ongoing = models.BooleanField("ongoing", default=False)
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every save; a save based on an older version is refused."
    )
    updated_at = models.DateTimeField(auto_now=True)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to",
        help_text="Last winter's action this one was carried forward from.",
    )

    objects = LocalActionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[requirements])

    class Meta:
        ordering = ["local_key_area", "position", "id"]
        constraints = [
            models.CheckConstraint(
                # A carried-forward action whose deadline had passed has none until the
                # officer sets one ("deadline needed"); every other action has one.
                condition=(Q(deadline__isnull=False) & Q(deadline_ongoing=False))
                | (Q(deadline__isnull=True) & Q(deadline_ongoing=True))
                | (Q(deadline__isnull=True) & Q(deadline_ongoing=False)
                   & Q(carried_from__isnull=False)),
                name="localaction_deadline_is_date_or_ongoing",
                violation_error_message="Give a deadline date or mark the action Ongoing, "
                "not both.",
            )
        ]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["team", "status"]),
            models.Index(fields=["owner", "status"]),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def deadline_display(self) -> str:
        if self.deadline_ongoing:
            return "Ongoing"
        return self.deadline.strftime("%d/%m/%Y") if self.deadline else "Deadline needed"

    @property
    def deadline_needed(self) -> bool:
        """Carried forward from last winter with a deadline that had passed: none set yet."""
        return self.deadline is None and not self.deadline_ongoing

    def is_overdue(self, as_at: datetime.date) -> bool:
        return (
            self.status in OPEN_STATUSES
            and not self.deadline_ongoing
            and self.deadline is not None
            and self.deadline < as_at
        )

    def clean(self) -> None:
        if self.deadline_ongoing and self.deadline:
            raise ValidationError(
                {"deadline": "Give a deadline date or mark the action Ongoing, not both."}
            )
        # A carried-forward action may wait for its new deadline (the edit form asks for one).
        if not self.deadline_ongoing and not self.deadline and not self.carried_from_id:
            raise ValidationError(
                {"deadline": "Enter a deadline as a date (dd/mm/yyyy) or choose Ongoing."}
            )
        if self.team_id and self.local_key_area_id and (
            self.team.council_id != self.local_key_area.local_plan.council_id
        ):
            raise ValidationError({"team": "Choose a team of this plan's council."})
        if self.owner_id and self.local_key_area_id and (
            self.owner.council_id != self.local_key_area.local_plan.council_id
        ):
            raise ValidationError({"owner": "Choose an owner from this plan's council."})


class ActionLink(Link):
    """Evidence for an action: a titled link to a document or page."""

    action = models.ForeignKey(LocalAction, on_delete=models.CASCADE, related_name="links")
    history = HistoricalRecords()

    class Meta(Link.Meta):
        pass


class Commentary(models.Model):
    """A bullet of column 3: what has been done, tied to one requirement or to the key area."""

    local_key_area = models.ForeignKey(
        LocalKeyArea, on_delete=models.CASCADE, related_name="commentary"
    )
    requirement = models.ForeignKey(
        Requirement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commentary",
        help_text="Leave blank where the bullet answers the key area as a whole.",
    )
    position = models.PositiveSmallIntegerField(default=1)
    indent = models.PositiveSmallIntegerField(
        default=0, help_text="0 for a bullet, 1 for a sub-bullet of the bullet above it."
    )
    text = models.TextField(
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to",
        help_text="Last winter's bullet this one was carried forward from.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["local_key_area", "position", "id"]
        verbose_name_plural = "commentary"
        constraints = [
            models.CheckConstraint(condition=Q(indent__lte=1), name="commentary_indent_0_or_1")
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        if self.requirement_id and self.local_key_area_id and (
            self.requirement.key_area_id != self.local_key_area.key_area_id
        ):
            raise ValidationError({"requirement": "Choose a requirement of this key area."})


class CommentaryLink(Link):
    commentary = models.ForeignKey(Commentary, on_delete=models.CASCADE, related_name="links")
    history = HistoricalRecords()

    class Meta(Link.Meta):
        pass


class Compliance(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not assessed"
    MET = "met", "Met"
    PARTIALLY_MET = "partially_met", "Partially met"
    NOT_MET = "not_met", "Not met"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class RequirementAssessment(models.Model):
    """A council's judgement of how far its plan meets one requirement."""

    local_plan = models.ForeignKey(
        LocalPlan, on_delete=models.CASCADE, related_name="assessments"
    )
    requirement = models.ForeignKey(
        Requirement, on_delete=models.PROTECT, related_name="assessments"
    )
    compliance = models.CharField(
        max_length=20, choices=Compliance.choices, default=Compliance.NOT_ASSESSED
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["local_plan", "requirement"], name="assessment_unique_per_plan"
            )
        ]
        indexes = [models.Index(fields=["local_plan", "compliance"])]

    def __str__(self) -> str:
        return f"{self.requirement}: {self.get_compliance_display()}"
