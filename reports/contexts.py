"""The plan's three documents: Appendix two, the committee report and the DHSC letter.

Each is a `reports.documents.Document` whose context builder calls selectors only and returns
plain data; numbering, key-issue proposals and the status chart are worked out here so the
templates only lay things out.
"""

import datetime
import textwrap
from dataclasses import dataclass, field, replace

from django.utils import timezone

from actions.models import ActionStatus, Compliance, LocalPlan
from reports import selectors
from reports.documents import Document, Section, register
from reports.selectors import (
    PlanSnapshot,
    ProviderFigures,
    ReportData,
    StatusSummary,
)
from winterplan import permissions

DHSC_ADDRESS = (
    "Adult Social Care Directorate",
    "Department of Health and Social Care",
    "39 Victoria Street",
    "London",
    "SW1H 0EU",
)


class PlanDocument(Document):
    """A document about one local plan."""

    def document_title(self, plan: LocalPlan, context) -> str:
        return f"{self.title}: {context['plan'].title}"

    def version_councils(self, plan: LocalPlan) -> list[int]:
        return [plan.council_id]

    def running_header(self, plan: LocalPlan, context) -> str:
        """The council, the plan and the document, naming the council once."""
        snapshot: PlanSnapshot = context["plan"]
        return f"{council_and_plan(snapshot.council.name, snapshot.title)} · {self.title}"


def council_and_plan(council: str, plan_title: str) -> str:
    """“<council> · <plan>”, or the plan's title alone when it starts with the council's name."""
    if plan_title.casefold().startswith(council.casefold()):
        return plan_title
    return f"{council} · {plan_title}"


# --- Appendix two --------------------------------------------------------------------------


@register
class AppendixTwo(PlanDocument):
    slug = "appendix-two"
    title = "Appendix two"
    title_in_sentence = "Appendix two"
    template_name = "reports/documents/appendix_two.html"
    orientation = "landscape"
    #: The committee's copy prints each action's deadline as the seed does; a working copy
    #: adds each action's status (and “Complete” instead of a completed action's deadline).
    options = {"status": "working copy"}
    #: Plan data only (no provider figures): a daily return leaves its cached copies valid.
    version_parts = ("plan",)

    def get_context(self, plan, *, as_at, options=frozenset()):
        snapshot = selectors.plan_snapshot(plan, as_at=as_at)
        return {
            "plan": snapshot,
            "area_sections": area_sections(snapshot),
            "levels": levels(1),
            "with_status": "status" in options,
        }

    def sections(self, context) -> list[Section]:
        """One section per key area; the first also carries the title."""
        head = plan_head(context["plan"])
        common = {"levels": context["levels"], "with_status": context["with_status"]}
        return [
            Section(f"area-{entry.area.slug}",
                    {"area_sections": [entry], "continued": index > 0},
                    {**common, "head": head if index == 0 else None, "entry": entry})
            for index, entry in enumerate(context["area_sections"])
        ]

    def running_header(self, plan, context) -> str:
        header = super().running_header(plan, context)
        return f"{header} · working copy" if context["with_status"] else header


@dataclass
class AreaSection:
    """A key area of Appendix two with the part and theme headings printed before it; every
    one after the first starts a new page (`page_break` names the element that breaks)."""

    area: selectors.AreaData
    part_label: str
    theme_title: str
    theme_heading: bool
    theme_heading_shown: bool
    page_break: str


def area_sections(snapshot: PlanSnapshot) -> list[AreaSection]:
    """The plan's key areas in print order, each with the headings that open it."""
    entries = []
    for part in snapshot.parts:
        for theme_index, theme in enumerate(part.themes):
            for area_index, area in enumerate(theme.areas):
                first_of_part = theme_index == 0 and area_index == 0
                part_label = (part.label if first_of_part and snapshot.national.part_headings_shown
                              else "")
                theme_heading = area_index == 0 and theme.heading_shown
                page_break = ""
                if entries:
                    page_break = "part" if part_label else "theme" if theme_heading else "table"
                entries.append(AreaSection(area, part_label, theme.title, theme_heading,
                                           theme.heading_shown, page_break))
    return entries


def plan_head(snapshot: PlanSnapshot) -> PlanSnapshot:
    """The plan without its key areas: what every section's header and title show."""
    return replace(snapshot, parts=[])


def levels(top: int) -> dict[str, int]:
    """Heading levels for Appendix two when its title is an <h{top}>."""
    return {"title": top, "part": top + 1, "theme": top + 2, "area": top + 3}


