"""The roll-up across councils: /oversight/ (the reader's scope) and /oversight/<region>/;
the letters received, /oversight/letters/.

The councils come from permissions.council_scope like every other page: a regional reader's
region, every council for a national reader. A region outside the scope, or unknown, is 404.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from actions.oversight import selectors
from actions.oversight.filters import LetterFilter, RollupFilter
from actions.oversight.tables import LetterTable, RollupTable
from reports.models import DhscLetter
from reports.views import DocumentPageMixin, DocumentPdfMixin
from winterplan import permissions
from winterplan.exports import SafeTableExport, StreamingCsvExportMixin
from winterplan.models import Council, Region
from winterplan.workspace import RoleRequiredMixin


class RollupView(RoleRequiredMixin, StreamingCsvExportMixin, ExportMixin,
                 SingleTableMixin, FilterView):
    template_name = "oversight/rollup.html"
    read_roles = permissions.OVERSIGHT_READ_ROLES
    table_class = RollupTable
    filterset_class = RollupFilter
    export_class = SafeTableExport
    export_formats = ("csv", "xlsx")
    table_pagination = False

    def dispatch(self, request, *args, **kwargs):
        self.region = None
        if request.user.is_authenticated and kwargs.get("region_slug"):
            self.region = get_object_or_404(Region, slug=kwargs["region_slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        councils = permissions.council_scope(Council.objects.all(), self.request.user, "pk")
        if self.region is not None:
            councils = councils.filter(region=self.region)
            if not councils.exists():
                raise Http404("No council of this region is yours to read.")
        return councils

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = self.request.GET  # always bound: the figures need the chosen day
        kwargs["region_fixed"] = self.region is not None
        return kwargs

    def get_table_data(self):
        self.rows = list(self.object_list)
        return self.rows

    def get_table_kwargs(self):
        return {"national_plan": self.filterset.national_plan}

    def get_export_filename(self, export_format):
        scope = self.region.slug if self.region else "england"
        return f"winter-plan-rollup-{scope}-{self.filterset.as_at:%Y-%m-%d}.{export_format}"

    def get_dataset_kwargs(self):
        return {"title": "Roll-up"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        national_plan = self.filterset.national_plan
        context.update(
            region=self.region,
            national_plan=national_plan,
            as_at=self.filterset.as_at,
            summaries=selectors.region_summaries(self.rows, national_plan),
            regions=Region.objects.all() if permissions.can_oversee_every_region(
                self.request.user) and self.region is None else [],
            generated=timezone.localdate(),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.filterset.errors:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


class LetterListView(RoleRequiredMixin, StreamingCsvExportMixin, ExportMixin,
                     SingleTableMixin, FilterView):
    """Letters received: every DHSC letter of the reader's scope for a national plan."""

    template_name = "oversight/letter_list.html"
    read_roles = permissions.OVERSIGHT_READ_ROLES
    table_class = LetterTable
    filterset_class = LetterFilter
    export_class = SafeTableExport
    export_formats = ("csv", "xlsx")
    table_pagination = False

    def get_queryset(self):
        return DhscLetter.objects.none()  # the filterset reads the scope's letters

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = self.request.GET
        kwargs["councils"] = permissions.council_scope(
            Council.objects.all(), self.request.user, "pk")
        return kwargs

    def get_export_filename(self, export_format):
        return f"dhsc-letters-received-{timezone.localdate():%Y-%m-%d}.{export_format}"

    def get_dataset_kwargs(self):
        return {"title": "Letters received"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(national_plan=self.filterset.national_plan, **kwargs)


class RegionSummaryMixin(RoleRequiredMixin):
    """The regional summary document of a region in the reader's scope (else 404)."""

    document_slug = "regional-summary"
    read_roles = permissions.OVERSIGHT_READ_ROLES
    write_roles = frozenset()  # a document takes no POST
    page_url_name = "oversight:region-summary"
    pdf_url_name = "oversight:region-summary-pdf"
    back_label = "Back to the region's roll-up"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.region = get_object_or_404(Region, slug=kwargs["region_slug"])
            councils = permissions.council_scope(Council.objects.all(), request.user, "pk")
            if not councils.filter(region=self.region).exists():
                raise Http404("No council of this region is yours to read.")
        return super().dispatch(request, *args, **kwargs)

    def get_subject(self):
        return self.region

    def url_kwargs(self):
        return {"region_slug": self.region.slug}

    def back_url(self):
        return reverse("oversight:rollup-region", args=[self.region.slug])


class RegionSummaryView(RegionSummaryMixin, DocumentPageMixin, View):
    """The regional summary in the browser, with its PDF link."""


class RegionSummaryPdfView(RegionSummaryMixin, DocumentPdfMixin, View):
    """The regional summary as a tagged PDF."""
