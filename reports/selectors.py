"""Reads for documents: a plan, its committee report, its council's providers and its DHSC
letter, live or as they stood at a past moment.

With `as_at=None` rows come from the tables; with an aware datetime they are rebuilt from
django-simple-history (`Model.history.as_of(as_at)`): the latest version of each row saved at
or before that moment, leaving out rows deleted by then. Both paths fetch flat rows (a fixed
number of queries whatever the plan's size) and assemble the same plain dataclasses, so a
document cannot tell which path fed it. The national plan (themes, key areas, requirements)
and council details keep no history and are read as they are now.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from actions.models import (
    ActionLink,
    ActionStatus,
    Commentary,
    CommentaryLink,
    Compliance,
    KeyArea,
    LocalAction,
    LocalKeyArea,
    LocalPlan,
    Part,
    Requirement,
    RequirementAssessment,
    RequirementKind,
    RequirementLink,
    Theme,
)
from reports import defaults
from reports.models import AppendixLink, CommitteeReport, DhscLetter, ReportSection
from winterplan.models import Team


class NotYetCreated(Exception):
    """The plan did not exist at the requested moment; `available_from` is the first day it
    can be shown as at (None if it has no history at all)."""

    def __init__(self, message: str, available_from: datetime.date | None = None):
        self.available_from = available_from
        super().__init__(message)


def plan_available_from(plan: LocalPlan) -> datetime.date | None:
    """The first day the plan can be shown as at: the day its history starts (UK time)."""
    first = plan.history.order_by("history_date").values_list("history_date", flat=True).first()
    return timezone.localtime(first).date() if first else None


def letter_state(plan: LocalPlan) -> DhscLetter | None:
    """The plan's DHSC confirmation letter (without its stored PDF), or None before one is
    drafted."""
    return (
        DhscLetter.objects.filter(local_plan=plan)
        .defer("approved_pdf", "approved_html", "approved_docx")
        .first()
    )


@dataclass
class LetterPanel:
    deadline: datetime.date
    letter: DhscLetter | None
    #: Days from the reporting date to the deadline while the letter is not approved, else None.
    days_left: int | None

    @property
    def days_past(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def letter_panel(plan: LocalPlan, *, as_at: datetime.date) -> LetterPanel | None:
    """The plan's letter on its dashboard: the days left to the framework's confirmation
    deadline as at the reporting date until the letter is approved, then its state; None when
    the framework asks for no letter (no confirmation deadline)."""
    deadline = plan.national_plan.confirmation_deadline
    if deadline is None:
        return None
    letter = letter_state(plan)
    waiting = letter is None or letter.state == DhscLetter.State.DRAFT
    return LetterPanel(deadline, letter, (deadline - as_at).days if waiting else None)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of `day` in the project's time zone (Europe/London), aware."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def _rows(model, as_at: datetime.datetime | None, **filters) -> list:
    """The model's rows matching `filters`, live or as at `as_at` (instances either way)."""
    if as_at is None:
        return list(model._default_manager.filter(**filters))
    latest: dict = {}
    queryset = model.history.as_of(as_at).filter(**filters).order_by("history_date", "history_id")
    for row in queryset:  # two versions saved at the same instant: the later one wins
        latest[row.pk] = row
    return list(latest.values())


# --- The plan ------------------------------------------------------------------------------


@dataclass
class LinkData:
    title: str
    url: str


@dataclass
class CouncilData:
    name: str
    slug: str
    address_lines: list[str]
    telephone: str
    email: str
    website: str
    dass_name: str
    dass_title: str
    #: Said once on a document (e.g. that the providers' names are fictitious); often blank.
    sample_notice: str = ""


@dataclass
class NationalPlanData:
    title: str
    display_title: str
    publisher: str
    published_on: datetime.date
    source_url: str
    confirmation_deadline: datetime.date | None
    #: Column 1's heading; blank where the plan asks nothing of its own (no column 1).
    requirements_heading: str = "Actions"
    part_headings_shown: bool = True


