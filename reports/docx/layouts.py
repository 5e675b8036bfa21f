"""Each document in Word, laid out from the context its PDF is made from (the same builders in
reports.contexts): what the body templates in templates/reports/documents/ print, in the
same order and words, with Word's own headings, lists and tables."""

from django.template.defaultfilters import pluralize

from reports.docx.writer import NUMBERED, WordWriter, clean, tidy_cell
from winterplan.templatetags.plain_text import text_blocks

#: Column widths (cm) of Appendix two's tables on A4 landscape (print.css: 38/20/42 %).
THREE_COLUMNS = [10.2, 5.4, 11.3]
TWO_COLUMNS = [10.8, 16.1]
#: The status table's first column, then one per status, total and overdue (A4 portrait).
STATUS_WIDTHS = [6.2, 1.6, 1.6, 1.6, 1.6, 1.6, 1.6, 2.0]


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def as_at_line(plan, with_status: bool = False) -> str:
    """“<council> · as at dd/mm/yyyy”, as Appendix two's first line says it."""
    line = f"{plan.council.name} · as at {_date(plan.reporting_date)}"
    if plan.as_at:
        line += f" · rebuilt from the change history as the plan stood at " \
                f"{plan.as_at:%d/%m/%Y %H:%M}"
    if with_status:
        line += " · working copy: each action’s status is shown"
    return line


# --- Plain text with “- ” sub-bullets (the `bulleted` filter) --------------------------


def write_text(writer: WordWriter, cell, text: str, *, level: int, prefix: str = "",
               suffix: str = "", bulleted: bool = True, style: str | None = None):
    """The text as the `bulleted` filter prints it: its first line as a list item at `level`
    (or a paragraph), its “- ” lines one level below, later lines as continuations. Returns
    the last paragraph written."""
    runs = text_blocks(clean(text)) or [("", [])]
    last = None
    item_style = style or (_bullet_style(level) if bulleted else None)
    continue_style = _continue_style(level) if bulleted else None
    for index, (lead, bullets) in enumerate(runs):
        if index == 0 or lead:
            words = f"{prefix}{lead}" if index == 0 else lead
            last = writer.paragraph(words, cell, item_style if index == 0 else continue_style)
        for item in bullets:
            last = writer.paragraph(item, cell, _bullet_style(level + 1 if bulleted else 1))
    if suffix:
        last.add_run(f" {suffix}")
    return last


def _bullet_style(level: int) -> str:
    return "List Bullet" if level <= 1 else f"List Bullet {min(level, 3)}"


def _continue_style(level: int) -> str:
    return "List Continue" if level <= 1 else f"List Continue {min(level, 3)}"


def write_links(writer: WordWriter, cell, links, *, level: int | None,
                style: str | None = None) -> None:
    """Each link on its own line: its title as a hyperlink, then its address."""
    for link in links:
        paragraph = writer.paragraph("", cell, style or (_continue_style(level) if level
                                                         else None))
        writer.link_line(paragraph, link.title, link.url)


# --- Appendix two ------------------------------------------------------------------------


def appendix_two(writer: WordWriter, context: dict, *, kicker: bool) -> None:
    """Every key area's table under its part and theme headings (context: plan, levels,
    with_status)."""
    plan, levels = context["plan"], context["levels"]
    with_status = context.get("with_status", False)
    if kicker:
        writer.paragraph(f"Appendix two – {plan.title}", style="Subtitle", links=False)
    writer.heading(plan.national.display_title, levels["title"])
    writer.paragraph(as_at_line(plan, with_status), links=False)
    for part in plan.parts:
        if plan.national.part_headings_shown:
            writer.heading(part.label, levels["part"])
        for theme in part.themes:
            if theme.heading_shown:
                writer.heading(theme.title, levels["theme"])
            for area in theme.areas:
                level = levels["area"] if theme.heading_shown else levels["theme"]
                writer.heading(area.title, level)
                _area_table(writer, area, with_status)


def _area_table(writer: WordWriter, area, with_status: bool) -> None:
    widths = THREE_COLUMNS if area.has_requirements_column else TWO_COLUMNS
    table = writer.table(area.headings, widths, caption=area.title)
    cells = writer.add_row(table, widths).cells
    if area.has_requirements_column:
        requirements, team, commentary = cells
        _requirements(writer, requirements, area)
    else:
        team, commentary = cells
    _actions(writer, team, area, with_status)
    for item in area.commentary:
        write_text(writer, commentary, item.text, level=1)
        write_links(writer, commentary, item.links, level=1)
        for child in item.children:
            write_text(writer, commentary, child.text, level=2)
            write_links(writer, commentary, child.links, level=2)
    for cell in cells:
        tidy_cell(cell)


