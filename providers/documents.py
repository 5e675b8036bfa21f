"""The providers' documents, registered with the documents pipeline (reports.documents):
the weekly COVID-19 highlight report and a tranche's Infection Control Fund allocation
schedule. Each is a template plus a context builder that calls selectors only and returns
plain data (it is hashed into the PDF cache key)."""

import datetime

from django.utils import timezone

from providers.models import IcfTranche
from providers.selectors import highlight_report, icf_schedule, icf_tranche_totals
from providers.selectors.register import latest_returns_day
from reports.documents import Document, register


def default_week_ending(council, as_at: datetime.date | None = None) -> datetime.date:
    """The latest day with returns as at the reporting date `as_at` (the council's when
    None), else that date."""
    from actions.selectors import council_reporting_date

    as_at = min(as_at or council_reporting_date(council), timezone.localdate())
    return latest_returns_day(council, as_at=as_at) or as_at


@register
class WeeklyHighlightReport(Document):
    """Subject: a council. `as_at` picks the week: the seven days ending on its date (the week
    of the latest returns when None). Figures from the register, the week's returns and the
    risk log as it stands (see providers.selectors.highlight)."""

    slug = "weekly-highlight-report"
    title = "COVID-19 weekly highlight report"
    template_name = "providers/documents/weekly_highlight_report.html"

    def get_context(self, subject, *, as_at):
        week_ending = (timezone.localtime(as_at).date() if as_at
                       else default_week_ending(subject))
        return {"council": subject, "report": highlight_report(council=subject,
                                                               week_ending=week_ending)}

    def version_councils(self, subject):
        return [subject.pk]

    version_parts = ("providers",)

    def document_title(self, subject, context):
        return f"{self.title}: {subject}, week ending {context['report'].week_ending:%d/%m/%Y}"

    def running_header(self, subject, context):
        return (f"{subject.name} · COVID-19 weekly highlight report · week ending "
                f"{context['report'].week_ending:%d/%m/%Y}")

    def filename(self, subject, as_at):
        week = timezone.localtime(as_at).date() if as_at else default_week_ending(subject)
        return f"{subject.slug}-highlight-report-{week:%Y-%m-%d}.pdf"


@register
class IcfAllocationSchedule(Document):
    """Subject: an Infection Control Fund tranche. The schedule as stored (as_at unused)."""

    slug = "icf-allocation-schedule"
    title = "Infection Control Fund allocation schedule"
    template_name = "providers/documents/icf_allocation_schedule.html"

    def get_context(self, subject: IcfTranche, *, as_at):
        rows = [
            {
                "share": allocation.share.name,
                "recipient": allocation.provider.name if allocation.provider
                else allocation.get_kind_display(),
                "type": allocation.provider.get_provider_type_display()
                if allocation.provider else "",
                "units": allocation.units if allocation.provider else None,
                "amount": allocation.amount,
                "paid_on": allocation.paid_on,
                "reference": allocation.payment_reference,
            }
            for allocation in icf_schedule(subject)
        ]
        totals = icf_tranche_totals(subject)
        return {
            "council": subject.round.council,
            "round": subject.round,
            "tranche": subject,
            "rows": rows,
            "totals": {
                "to_providers": totals.to_providers, "held_back": totals.held_back,
                "unallocated": totals.unallocated, "total": totals.total,
                "paid": totals.paid, "providers": totals.providers,
                "reconciles": totals.reconciles,
            },
        }

    def version_councils(self, subject: IcfTranche):
        return [subject.round.council_id]

    version_parts = ("providers",)

    def document_title(self, subject, context):
        return f"{self.title}: {subject.round.council}, {subject}"

    def running_header(self, subject, context):
        return f"{subject.round.council.name} · Infection Control Fund {subject}"

    def filename(self, subject, as_at):
        return (f"{subject.round.council.slug}-icf-{subject.round.slug}-tranche-"
                f"{subject.number}.pdf")