@dataclass
class RequirementData:
    position: int
    audience: str
    text: str
    kind: str
    links: list[LinkData]
    compliance: str
    compliance_label: str

    @property
    def is_bullet(self) -> bool:
        return self.kind == RequirementKind.BULLET


@dataclass
class RequirementBlock:
    """Consecutive requirements under one audience line, printed as one list or paragraphs."""

    audience: str
    bulleted: bool
    items: list[RequirementData]


@dataclass
class ActionData:
    position: int
    text: str
    team: str
    deadline: datetime.date | None
    ongoing: bool
    status: str
    status_label: str
    overdue: bool
    links: list[LinkData]

    @property
    def deadline_display(self) -> str:
        if self.ongoing or self.deadline is None:
            return "Ongoing"
        return self.deadline.strftime("%d/%m/%Y")


@dataclass
class CommentaryData:
    text: str
    links: list[LinkData]
    children: list["CommentaryData"] = field(default_factory=list)


@dataclass
class AreaData:
    slug: str
    title: str
    column_label: str
    responsible_team: str
    narrative: str
    requirements: list[RequirementData]
    blocks: list[RequirementBlock]
    actions: list[ActionData]
    commentary: list[CommentaryData]
    #: The table's column headings, from the national plan (two or three).
    headings: list[str] = field(default_factory=list)

    @property
    def has_requirements_column(self) -> bool:
        return len(self.headings) == 3

    @property
    def narrative_paragraphs(self) -> list[str]:
        return paragraphs(self.narrative)


@dataclass
class ThemeData:
    title: str
    part: str
    heading_shown: bool
    areas: list[AreaData]


@dataclass
class PartData:
    key: str
    label: str
    themes: list[ThemeData]