def _requirements(writer: WordWriter, cell, area) -> None:
    if not area.blocks:
        writer.paragraph("No requirements.", cell)
    for block in area.blocks:
        if block.audience:
            writer.paragraph(block.audience, cell).runs[0].bold = True
        for requirement in block.items:
            write_text(writer, cell, requirement.text, level=1, bulleted=block.bulleted)
            write_links(writer, cell, requirement.links, level=1 if block.bulleted else None)


def _actions(writer: WordWriter, cell, area, with_status: bool) -> None:
    if area.responsible_team:
        writer.paragraph(area.responsible_team, cell, "List Bullet").runs[0].bold = True
    for action in area.actions:
        if with_status and action.status == "complete":
            write_text(writer, cell, action.text, level=1, prefix="ACTION: ")
            writer.paragraph("Complete", cell, "List Continue").runs[0].bold = True
        else:
            write_text(writer, cell, action.text, level=1, prefix="ACTION: ",
                       suffix=action.deadline_display)
            if with_status:
                overdue = " (overdue)" if action.overdue else ""
                status = writer.paragraph(f"Status: {action.status_label}{overdue}", cell,
                                          "List Continue")
                status.runs[0].bold = True
        write_links(writer, cell, action.links, level=1)


def write_appendix_two(writer: WordWriter, built) -> None:
    appendix_two(writer, built.context, kicker=True)


# --- The committee report ------------------------------------------------------------------


def write_committee_report(writer: WordWriter, built) -> None:
    context = built.context
    plan, report = context["plan"], context["report"]
    writer.paragraph(plan.council.name, style="Subtitle", links=False)
    writer.paragraph(report.committee, links=False)
    as_at = _date(plan.reporting_date)
    if plan.as_at:
        as_at += (" (rebuilt from the change history as the plan stood at "
                  f"{plan.as_at:%d/%m/%Y %H:%M})")
    _facts(writer, [
        ("Date of meeting", _date(report.meeting_date) or "To be confirmed"),
        ("Report of", f"{plan.council.dass_name}, {plan.council.dass_title}"),
        ("Plan as at", as_at),
    ])
    writer.heading(report.title, 1)
    for section in context["sections"]:
        writer.heading(f"{section.number}. {section.heading}", 2)
        _paragraphs(writer, section.paragraphs)
        if section.key == "contact":
            _facts(writer, [
                ("Name", report.contact_name or "Not given"),
                ("Job Title", report.contact_job_title or "Not given"),
                ("Email", report.contact_email or "Not given"),
            ])
        for block in section.blocks:
            writer.heading(f"{block.number}. {block.heading}", 3)
            if block.kind == "status":
                _status(writer, context)
            else:
                _paragraphs(writer, block.paragraphs)
    if report.has_appendix_one:
        writer.heading(f"Appendix one – {report.appendix_one_title}", 2)
        _paragraphs(writer, context["appendix_one"])
        if report.appendix_links:
            writer.heading("Links in this letter", 3)
            write_links(writer, None, report.appendix_links, level=None, style="List Bullet")
    writer.landscape_section()
    writer.heading(f"Appendix two – {plan.title}", 2)
    appendix_two(writer, {**context, "with_status": False}, kicker=False)


def _facts(writer: WordWriter, facts: list[tuple[str, str]]) -> None:
    for label, value in facts:
        paragraph = writer.paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        writer.inline(paragraph, value)
        paragraph.paragraph_format.space_after = 0


def _paragraphs(writer: WordWriter, paragraphs) -> None:
    for paragraph in paragraphs:
        if paragraph.number:
            writer.numbered(paragraph.number, paragraph.text)
        else:
            writer.paragraph(paragraph.text)
        for bullet in paragraph.bullets:
            writer.bullet(bullet, 2 if paragraph.number else 1)


def _status(writer: WordWriter, context: dict) -> None:
    status, plan = context["status"], context["plan"]
    total = status.total
    counts = total.counts
    writer.paragraph(
        f"Of the plan’s {total.total} local actions, {counts[0]} "
        f"{pluralize(counts[0], 'is,are')} complete, {counts[1]} ongoing, {counts[2]} in "
        f"progress, {counts[3]} not started and {counts[4]} at risk; {total.overdue} "
        f"{pluralize(total.overdue, 'is,are')} overdue.",
        links=False,
    )
    caption = f"Local actions by status and theme, as at {_date(plan.reporting_date)}"
    writer.paragraph(caption, style="Caption", links=False)
    headings = ["Theme", *[label for _, label in status.statuses], "Total", "Overdue"]
    table = writer.table(headings, STATUS_WIDTHS, caption=caption)
    for row in [*status.rows, total]:
        cells = writer.add_row(table, STATUS_WIDTHS).cells
        cells[0].paragraphs[0].add_run(clean(row.label)).bold = True
        for cell, value in zip(cells[1:], [*row.counts, row.total, row.overdue], strict=True):
            cell.paragraphs[0].add_run(str(value))


