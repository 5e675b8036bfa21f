"""The Infection Control Fund pages and the weekly highlight report."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from actions.selectors import reporting_date_for
from providers import selectors
from providers.documents import IcfAllocationSchedule, WeeklyHighlightReport, default_week_ending
from providers.forms import PaymentForm, SpendingReturnForm, WeekForm
from providers.models import AllocationKind, IcfTranche, Provider
from providers.services import funding
from providers.tables import AllocationTable
from providers.views.register import ProvidersFragmentMixin, ProvidersMixin
from reports import documents
from reports.pdf import RenderError
from reports.selectors import end_of_day
from reports.views import render_not_ready
from winterplan import permissions
from winterplan.exports import SafeTableExport, StreamingCsvExportMixin


class IcfRoundListView(ProvidersMixin, TemplateView):
    template_name = "providers/icfround_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rounds=list(selectors.icf_rounds(self.council)),
                                        **kwargs)


class IcfRoundView(ProvidersMixin, TemplateView):
    template_name = "providers/icfround_detail.html"

    def get_context_data(self, **kwargs):
        icf_round = selectors.icf_round_for_council(self.council, self.kwargs["round_slug"])
        shares = list(icf_round.shares.all())
        tranches = [selectors.icf_tranche_totals(t) for t in icf_round.tranches.all()]
        return super().get_context_data(
            round=icf_round, shares=shares, tranches=tranches,
            rule_errors=funding.icf_rule_errors(shares),
            tranches_total=sum((t.tranche.amount for t in tranches), 0),
            **kwargs,
        )


class TrancheMixin(ProvidersMixin):
    def get_tranche(self) -> IcfTranche:
        return get_object_or_404(
            IcfTranche.objects.select_related("round"),
            round__council=self.council, round__slug=self.kwargs["round_slug"],
            number=self.kwargs["number"],
        )

    def tranche_url(self, tranche) -> str:
        return self.url("icf-tranche", tranche.round.slug, tranche.number)


class IcfTrancheView(TrancheMixin, ProvidersFragmentMixin, StreamingCsvExportMixin,
                     ExportMixin, SingleTableMixin, TemplateView):
    """A tranche's allocation schedule: table, CSV and XLSX; calculating and paying it."""

    template_name = "providers/icftranche_detail.html"
    fragment_page = "icf-tranche"
    table_class = AllocationTable
    export_class = SafeTableExport
    export_formats = ("csv", "xlsx")
    # A schedule has two lines per provider (901 for 450): a page of them at a time; the
    # totals above and the exports cover all.
    table_pagination = {"per_page": 100}

    def get(self, request, *args, **kwargs):
        self.tranche = self.get_tranche()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        """Record a payment run for every unpaid allocation of the tranche."""
        self.tranche = tranche = self.get_tranche()
        form = PaymentForm(request.POST)
        if form.is_valid():
            try:
                count = funding.icf_payments_record(
                    tranche=tranche, paid_on=form.cleaned_data["paid_on"],
                    reference=form.cleaned_data["reference"], user=request.user,
                    expected_unpaid=form.cleaned_data["unpaid"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errors in error.message_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, f"Payment recorded for {count} providers.")
                return redirect(self.tranche_url(tranche))
        # The errors stay; the form now carries the schedule as it is, so saving again is a
        # deliberate choice about what is unpaid now.
        form.data = form.data.copy()
        form.data["unpaid"] = self.unpaid_key(tranche)
        self.object_list = None
        return self.render_to_response(self.get_context_data(payment_form=form), status=400)

    @staticmethod
    def unpaid_rows(tranche) -> list[tuple[int, object]]:
        return list(tranche.allocations.filter(kind=AllocationKind.PROVIDER, paid_on__isnull=True)
                    .values_list("pk", "amount"))

    def unpaid_key(self, tranche) -> str:
        return funding.icf_unpaid_key(self.unpaid_rows(tranche))

    def get_table_data(self):
        return selectors.icf_schedule(self.tranche)

    def get_table_kwargs(self):
        return {"council": self.council, "tranche": self.tranche}

    def get_export_filename(self, export_format):
        return (f"{self.council.slug}-icf-{self.tranche.round.slug}-tranche-"
                f"{self.tranche.number}.{export_format}")

    def get_dataset_kwargs(self):
        return {"title": f"Tranche {self.tranche.number}"}

    def get_context_data(self, **kwargs):
        tranche = self.tranche
        unpaid = self.unpaid_rows(tranche)
        kwargs.setdefault("payment_form", PaymentForm(initial={
            "paid_on": timezone.localdate(), "unpaid": funding.icf_unpaid_key(unpaid)}))
        return super().get_context_data(
            tranche=tranche, round=tranche.round, totals=selectors.icf_tranche_totals(tranche),
            pdf_url=self.url("icf-tranche-pdf", tranche.round.slug, tranche.number),
            unpaid=bool(unpaid),
            **kwargs,
        )


class IcfAllocateView(TrancheMixin, View):
    editing = True

    def post(self, request, *args, **kwargs):
        tranche = self.get_tranche()
        try:
            outcome = funding.icf_tranche_allocate(tranche=tranche, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            text = (f"Allocated £{tranche.amount:,.2f} to {len(outcome.allocations)} lines."
                    if outcome.written else "The schedule was already up to date.")
            if outcome.without_units:
                text += (f" {len(outcome.without_units)} eligible providers have no beds or "
                         "people recorded and got nothing.")
            messages.success(request, text)
        return redirect(self.tranche_url(tranche))


class IcfSpendingView(ProvidersMixin, View):
    """Spending returns of a round; editors record one at a time."""

    template_name = "providers/icfspending.html"

    def setup_objects(self):
        self.round = selectors.icf_round_for_council(self.council, self.kwargs["round_slug"])
        self.providers = Provider.objects.filter(
            council=self.council, icf_allocations__tranche__round=self.round,
            icf_allocations__paid_on__isnull=False,
        ).distinct().order_by("name")

    def render_spending(self, form, status=200):
        rows = selectors.icf_spending_rows(self.round)
        return self.render_page(self.template_name, {
            "round": self.round, "rows": rows, "form": form,
            "totals": {
                "allocated": sum((row.allocated for row in rows), 0),
                "paid": sum((row.paid for row in rows), 0),
                "spent": sum((row.spent or 0 for row in rows), 0),
                "returned": sum((row.returned for row in rows), 0),
                "restricted": sum(1 for row in rows if row.spending_return
                                  and row.spending_return.restricted_staff_movement),
            },
        }, status=status)

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        form = (SpendingReturnForm(providers=self.providers,
                                   initial={"submitted_on": timezone.localdate()})
                if permissions.can_edit(request.user) else None)
        return self.render_spending(form)

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        form = SpendingReturnForm(request.POST, providers=self.providers)
        if form.is_valid():
            try:
                funding.icf_spending_return_save(
                    round=self.round, provider=form.cleaned_data["provider"],
                    data=form.model_data(), user=request.user,
                )
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(
                    request, f"Spending return of {form.cleaned_data['provider']} saved.")
                return redirect(self.url("icf-spending", self.round.slug))
        return self.render_spending(form, status=400)


def _pdf(request, document, subject, *, as_at=None):
    """The document as a PDF download (found by its data version when unchanged), or the
    pipeline's “being prepared” (202) or failure page (503)."""
    try:
        pdf, built = documents.pdf_for(document, subject, as_at=as_at)
    except (RenderError, documents.BeingPrepared) as error:
        return render_not_ready(request, document, error)
    return documents.pdf_response(built, pdf)


class HighlightReportMixin(ProvidersMixin):
    """The week comes from `?week_ending=dd/mm/yyyy` (default: the week of the latest
    returns); the document is built by the documents pipeline."""

    def week(self) -> tuple[WeekForm, datetime.date | None]:
        data = self.request.GET.copy()
        if not data.get("week_ending"):
            data["week_ending"] = default_week_ending(
                self.council, reporting_date_for(self.request).date).strftime("%d/%m/%Y")
        form = WeekForm(data)
        return form, form.cleaned_data["week_ending"] if form.is_valid() else None

    def build(self, week_ending: datetime.date):
        return documents.build(documents.get(WeeklyHighlightReport.slug), self.council,
                               as_at=end_of_day(week_ending))


class HighlightReportView(HighlightReportMixin, ProvidersFragmentMixin, View):
    """The weekly highlight report as a web page, with its PDF link."""

    template_name = "providers/highlight_report.html"
    fragment_page = "highlight-report"

    def get(self, request, *args, **kwargs):
        form, week_ending = self.week()
        if week_ending is None:
            return self.render_page(self.template_name, {"form": form}, status=400)
        built = self.build(week_ending)
        pdf_url = (f"{self.url('highlight-report-pdf')}?"
                   f"week_ending={week_ending:%d/%m/%Y}")
        return self.render_page(self.template_name, {
            "form": form, "built": built, "pdf_url": pdf_url, **built.template_context(),
        })


class HighlightReportPdfView(HighlightReportMixin, View):
    def get(self, request, *args, **kwargs):
        form, week_ending = self.week()
        if week_ending is None:
            return HttpResponseBadRequest(" ".join(form.errors.get("week_ending", [])),
                                          content_type="text/plain")
        return _pdf(request, documents.get(WeeklyHighlightReport.slug), self.council,
                    as_at=end_of_day(week_ending))


class IcfTranchePdfView(TrancheMixin, View):
    """A tranche's allocation schedule as PDF, through the documents pipeline."""

    def get(self, request, *args, **kwargs):
        tranche = self.get_tranche()
        return _pdf(request, documents.get(IcfAllocationSchedule.slug), tranche)