@dataclass
class PlanSnapshot:
    slug: str
    title: str
    status: str
    council: CouncilData
    national: NationalPlanData
    #: The date “overdue” is judged on: the plan's as-at date, or the as-at date asked for.
    reporting_date: datetime.date
    #: None for the live data; else the moment the data was rebuilt at.
    as_at: datetime.datetime | None
    parts: list[PartData]

    @property
    def themes(self) -> list[ThemeData]:
        return [theme for part in self.parts for theme in part.themes]

    @property
    def areas(self) -> list[AreaData]:
        return [area for theme in self.themes for area in theme.areas]


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a text whose paragraphs are separated by blank lines."""
    blocks, current = [], []
    for line in (text or "").splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def _council_data(council) -> CouncilData:
    return CouncilData(
        name=council.name,
        slug=council.slug,
        address_lines=[line.strip() for line in council.address.splitlines() if line.strip()],
        telephone=council.telephone,
        email=council.email,
        website=council.website,
        dass_name=council.dass_name,
        dass_title=council.dass_title,
        sample_notice=council.sample_notice,
    )


def _links(rows) -> list[LinkData]:
    return [LinkData(row.title, row.url) for row in sorted(rows, key=lambda r: (r.position, r.pk))]


def _blocks(requirements: list[RequirementData]) -> list[RequirementBlock]:
    blocks: list[RequirementBlock] = []
    for requirement in requirements:
        last = blocks[-1] if blocks else None
        if (
            last is not None
            and last.audience == requirement.audience
            and last.bulleted == requirement.is_bullet
        ):
            last.items.append(requirement)
        else:
            blocks.append(RequirementBlock(requirement.audience, requirement.is_bullet,
                                           [requirement]))
    return blocks


def _commentary_tree(rows, links_by_commentary) -> list[CommentaryData]:
    tree: list[CommentaryData] = []
    for row in sorted(rows, key=lambda r: (r.position, r.pk)):
        item = CommentaryData(row.text, _links(links_by_commentary.get(row.pk, [])))
        if row.indent and tree:
            tree[-1].children.append(item)
        else:
            tree.append(item)
    return tree


def plan_snapshot(plan: LocalPlan, *, as_at: datetime.datetime | None = None) -> PlanSnapshot:
    """Everything Appendix two shows, live or as at `as_at` (13 queries either way)."""
    if as_at is not None:
        try:
            plan = plan.history.as_of(as_at)
        except LocalPlan.DoesNotExist:
            available = plan_available_from(plan)
            since = f" It can be shown as at {available:%d/%m/%Y} or any later date." if (
                available) else ""
            raise NotYetCreated(
                f"{plan} has no record before the end of {timezone.localtime(as_at):%d/%m/%Y}."
                + since, available,
            ) from None
    national = plan.national_plan
    council = plan.council
    reporting_date = timezone.localtime(as_at).date() if as_at else plan.as_at

    themes = list(Theme.objects.filter(national_plan=national).order_by("position"))
    key_areas = list(KeyArea.objects.filter(national_plan=national).order_by("position"))
    requirements = list(
        Requirement.objects.filter(key_area__national_plan=national).order_by("position")
    )
    requirement_links = defaultdict(list)
    for link in RequirementLink.objects.filter(requirement__key_area__national_plan=national):
        requirement_links[link.requirement_id].append(link)

    local_areas = {
        row.key_area_id: row for row in _rows(LocalKeyArea, as_at, local_plan_id=plan.pk)
    }
    local_area_ids = [row.pk for row in local_areas.values()]
    actions = _rows(LocalAction, as_at, local_key_area_id__in=local_area_ids)
    action_links = defaultdict(list)
    for link in _rows(ActionLink, as_at, action_id__in=[a.pk for a in actions]):
        action_links[link.action_id].append(link)
    commentary = _rows(Commentary, as_at, local_key_area_id__in=local_area_ids)
    commentary_links = defaultdict(list)
    for link in _rows(CommentaryLink, as_at, commentary_id__in=[c.pk for c in commentary]):
        commentary_links[link.commentary_id].append(link)
    compliance = {
        row.requirement_id: row.compliance
        for row in _rows(RequirementAssessment, as_at, local_plan_id=plan.pk)
    }
    teams = dict(Team.objects.filter(council_id=plan.council_id).values_list("pk", "name"))
    compliance_labels = dict(Compliance.choices)
    status_labels = dict(ActionStatus.choices)

    requirements_by_area = defaultdict(list)
    for requirement in requirements:
        value = compliance.get(requirement.pk, Compliance.NOT_ASSESSED)
        requirements_by_area[requirement.key_area_id].append(
            RequirementData(
                position=requirement.position,
                audience=requirement.audience,
                text=requirement.text,
                kind=requirement.kind,
                links=_links(requirement_links.get(requirement.pk, [])),
                compliance=value,
                compliance_label=compliance_labels.get(value, value),
            )
        )
    actions_by_area = defaultdict(list)
    for action in sorted(actions, key=lambda a: (a.position, a.pk)):
        actions_by_area[action.local_key_area_id].append(
            ActionData(
                position=action.position,
                text=action.text,
                team=teams.get(action.team_id, ""),
                deadline=action.deadline,
                ongoing=action.deadline_ongoing,
                status=action.status,
                status_label=status_labels.get(action.status, action.status),
                overdue=action.is_overdue(reporting_date),
                links=_links(action_links.get(action.pk, [])),
            )
        )
    commentary_by_area = defaultdict(list)
    for row in commentary:
        commentary_by_area[row.local_key_area_id].append(row)

    areas_by_theme = defaultdict(list)
    for key_area in key_areas:
        local = local_areas.get(key_area.pk)
        area_requirements = requirements_by_area.get(key_area.pk, [])
        areas_by_theme[key_area.theme_id].append(
            AreaData(
                slug=key_area.slug,
                title=key_area.title,
                column_label=key_area.column_label,
                headings=national.column_headings(key_area.column_label),
                responsible_team=local.responsible_team if local else "",
                narrative=local.narrative if local else "",
                requirements=area_requirements,
                blocks=_blocks(area_requirements),
                actions=actions_by_area.get(local.pk, []) if local else [],
                commentary=_commentary_tree(
                    commentary_by_area.get(local.pk, []) if local else [], commentary_links
                ),
            )
        )
    part_labels = dict(Part.choices)
    parts: list[PartData] = []
    for theme in themes:
        data = ThemeData(theme.title, theme.part, theme.heading_shown,
                         areas_by_theme.get(theme.pk, []))
        if not parts or parts[-1].key != theme.part:
            parts.append(PartData(theme.part, part_labels.get(theme.part, theme.part), []))
        parts[-1].themes.append(data)

    return PlanSnapshot(
        slug=plan.slug,
        title=plan.title,
        status=plan.status,
        council=_council_data(council),
        national=NationalPlanData(
            title=national.title,
            display_title=national.display_title,
            publisher=national.publisher,
            published_on=national.published_on,
            source_url=national.source_url,
            confirmation_deadline=national.confirmation_deadline,
            requirements_heading=national.requirements_heading,
            part_headings_shown=national.part_headings_shown,
        ),
        reporting_date=reporting_date,
        as_at=as_at,
        parts=parts,
    )


# --- Status of the actions -----------------------------------------------------------------

#: Order of statuses in summaries and the chart.
STATUS_ORDER = (
    ActionStatus.COMPLETE,
    ActionStatus.ONGOING,
    ActionStatus.IN_PROGRESS,
    ActionStatus.NOT_STARTED,
    ActionStatus.AT_RISK,
)


@dataclass
class StatusRow:
    label: str
    counts: list[int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class StatusSummary:
    statuses: list[tuple[str, str]]
    rows: list[StatusRow]
    total: StatusRow


def status_summary(snapshot: PlanSnapshot) -> StatusSummary:
    """Actions by status per theme (NHS themes named as such), with overdue counts."""
    rows = []
    for theme in snapshot.themes:
        counts = dict.fromkeys(STATUS_ORDER, 0)
        overdue = 0
        for area in theme.areas:
            for action in area.actions:
                counts[action.status] = counts.get(action.status, 0) + 1
                overdue += action.overdue
        label = theme.title
        if theme.part == Part.NHS and "NHS" not in label:
            label = f"{label} (NHS organisations)"
        rows.append(StatusRow(label, [counts[s] for s in STATUS_ORDER], overdue))
    total = StatusRow(
        "All themes",
        [sum(row.counts[i] for row in rows) for i in range(len(STATUS_ORDER))],
        sum(row.overdue for row in rows),
    )
    return StatusSummary([(s.value, s.label) for s in STATUS_ORDER], rows, total)


# --- Providers -----------------------------------------------------------------------------


@dataclass
class ProviderFigures:
    providers: int
    received: int
    reviewed: int
    adequate: int
    red: list[str]

    @property
    def not_reviewed(self) -> int:
        return self.providers - self.reviewed


def provider_figures(council, *, as_at: datetime.datetime | None = None) -> ProviderFigures:
    """Business continuity plans received, reviewed and adequate among the council's
    providers, and the providers rated red (in the register or by escalation), live or as at
    `as_at` (as at a past date: the register's rating, the one field with history)."""
    from providers.models import BusinessContinuityPlan, Provider, RiskRating
    from providers.selectors import bcp_summary
    from providers.selectors.register import providers_for_register

    if as_at is None:
        summary = bcp_summary(council)
        # Red in the register or made red by the escalation rules (the worse of the two).
        red = list(
            providers_for_register(council)
            .filter(current_rag=RiskRating.RED)
            .order_by("name")
            .values_list("name", flat=True)
        )
        return ProviderFigures(summary.providers, summary.received, summary.reviewed,
                               summary.adequate, red)
    providers = _rows(Provider, as_at, council_id=council.pk)
    plans = _rows(BusinessContinuityPlan, as_at, provider_id__in=[p.pk for p in providers])
    return ProviderFigures(
        providers=len(providers),
        received=sum(1 for bcp in plans if bcp.received_on is not None),
        reviewed=sum(1 for bcp in plans if bcp.reviewed_on is not None),
        adequate=sum(1 for bcp in plans if bcp.outcome == "adequate"),
        red=sorted(p.name for p in providers if p.risk_rating == RiskRating.RED),
    )


# --- The committee report ------------------------------------------------------------------


@dataclass
class SectionData:
    key: str
    number: str
    heading: str
    body: str
    version: int
    subsections: list["SectionData"] = field(default_factory=list)


@dataclass
class ReportData:
    exists: bool
    committee: str
    title: str
    meeting_date: datetime.date | None
    contact_name: str
    contact_job_title: str
    contact_email: str
    appendix_one_title: str
    appendix_one_body: str
    appendix_links: list[LinkData]
    sections: list[SectionData]
    version: int

    @property
    def has_appendix_one(self) -> bool:
        return bool(self.appendix_one_title.strip())

    def section(self, key: str) -> SectionData | None:
        for section in self.sections:
            if section.key == key:
                return section
            for subsection in section.subsections:
                if subsection.key == key:
                    return subsection
        return None


def default_report(plan: LocalPlan) -> ReportData:
    """The empty report a plan starts with: the standard sections, no text."""
    sections = [
        SectionData(key, number, heading, "", 0, [
            SectionData(sub_key, sub_number, sub_heading, "", 0)
            for sub_key, sub_number, sub_heading in subsections
        ])
        for key, number, heading, subsections in defaults.SECTIONS
    ]
    return ReportData(
        exists=False,
        committee=defaults.DEFAULT_COMMITTEE,
        title=defaults.default_title(plan.national_plan.title),
        meeting_date=None,
        contact_name="",
        contact_job_title="",
        contact_email="",
        appendix_one_title="",
        appendix_one_body="",
        appendix_links=[],
        sections=sections,
        version=0,
    )


def committee_report(plan: LocalPlan, *, as_at: datetime.datetime | None = None) -> ReportData:
    """The plan's committee report (sections nested, Appendix one links), live or as at
    `as_at`; the default sections when it has none (3 queries)."""
    reports = _rows(CommitteeReport, as_at, local_plan_id=plan.pk)
    if not reports:
        return default_report(plan)
    report = reports[0]
    rows = sorted(_rows(ReportSection, as_at, report_id=report.pk),
                  key=lambda s: (s.position, s.pk))
    children = defaultdict(list)
    for row in rows:
        if row.parent_id:
            children[row.parent_id].append(row)

    def data(row) -> SectionData:
        return SectionData(row.key, row.number, row.heading, row.body, row.version,
                           [data(child) for child in children.get(row.pk, [])])

    return ReportData(
        exists=True,
        committee=report.committee,
        title=report.title,
        meeting_date=report.meeting_date,
        contact_name=report.contact_name,
        contact_job_title=report.contact_job_title,
        contact_email=report.contact_email,
        appendix_one_title=report.appendix_one_title,
        appendix_one_body=report.appendix_one_body,
        appendix_links=_links(_rows(AppendixLink, as_at, report_id=report.pk)),
        sections=[data(row) for row in rows if not row.parent_id],
        version=report.version,
    )


# --- The letter ----------------------------------------------------------------------------


@dataclass
class LetterData:
    exists: bool
    state: str
    state_label: str
    reference: str
    key_issues: list[str] | None
    approved_at: datetime.datetime | None
    sent_on: datetime.date | None
    version: int
    dated: datetime.date | None = None


def letter(plan: LocalPlan, *, as_at: datetime.datetime | None = None) -> LetterData:
    """The plan's letter as saved (live or as at `as_at`); a new draft if there is none."""
    from reports.models import key_issue_lines

    rows = _rows(DhscLetter, as_at, local_plan_id=plan.pk) if as_at else list(
        DhscLetter.objects.filter(local_plan=plan)
        .defer("approved_pdf", "approved_html", "approved_docx")
    )
    if not rows:
        return LetterData(False, DhscLetter.State.DRAFT, DhscLetter.State.DRAFT.label,
                          defaults.default_letter_reference(plan.slug), None, None, None, 0)
    row = rows[0]
    return LetterData(
        exists=True,
        state=row.state,
        state_label=DhscLetter.State(row.state).label,
        reference=row.reference,
        key_issues=key_issue_lines(row.key_issues),
        approved_at=row.approved_at,
        sent_on=row.sent_on,
        version=row.version,
        dated=row.dated,
    )
