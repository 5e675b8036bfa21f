"""The audit trail of one council: a page of changes between two days, and their CSV."""

import csv
import datetime

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from reports.audit import selectors
from reports.audit.forms import AuditRangeForm
from winterplan import permissions
from winterplan.exports import neutralise, site_date
from winterplan.workspace import CouncilMixin

PER_PAGE = 50
#: Days shown when no range is asked for: the last week, today included.
DEFAULT_DAYS = 7
CSV_HEADERS = ["When", "Who", "Action", "What", "Object", "Link", "Changes", "Channel",
               "Reason"]
#: A value on the page longer than this is cut (the CSV has it whole).
PAGE_VALUE_LENGTH = 300


class AuditMixin(CouncilMixin):
    """Managers of the council, admins, and the oversight readers whose scope holds it (any
    other council: 404 from CouncilMixin); officers and committee members 403. Never a
    write."""

    read_roles = permissions.AUDIT_READ_ROLES
    write_roles = frozenset()

    def range_form(self) -> AuditRangeForm:
        if "start" in self.request.GET or "end" in self.request.GET:
            return AuditRangeForm(self.request.GET)
        today = timezone.localdate()
        return AuditRangeForm(initial={
            "start": today - datetime.timedelta(days=DEFAULT_DAYS - 1), "end": today})

    def days(self, form) -> tuple[datetime.date, datetime.date] | None:
        if form.is_bound:
            if not form.is_valid():
                return None
            return form.cleaned_data["start"], form.cleaned_data["end"]
        return form.initial["start"], form.initial["end"]


def _cut(text: str) -> str:
    return text if len(text) <= PAGE_VALUE_LENGTH else text[: PAGE_VALUE_LENGTH - 1] + "…"


class AuditTrailView(AuditMixin, View):
    template_name = "reports/audit/audit_trail.html"

    def get(self, request, *args, **kwargs):
        form = self.range_form()
        days = self.days(form)
        context = {"council": self.council, "form": form, "as_at": timezone.localtime()}
        if days is None:
            return render(request, self.template_name, context, status=400)
        start, end = days
        events = selectors.audit_events(council=self.council, start=start, end=end)
        page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
        entries = selectors.audit_entries(page.object_list)
        for entry in entries:
            for change in entry.changes:
                change.old, change.new = _cut(change.old), _cut(change.new)
        query = f"start={start:%d/%m/%Y}&end={end:%d/%m/%Y}"
        context |= {"start": start, "end": end, "page": page, "entries": entries,
                    "query": query}
        return render(request, self.template_name, context)


class _Echo:
    def write(self, value):
        return value


def _csv_lines(events, request):
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADERS)
    for entry in selectors.audit_csv_rows(events):
        changes = "; ".join(f"{c.label}: {c.old or '—'} → {c.new or '—'}"
                            for c in entry.changes)
        row = [site_date(entry.when), entry.who, entry.action, entry.kind, entry.title,
               request.build_absolute_uri(entry.url) if entry.url else "", changes,
               entry.channel, entry.reason]
        yield writer.writerow([neutralise(value) for value in row])


class AuditCsvView(AuditMixin, View):
    """Every change in the range, newest first, streamed (memory flat in rows); each cell
    formula-safe."""

    def get(self, request, *args, **kwargs):
        form = self.range_form()
        days = self.days(form)
        if days is None:
            return render(request, AuditTrailView.template_name, {
                "council": self.council, "form": form, "as_at": timezone.localtime()},
                status=400)
        start, end = days
        events = selectors.audit_events(council=self.council, start=start, end=end)
        response = StreamingHttpResponse(_csv_lines(events, request),
                                         content_type="text/csv; charset=utf-8")
        filename = f"changes-{self.council.slug}-{start:%Y%m%d}-{end:%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