# --- The DHSC letter -----------------------------------------------------------------------


def write_dhsc_letter(writer: WordWriter, built) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    context = built.context
    council, national, facts = context["council"], context["national"], context["facts"]
    providers, letter = context["providers"], context["letter"]
    if context["draft"]:
        draft = writer.paragraph("Draft: not yet approved. Only a manager’s approved letter "
                                 "may be sent.", links=False)
        draft.runs[0].bold = True
        draft.runs[0].font.color.rgb = RGBColor(0xCA, 0x35, 0x35)
    if council.sample_notice:
        writer.paragraph(council.sample_notice, links=False).runs[0].italic = True
    name = writer.paragraph(council.name, links=False)
    name.runs[0].bold = True
    name.runs[0].font.size = Pt(14)
    contact = [f"Telephone: {council.telephone}" if council.telephone else "",
               f"Email: {council.email}" if council.email else "", council.website]
    for lines in (council.address_lines, [line for line in contact if line]):
        block = writer.paragraph("\n".join(lines), links=False)
        block.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    name.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    writer.paragraph("\n".join(context["dhsc_address"]), links=False)
    _facts(writer, [("Our reference", letter.reference), ("Date", _date(context["dated"]))])
    writer.paragraph("Dear Sir or Madam,", links=False)
    writer.heading(f"{national.title}: confirmation from {council.name}", 1)
    deadline = (f", which asks every local authority to write by "
                f"{_date(national.confirmation_deadline)}" if national.confirmation_deadline
                else "")
    writer.paragraph(
        f"In response to ‘{national.title}’, published by the {national.publisher} on "
        f"{_date(national.published_on)}{deadline}, and in order to receive the second "
        "instalment of the Infection Control Fund, I confirm that:", links=False)
    if providers.providers:
        bcp = (f": we have reviewed the business continuity plans of {providers.reviewed} of "
               f"our {providers.providers} care providers ({providers.received} "
               f"plan{pluralize(providers.received)} received, {providers.adequate} found "
               "adequate);")
    else:
        bcp = ": our register of providers is being brought up to date;"
    nhs = (f", including in the {facts.nhs_key_areas} key areas led by NHS organisations"
           if facts.nhs_key_areas else "")
    confirmations = [
        (f"{council.name} has put in place a winter plan",
         f", “{facts.plan_title}”, which answers the {facts.key_areas} key areas of the "
         f"national plan with {facts.actions} local action{pluralize(facts.actions)} (as at "
         f"{_date(facts.reporting_date)});"),
        ("we are working with the care providers in our area on their business continuity "
         "plans", bcp),
        ("our plan considers the recommendations of the Winter Plan",
         f" and has involved NHS and voluntary and community sector organisations where "
         f"possible{nhs}."),
    ]
    for letter_mark, (lead, rest) in zip("abc", confirmations, strict=True):
        paragraph = writer.paragraph(style=NUMBERED)
        paragraph.add_run(f"({letter_mark})\t").bold = True
        writer.inline(paragraph, lead, links=False, bold=True)
        writer.inline(paragraph, rest, links=False)
    writer.heading("Key issues", 2)
    if context["key_issues"]:
        for issue in context["key_issues"]:
            writer.bullet(issue)
    else:
        writer.paragraph("We have no key issues to highlight at this time.")
    sign_off = [
        writer.paragraph("We will keep the plan under review through the winter and will "
                         "write again if the position changes materially.", links=False),
        writer.paragraph("Yours faithfully,", links=False),
    ]
    signature = writer.paragraph(f"{council.dass_name}", links=False)
    signature.runs[0].bold = True
    signature.add_run(f"\n{clean(council.dass_title)}\n{clean(council.name)}")
    signature.paragraph_format.space_before = Pt(36)
    for paragraph in sign_off:  # the sign-off stays on one page with the signature
        paragraph.paragraph_format.keep_with_next = True
    signature.paragraph_format.keep_together = True


LAYOUTS = {
    "appendix-two": write_appendix_two,
    "committee-report": write_committee_report,
    "dhsc-letter": write_dhsc_letter,
}