# --- The committee report ------------------------------------------------------------------


@dataclass
class Paragraph:
    number: str
    text: str
    bullets: list[str] = field(default_factory=list)


@dataclass
class NumberedBlock:
    """A numbered sub-heading (e.g. “5.11. Seasonal Flu Vaccines”) and its paragraphs."""

    number: str
    heading: str
    paragraphs: list[Paragraph]
    kind: str = "text"


@dataclass
class NumberedSection:
    key: str
    number: str
    heading: str
    paragraphs: list[Paragraph]
    blocks: list[NumberedBlock] = field(default_factory=list)


def parse_body(text: str) -> list[tuple[str, list[str]]]:
    """(text, bullets) per paragraph: paragraphs are separated by blank lines, a paragraph's
    lines are kept (e.g. a signature), and a line starting “- ” is a bullet of the paragraph
    above it."""
    result: list[tuple[str, list[str]]] = []
    lines: list[str] = []
    bullets: list[str] = []

    def close():
        if lines or bullets:
            result.append(("\n".join(lines), list(bullets)))

    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            close()
            lines, bullets = [], []
        elif line.startswith("- "):
            bullets.append(line[2:].strip())
        elif bullets:  # a wrapped bullet line continues the bullet
            bullets[-1] = f"{bullets[-1]} {line}"
        else:
            lines.append(line)
    close()
    return result


def _numbered(prefix: str, text: str, start: int = 1) -> list[Paragraph]:
    return [
        Paragraph(f"{prefix}.{index}", body, bullets)
        for index, (body, bullets) in enumerate(parse_body(text), start=start)
    ]


def number_sections(report: ReportData, snapshot: PlanSnapshot) -> list[NumberedSection]:
    """Sections with numbered paragraphs (1.1, 6.1.1 ...); the background section continues
    with each key area's narrative (5.11 ...) and the status of the actions."""
    numbered = []
    for section in report.sections:
        paragraphs = _numbered(section.number, section.body)
        blocks = []
        if section.key == "background":
            counter = len(paragraphs)
            for area in snapshot.areas:
                if not area.narrative.strip():
                    continue
                counter += 1
                heading_number = f"{section.number}.{counter}"
                body = _numbered(section.number, area.narrative, start=counter + 1)
                counter += len(body)
                blocks.append(NumberedBlock(heading_number, area.title, body))
            counter += 1
            blocks.append(NumberedBlock(
                f"{section.number}.{counter}",
                f"Progress of the local actions as at {snapshot.reporting_date:%d/%m/%Y}",
                [],
                kind="status",
            ))
        for subsection in section.subsections:
            blocks.append(NumberedBlock(
                subsection.number, subsection.heading,
                _numbered(subsection.number, subsection.body),
            ))
        numbered.append(NumberedSection(section.key, section.number, section.heading,
                                        paragraphs, blocks))
    return numbered


@dataclass
class Bar:
    x: str
    width: str
    text_x: str
    count: int
    show_count: bool
    colour: str
    text_colour: str


@dataclass
class LabelLine:
    y: str
    text: str


@dataclass
class ChartRow:
    label_lines: list[LabelLine]
    bar_y: str
    text_y: str
    bars: list[Bar]
    total: int
    total_x: str


@dataclass
class LegendItem:
    x: str
    box_y: str
    text_x: str
    y: str
    colour: str
    label: str


@dataclass
class StatusChart:
    """Geometry of a horizontal stacked bar chart of actions by status per theme (SVG)."""

    width: int
    height: int
    bar_height: int
    rows: list[ChartRow]
    legend: list[LegendItem]
    description: str


#: Fill and text colours per status (GOV.UK palette; white text contrast at least 4.5:1).
STATUS_COLOURS = {
    ActionStatus.COMPLETE: ("#0f7a52", "#ffffff"),
    ActionStatus.ONGOING: ("#1d70b8", "#ffffff"),
    ActionStatus.IN_PROGRESS: ("#54319f", "#ffffff"),
    ActionStatus.NOT_STARTED: ("#505a5f", "#ffffff"),
    ActionStatus.AT_RISK: ("#ca3535", "#ffffff"),
}


def _n(value: float) -> str:
    return f"{value:.1f}"


