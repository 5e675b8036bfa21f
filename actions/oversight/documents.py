"""The regional summary, registered with the documents pipeline (reports.documents):
"Winter plan assurance — <region>, as at <date>", one table of the region's councils and the
key issues grouped by theme."""

import datetime

from django.utils import timezone

from actions.oversight import selectors
from actions.oversight.tables import LETTER_LABELS, NO_PLAN
from reports.documents import Document, register
from winterplan import permissions
from winterplan.models import Council


def summary_day(as_at: datetime.datetime | None) -> datetime.date:
    """The day the summary is judged on: `as_at`'s (UK time), else the roll-up's default."""
    if as_at is not None:
        return timezone.localtime(as_at).date()
    return selectors.default_date(selectors.default_national_plan())


@register
class RegionalSummary(Document):
    """Subject: an ADASS region. The councils of the region that existed on the day, with the
    roll-up's figures for the newest national plan with a deadline, judged on that day (the
    councils' current data, not rebuilt from history)."""

    slug = "regional-summary"
    title = "Winter plan assurance"
    template_name = "oversight/documents/regional_summary.html"
    orientation = "landscape"
    read_roles = permissions.OVERSIGHT_READ_ROLES

    def get_context(self, subject, *, as_at):
        day = summary_day(as_at)
        national_plan = selectors.default_national_plan()
        councils = Council.objects.filter(region=subject)
        rows = list(selectors.rollup_councils(councils, national_plan=national_plan, as_at=day))
        summary = selectors.region_summaries(rows, national_plan)
        return {
            "region": subject.name,
            "day": day,
            "national_plan": national_plan.title if national_plan else "",
            "deadline": national_plan.confirmation_deadline if national_plan else None,
            "rows": [{
                "name": row.name,
                "plans": "; ".join(plan.title for plan in row.rollup_plans) or NO_PLAN,
                "percent_complete": row.percent_complete,
                "open": row.actions_open,
                "overdue": row.actions_overdue,
                "not_met": row.requirements_not_met,
                "partly_met": row.requirements_partly_met,
                "letter": LETTER_LABELS.get(row.letter_state, row.letter_state),
                "sent_on": row.letter_sent_on,
                "by_deadline": selectors.sent_by_deadline(row, national_plan),
                "red": row.providers_red,
                "amber": row.providers_amber,
                "bcp_reviewed_percent": row.bcp_reviewed_percent,
            } for row in rows],
            "summary": summary[0] if summary else None,
            "themes": selectors.region_key_issues(
                councils.active_on(day), national_plan=national_plan, as_at=day),
        }

    def document_title(self, subject, context):
        return f"{self.title} — {subject.name}, as at {context['day']:%d/%m/%Y}"

    def running_header(self, subject, context):
        return f"{self.title} — {subject.name} · as at {context['day']:%d/%m/%Y}"

    def filename(self, subject, as_at):
        return f"winter-plan-assurance-{subject.slug}-{summary_day(as_at):%Y-%m-%d}.pdf"
