"""Changes to the documents' own data: the committee report's text and the DHSC letter.

Every write is validated with full_clean(), recorded in history with the user, and guarded by
optimistic locking (a save based on an older version raises actions' EditConflict with what
the other person changed). The letter's workflow is draft -> approved (managers; its PDF is
rendered and stored, and from then on that is what every download returns) -> sent (the date
it went).
"""

import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import LocalPlan
from reports import defaults
from reports.contexts import proposed_key_issues_for
from reports.models import AppendixLink, CommitteeReport, DhscLetter, ReportSection
from winterplan import permissions
from winterplan.history import history_moment
from winterplan.sync import RowError, upsert

REPORT_FIELDS = ("committee", "title", "meeting_date", "contact_name", "contact_job_title",
                 "contact_email")
APPENDIX_FIELDS = ("appendix_one_title", "appendix_one_body")
SECTION_FIELDS = ("heading", "body")
LETTER_FIELDS = ("reference", "key_issues", "dated")

NOT_A_DRAFT = "This letter has been approved: it can no longer be changed."
NOT_APPROVED = "Only an approved letter can be recorded as sent."
NO_DRAFT = "Save the letter as a draft first, read it, then approve it."
NO_VERSION = ("The approval did not say which version of the letter was read: open the letter, "
              "read it and approve it from its page.")
SENT_BEFORE_APPROVAL = "The letter cannot have been sent before its date (%(date)s)."
SENT_IN_FUTURE = "The date sent cannot be in the future."
DATED_IN_FUTURE = "The letter cannot be dated in the future."


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


class EditConflict(Exception):
    """Someone else saved the object after the editor opened it."""

    def __init__(self, current, changes: list[FieldChange], changed_by, changed_at):
        self.current = current
        self.changes = changes
        self.changed_by = changed_by
        self.changed_at = changed_at
        super().__init__("The object was changed by someone else.")


def _display(instance, name: str) -> str:
    value = getattr(instance, name)
    field = instance._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if value in (None, ""):
        return "—"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _changes_since(instance, version: int, fields) -> list[FieldChange]:
    record = instance.history.filter(version=version).order_by("-history_date").first()
    if record is None:
        return []
    old = record.instance
    return [
        FieldChange(str(instance._meta.get_field(name).verbose_name).capitalize(),
                    _display(old, name), _display(instance, name))
        for name in fields
        if _display(old, name) != _display(instance, name)
    ]


def _save(instance, user) -> None:
    instance._history_user = user
    instance.full_clean()
    instance.save()


def _conflict(instance, expected_version: int, fields) -> EditConflict:
    latest = instance.history.order_by("-history_date", "-history_id").first()
    return EditConflict(
        current=instance,
        changes=_changes_since(instance, expected_version, fields),
        changed_by=latest.history_user if latest else None,
        changed_at=latest.history_date if latest else None,
    )


# --- The committee report ------------------------------------------------------------------


def committee_report_ensure(*, plan: LocalPlan, user) -> tuple[CommitteeReport, bool]:
    """The plan's committee report, created with the standard empty sections if it has none;
    and whether it was created now."""
    report = CommitteeReport.objects.select_for_update().filter(local_plan=plan).first()
    if report is not None:
        return report, False
    report = CommitteeReport(
        local_plan=plan,
        committee=defaults.DEFAULT_COMMITTEE,
        title=defaults.default_title(plan.national_plan.title),
    )
    _save(report, user)
    position = 0
    for key, number, heading, subsections in defaults.SECTIONS:
        position += 1
        parent = ReportSection(report=report, key=key, number=number, heading=heading,
                               position=position)
        _save(parent, user)
        for sub_key, sub_number, sub_heading in subsections:
            position += 1
            _save(ReportSection(report=report, parent=parent, key=sub_key, number=sub_number,
                                heading=sub_heading, position=position), user)
    return report, True


def _versioned_update(current, *, user, data: dict[str, Any], expected_version: int, fields):
    if current.version != expected_version:
        raise _conflict(current, expected_version, fields)
    for name in fields:
        if name in data:
            setattr(current, name, data[name])
    current.version += 1
    _save(current, user)
    return current


def _report_fields_update(*, plan, user, data, expected_version, fields) -> CommitteeReport:
    permissions.require(permissions.can_edit(user))
    report, created = committee_report_ensure(plan=plan, user=user)
    if created:  # the editor started from the defaults, version 0
        expected_version = report.version
    return _versioned_update(report, user=user, data=data, expected_version=expected_version,
                             fields=fields)