def status_chart(summary: StatusSummary) -> StatusChart:
    """Lay out the chart: each theme's label, then its bar (widths proportional to counts)."""
    width, left, bar_height, line_height = 680, 8, 18, 15
    scale_width = width - left - 40
    largest = max((row.total for row in summary.rows), default=0) or 1
    rows = []
    y = 0.0
    for row in summary.rows:
        lines = []
        for text in textwrap.wrap(row.label, 95) or [""]:
            y += line_height
            lines.append(LabelLine(_n(y), text))
        bar_y = y + 5
        x = float(left)
        bars = []
        for (status, _), count in zip(summary.statuses, row.counts, strict=True):
            if not count:
                continue
            bar_width = scale_width * count / largest
            fill, text_colour = STATUS_COLOURS[status]
            bars.append(Bar(_n(x), _n(bar_width), _n(x + bar_width / 2), count,
                            bar_width >= 16, fill, text_colour))
            x += bar_width
        rows.append(ChartRow(lines, _n(bar_y), _n(bar_y + 13), bars, row.total, _n(x + 6)))
        y = bar_y + bar_height + 10
    legend = []
    legend_x = float(left)
    legend_y = y + 16
    for status, label in summary.statuses:
        legend.append(LegendItem(_n(legend_x), _n(legend_y - 10), _n(legend_x + 16),
                                 _n(legend_y), STATUS_COLOURS[status][0], label))
        legend_x += 16 + 7 * len(label) + 20
    described = "; ".join(
        (f"{row.label}: " + ", ".join(
            f"{count} {label.lower()}"
            for (_, label), count in zip(summary.statuses, row.counts, strict=True) if count
        )) if row.total else f"{row.label}: no actions"
        for row in summary.rows
    )
    return StatusChart(width, int(legend_y + 10), bar_height, rows, legend, described)


@register
class CommitteeReportDocument(PlanDocument):
    slug = "committee-report"
    title = "Committee report"
    title_in_sentence = "committee report"
    template_name = "reports/documents/committee_report.html"

    def document_title(self, plan, context) -> str:
        return context["report"].title

    def get_context(self, plan, *, as_at):
        snapshot = selectors.plan_snapshot(plan, as_at=as_at)
        report = selectors.committee_report(plan, as_at=as_at)
        summary = selectors.status_summary(snapshot)
        return {
            "plan": snapshot,
            "report": report,
            "sections": number_sections(report, snapshot),
            "status": summary,
            "chart": status_chart(summary),
            "appendix_one": [Paragraph("", text, bullets)
                             for text, bullets in parse_body(report.appendix_one_body)],
            "levels": levels(3),
            "area_sections": area_sections(snapshot),
        }

    def sections(self, context) -> list[Section]:
        """The report itself (cover and sections 1-10), Appendix one, then Appendix two's key
        areas one by one: each starts a new page."""
        head = plan_head(context["plan"])
        body = {key: context[key] for key in ("report", "sections", "status", "chart")}
        parts = [Section("report", {"part": "report"}, {"head": head, **body})]
        if context["report"].has_appendix_one:
            parts.append(Section("appendix-one", {"part": "appendix-one"},
                                 {"report": context["report"],
                                  "appendix_one": context["appendix_one"]}))
        for index, entry in enumerate(context["area_sections"]):
            parts.append(Section(
                f"area-{entry.area.slug}",
                {"part": "appendix-two", "area_sections": [entry], "continued": index > 0},
                {"head": head, "levels": context["levels"], "entry": entry,
                 "first": index == 0}))
        return parts


# --- The DHSC letter -----------------------------------------------------------------------


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def proposed_key_issues(snapshot: PlanSnapshot, figures: ProviderFigures) -> list[str]:
    """Key issues the data suggests: overdue actions, requirements not met or partly met,
    providers without a reviewed business continuity plan, and red-rated providers."""
    issues = []
    for area in snapshot.areas:
        for action in area.actions:
            if action.overdue:
                issues.append(
                    f"{area.title}: the action “{_short(action.text)}” ({action.team}) was due "
                    f"{action.deadline_display} and is {action.status_label.lower()}."
                )
    for area in snapshot.areas:
        for requirement in area.requirements:
            if requirement.compliance == Compliance.NOT_MET:
                issues.append(f"{area.title}: not yet met – “{_short(requirement.text)}”")
            elif requirement.compliance == Compliance.PARTIALLY_MET:
                issues.append(f"{area.title}: partly met – “{_short(requirement.text)}”")
    if figures.providers and figures.not_reviewed:
        issues.append(
            f"{figures.not_reviewed} of our {figures.providers} care providers do not yet have a "
            "reviewed business continuity plan; we are following each of them up."
        )
    if figures.red:
        names = ", ".join(figures.red[:10])
        more = f" and {len(figures.red) - 10} more" if len(figures.red) > 10 else ""
        issues.append(
            f"{len(figures.red)} provider{'s are' if len(figures.red) != 1 else ' is'} rated red "
            f"on our COVID-19 risk log and receiving additional support: {names}{more}."
        )
    return issues


def proposed_key_issues_for(plan: LocalPlan) -> list[str]:
    """The key issues the plan's and its council's providers' current data suggest."""
    return proposed_key_issues(selectors.plan_snapshot(plan),
                               selectors.provider_figures(plan.council))


@dataclass
class LetterFacts:
    """What the letter states about the plan (not the plan itself)."""

    plan_title: str
    reporting_date: datetime.date
    actions: int
    key_areas: int
    nhs_key_areas: int


@register
class DhscLetterDocument(PlanDocument):
    slug = "dhsc-letter"
    title = "Letter to DHSC"
    title_in_sentence = "letter to DHSC"
    template_name = "reports/documents/dhsc_letter.html"
    read_roles = permissions.LETTER_READ_ROLES

    def available_for(self, plan) -> bool:
        """Only a plan whose national plan sets a confirmation deadline asks for a letter."""
        return plan.national_plan.confirmation_deadline is not None

    def get_context(self, plan, *, as_at):
        snapshot = selectors.plan_snapshot(plan, as_at=as_at)
        figures = selectors.provider_figures(plan.council, as_at=as_at)
        letter = selectors.letter(plan, as_at=as_at)
        proposed = proposed_key_issues(snapshot, figures)
        # The letter bears the date its manager gave it; a draft, the reporting date.
        dated = letter.dated or (timezone.localtime(letter.approved_at).date()
                                 if letter.approved_at else snapshot.reporting_date)
        return {
            "council": snapshot.council,
            "national": snapshot.national,
            "facts": LetterFacts(
                plan_title=snapshot.title,
                reporting_date=snapshot.reporting_date,
                actions=sum(len(area.actions) for area in snapshot.areas),
                key_areas=len(snapshot.areas),
                nhs_key_areas=sum(len(t.areas) for t in snapshot.themes if t.part == "nhs"),
            ),
            "providers": figures,
            "letter": letter,
            "key_issues": letter.key_issues if letter.key_issues is not None else proposed,
            "proposed_key_issues": proposed,
            "dated": dated,
            "dhsc_address": list(DHSC_ADDRESS),
            "draft": letter.state == "draft",
        }

    def running_header(self, plan, context) -> str:
        marker = " · DRAFT" if context["draft"] else ""
        return f"{context['council'].name} · Letter to DHSC{marker}"

    def document_title(self, plan, context) -> str:
        return f"{context['council'].name}: confirmation of our winter plan to DHSC"

    def as_approved(self, built, approved_at: datetime.datetime, dated: datetime.date):
        """The built draft as it reads once approved at `approved_at`, bearing the date
        `dated` (what gets stored)."""
        letter = replace(
            built.context["letter"],
            state="approved",
            state_label="Approved",
            approved_at=approved_at,
            dated=dated,
            key_issues=built.context["key_issues"],
        )
        context = {
            **built.context,
            "letter": letter,
            "dated": dated,
            "draft": False,
        }
        return replace(built, context=context, title=self.document_title(built.subject, context),
                       header=self.running_header(built.subject, context))

    def _frozen(self, plan, as_at):
        if as_at is not None:
            return None
        from reports.models import DhscLetter

        return (
            DhscLetter.objects.filter(local_plan=plan)
            .exclude(state=DhscLetter.State.DRAFT)
            .only("approved_pdf", "approved_html")
            .first()
        )

    def stored_pdf(self, plan, as_at):
        frozen = self._frozen(plan, as_at)
        return bytes(frozen.approved_pdf) if frozen else None

    def stored_html(self, plan, as_at):
        frozen = self._frozen(plan, as_at)
        return frozen.approved_html if frozen else None

    def stored_docx(self, plan, as_at):
        if as_at is not None:
            return None
        from reports.models import DhscLetter

        content = (
            DhscLetter.objects.filter(local_plan=plan, approved_docx__isnull=False)
            .exclude(state=DhscLetter.State.DRAFT)
            .values_list("approved_docx", flat=True)
            .first()
        )
        return bytes(content) if content is not None else None


PLAN_DOCUMENTS = ("appendix-two", "committee-report", "dhsc-letter")