@transaction.atomic
def committee_report_update(
    *, plan: LocalPlan, user, data: dict[str, Any], expected_version: int
) -> CommitteeReport:
    """Change the report's title, committee, meeting date or contact officer."""
    return _report_fields_update(plan=plan, user=user, data=data,
                                 expected_version=expected_version, fields=REPORT_FIELDS)


@transaction.atomic
def appendix_one_update(
    *, plan: LocalPlan, user, data: dict[str, Any], expected_version: int
) -> CommitteeReport:
    """Change (or, with a blank title, remove) Appendix one, the attached letter."""
    return _report_fields_update(plan=plan, user=user, data=data,
                                 expected_version=expected_version, fields=APPENDIX_FIELDS)


@transaction.atomic
def report_section_update(
    *, plan: LocalPlan, key: str, user, data: dict[str, Any], expected_version: int
) -> ReportSection:
    """Change a section's heading or text."""
    permissions.require(permissions.can_edit(user))
    report, created = committee_report_ensure(plan=plan, user=user)
    section = ReportSection.objects.select_for_update().filter(report=report, key=key).first()
    if section is None:
        raise ValidationError("The report has no such section.")
    if created:  # the editor started from the defaults, version 0
        expected_version = section.version
    return _versioned_update(section, user=user, data=data, expected_version=expected_version,
                             fields=SECTION_FIELDS)


def committee_report_import(data: dict[str, Any], *, update: bool = True) -> tuple[
    CommitteeReport, int
]:
    """Create or update a committee report from its YAML mapping (fixtures/reports/).

    Rows it creates are dated in history at the start of the plan's as-at date, like the plan.
    Returns the report and the number of rows written.
    """
    where = f"committee report of {data.get('local_plan', '?')}"
    try:
        plan = LocalPlan.objects.get(slug=data["local_plan"])
    except (KeyError, LocalPlan.DoesNotExist):
        raise RowError(where, "no such local plan.") from None
    moment = history_moment(plan.as_at)
    contact = data.get("contact") or {}
    appendix = data.get("appendix_one") or {}
    report, written = upsert(
        CommitteeReport,
        where=where,
        lookup={"local_plan": plan},
        values={
            "committee": data.get("committee", defaults.DEFAULT_COMMITTEE),
            "title": data.get("title") or defaults.default_title(plan.national_plan.title),
            "meeting_date": data.get("meeting_date"),
            "contact_name": contact.get("name", ""),
            "contact_job_title": contact.get("job_title", ""),
            "contact_email": contact.get("email", ""),
            "appendix_one_title": appendix.get("title", ""),
            "appendix_one_body": (appendix.get("body") or "").strip(),
        },
        update=update,
        history_date=moment,
    )
    written = int(written)
    position = 0
    for item in data.get("sections") or []:
        position += 1
        section, changed = _section_upsert(report, item, None, position, where, update, moment)
        written += changed
        for sub in item.get("subsections") or []:
            position += 1
            written += _section_upsert(report, sub, section, position, where, update, moment)[1]
    for number, link in enumerate(appendix.get("links") or [], start=1):
        _, changed = upsert(
            AppendixLink,
            where=f"{where}, appendix link {number}",
            lookup={"report": report, "position": number},
            values={"title": link.get("title", ""), "url": link.get("url", "")},
            update=update,
            history_date=moment,
        )
        written += changed
    report.__dict__.pop("_history_date", None)  # the caller's own saves are dated when made
    return report, written


def _section_upsert(report, item, parent, position, where, update, moment):
    return upsert(
        ReportSection,
        where=f"{where}, section {item.get('number', '?')}",
        lookup={"report": report, "key": item.get("key", "")},
        values={
            "parent": parent,
            "number": str(item.get("number", "")),
            "heading": item.get("heading", ""),
            "body": (item.get("body") or "").strip(),
            "position": position,
        },
        update=update,
        history_date=moment,
    )


def committee_reports_load(directory: Path, *, update: bool, report) -> None:
    """Load every committee report file in `directory` (the sample data's reports/)."""
    from actions.services.plan_files import read_yaml

    for path in sorted(directory.glob("*.yaml")):
        data = read_yaml(path)
        slug = data.get("local_plan", "?")
        if not update and CommitteeReport.objects.filter(local_plan__slug=slug).exists():
            report.skipped.append(f"committee report of {slug}")
            continue
        _, written = committee_report_import(data, update=update)
        report.add("committee report rows", written)


# --- The DHSC letter -----------------------------------------------------------------------


def _letter_locked(plan: LocalPlan) -> DhscLetter | None:
    return DhscLetter.objects.select_for_update().filter(local_plan=plan).first()


@transaction.atomic
def letter_update(
    *, plan: LocalPlan, user, data: dict[str, Any], expected_version: int
) -> DhscLetter:
    """Draft the letter or change its reference and key issues (managers; drafts only)."""
    permissions.require(permissions.can_approve(user))
    letter = _letter_locked(plan)
    if letter is None:
        letter = DhscLetter(local_plan=plan, version=0,
                            reference=defaults.default_letter_reference(plan.slug),
                            key_issues="\n".join(proposed_key_issues_for(plan)))
    if letter.is_frozen:
        raise ValidationError(NOT_A_DRAFT)
    if letter.pk and letter.version != expected_version:
        raise _conflict(letter, expected_version, LETTER_FIELDS)
    for name in LETTER_FIELDS:
        if name in data:
            setattr(letter, name, data[name])
    if letter.dated and letter.dated > timezone.localdate():
        raise ValidationError({"dated": DATED_IN_FUTURE})
    letter.version += 1
    _save(letter, user)
    return letter


@transaction.atomic
def letter_approve(
    *, plan: LocalPlan, user, expected_version: int | None, dated: datetime.date | None = None
) -> DhscLetter:
    """Approve the saved draft the manager read (its version; refused without one), dated
    `dated` (the letter's date, default its draft's date or the plan's reporting date, never
    in the future): render it now, store that PDF, HTML and Word file, and freeze the letter."""
    from reports import documents
    from reports.docx import write_docx
    from reports.pdf import html_to_pdf

    permissions.require(permissions.can_approve(user))
    if expected_version is None:
        raise ValidationError(NO_VERSION, code="no_version")
    letter = _letter_locked(plan)
    if letter is None:
        raise ValidationError(NO_DRAFT, code="no_draft")
    if letter.is_frozen:
        raise ValidationError(NOT_A_DRAFT)
    if letter.version != expected_version:
        raise _conflict(letter, expected_version, LETTER_FIELDS)
    dated = dated or letter.dated or plan.as_at
    if dated > timezone.localdate():
        raise ValidationError({"dated": DATED_IN_FUTURE})
    approved_at = timezone.now()
    document = documents.get("dhsc-letter")
    letter.dated = dated
    built = document.as_approved(documents.build(document, plan), approved_at, dated)
    pdf = html_to_pdf(documents.render_html(built))
    letter.state = DhscLetter.State.APPROVED
    letter.approved_at = approved_at
    letter.approved_by = user
    letter.approved_pdf = pdf.content
    letter.approved_pdf_sha256 = hashlib.sha256(pdf.content).hexdigest()
    letter.approved_html = documents.render_body(built)
    letter.approved_docx = write_docx(built, created=approved_at)
    letter.approved_docx_sha256 = hashlib.sha256(letter.approved_docx).hexdigest()
    letter.version += 1
    _save(letter, user)
    return letter


@transaction.atomic
def letter_mark_sent(
    *, plan: LocalPlan, user, sent_on: datetime.date, expected_version: int
) -> DhscLetter:
    """Record the date the approved letter was sent to DHSC (on or after its date, not in the
    future), and complete the plan's open actions that answer the ask for the letter."""
    from actions.models import LocalAction
    from actions.services.local_actions import local_action_complete

    permissions.require(permissions.can_approve(user))
    letter = _letter_locked(plan)
    if letter is None or letter.state != DhscLetter.State.APPROVED:
        raise ValidationError(NOT_APPROVED)
    if letter.version != expected_version:
        raise _conflict(letter, expected_version, ("state", "sent_on"))
    dated = letter.dated or timezone.localtime(letter.approved_at).date()
    if sent_on < dated:
        raise ValidationError(SENT_BEFORE_APPROVAL, params={"date": dated.strftime("%d/%m/%Y")})
    if sent_on > timezone.localdate():
        raise ValidationError(SENT_IN_FUTURE)
    letter.state = DhscLetter.State.SENT
    letter.sent_on = sent_on
    letter.version += 1
    _save(letter, user)
    answering = set(
        LocalAction.objects.for_plan(plan).open()
        .filter(requirements__asks_for_letter=True).values_list("pk", flat=True)
    )
    for action in LocalAction.objects.select_for_update().filter(pk__in=answering):
        local_action_complete(action=action, user=user, expected_version=action.version)
    return letter


def sample_reports_load(*, fixtures, update: bool, report, **_) -> None:
    """A step of winterplan.sample_data (settings.SAMPLE_DATA_STEPS): the sample committee
    reports."""
    committee_reports_load(fixtures / "reports", update=update, report=report)
