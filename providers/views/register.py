"""The register: list with filters and export, a provider's page, edits, plan reviews, one
home's return, and the two-step import."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from actions.selectors import reporting_date_for
from providers import selectors
from providers.filters import ProviderFilter
from providers.forms import BcpForm, ImportForm, ProviderForm, SingleReturnForm
from providers.models import (
    RETURNING_TYPES,
    BusinessContinuityPlan,
    DailyReturn,
    ImportKind,
    PendingImport,
    Provider,
)
from providers.services import register as services
from providers.services.imports import ImportRefused
from providers.services.uploads import pending_import_create, pending_import_run
from providers.tables import ProviderTable
from winterplan import audit, versions
from winterplan.exports import SafeTableExport, StreamingCsvExportMixin
from winterplan.fragments import CachedFragmentMixin
from winterplan.pagination import BoundedLazyPaginator
from winterplan.workspace import CouncilMixin


class ProvidersMixin(CouncilMixin):
    """A providers page of the council in the URL; `council` in every template."""

    def url(self, name: str, *args) -> str:
        return reverse(f"providers:{name}", args=[self.council.slug, *args])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("council", self.council)
        return super().get_context_data(**kwargs)

    def render_page(self, template_name: str, context: dict, status: int = 200):
        return render(self.request, template_name, {"council": self.council, **context},
                      status=status)


class ProvidersFragmentMixin(CachedFragmentMixin):
    """A providers page whose user-independent part comes from the shared cache, found by the
    council's `providers` data version, the viewer's role and the page's reporting date."""

    fragment_parts = (versions.PROVIDERS,)

    def fragment_vary(self) -> dict:
        return {"as_at": reporting_date_for(self.request).date.isoformat()}

    def fragment_shell_context(self) -> dict:
        return {**super().fragment_shell_context(), "council": self.council}


class ProviderListView(ProvidersMixin, ProvidersFragmentMixin, StreamingCsvExportMixin,
                       ExportMixin, SingleTableMixin, FilterView):
    template_name = "providers/provider_list.html"
    fragment_page = "provider-list"
    table_class = ProviderTable
    filterset_class = ProviderFilter
    export_class = SafeTableExport
    export_formats = ("csv", "xlsx")
    paginator_class = BoundedLazyPaginator
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return selectors.providers_for_register(self.council)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "as_at": self.as_at}

    def get_table_kwargs(self):
        return {"council": self.council, "as_at": self.as_at}

    @property
    def as_at(self):
        return reporting_date_for(self.request).date

    def get_export_filename(self, export_format):
        return f"{self.council.slug}-providers-{timezone.localdate():%Y-%m-%d}.{export_format}"

    def get_dataset_kwargs(self):
        return {"title": "Providers"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(bcp=selectors.bcp_summary(self.council, self.as_at),
                                        **kwargs)


class ProviderDetailView(ProvidersMixin, TemplateView):
    template_name = "providers/provider_detail.html"

    def get_context_data(self, **kwargs):
        page = selectors.provider_page(self.council, self.kwargs["pk"])
        plan = getattr(page.provider, "business_continuity_plan", None)
        as_at = reporting_date_for(self.request).date
        return super().get_context_data(
            provider=page.provider,
            plan=plan,
            plan_state=plan.state(as_at) if plan else None,
            risk=getattr(page.provider, "risk", None),
            returns=page.returns,
            allocations=page.allocations,
            sends_returns=page.provider.provider_type in RETURNING_TYPES,
            **kwargs,
        )


class ProviderEditView(ProvidersMixin, View):
    """Add (no pk) or change a provider."""

    editing = True

    template_name = "providers/provider_form.html"

    def get_provider(self) -> Provider | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(Provider, council=self.council, pk=self.kwargs["pk"])

    def form(self, provider, data=None):
        return ProviderForm(data, instance=provider, council=self.council,
                            initial={"version": provider.version if provider else None})

    def get(self, request, *args, **kwargs):
        provider = self.get_provider()
        return self.render_page(self.template_name,
                                {"provider": provider, "form": self.form(provider)})

    def post(self, request, *args, **kwargs):
        provider = self.get_provider()
        form = self.form(provider, request.POST)
        if form.is_valid():
            try:
                saved = services.provider_save(
                    provider=provider or Provider(council=self.council),
                    data=form.model_data(), user=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except services.StaleEdit as error:
                data = request.POST.copy()
                data["version"] = error.current.version
                form = self.form(provider, data)
                form.is_valid()
                form.add_error(None, error)
                return self.render_page(self.template_name,
                                        {"provider": error.current, "form": form}, status=409)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Provider saved.")
                return redirect(self.url("provider-detail", saved.pk))
        return self.render_page(self.template_name, {"provider": provider, "form": form},
                                status=400)


class BcpEditView(ProvidersMixin, View):
    editing = True
    template_name = "providers/bcp_form.html"

    def setup_objects(self):
        self.provider = get_object_or_404(Provider, council=self.council, pk=self.kwargs["pk"])
        self.plan = BusinessContinuityPlan.objects.filter(provider=self.provider).first()

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        plan = self.plan
        initial = {"version": plan.version if plan else 0}
        if plan:
            initial |= {name: getattr(plan, name) for name in services.BCP_FIELDS}
        return self.render_page(self.template_name, {
            "provider": self.provider, "plan": plan, "form": BcpForm(initial=initial)})

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        form = BcpForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.bcp_review_record(
                    provider=self.provider, data=form.model_data(), user=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except services.StaleEdit as error:
                data = request.POST.copy()
                data["version"] = error.current.version
                form = BcpForm(data)
                form.is_valid()
                form.add_error(None, error)
                status = 409
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Business continuity plan saved.")
                return redirect(self.url("provider-detail", self.provider.pk))
        return self.render_page(self.template_name, {
            "provider": self.provider, "plan": self.plan, "form": form}, status=status)


class ReturnCreateView(ProvidersMixin, View):
    """One home's return for a day it names (for a late or corrected return)."""

    editing = True

    template_name = "providers/dailyreturn_form.html"

    def setup_objects(self):
        self.provider = get_object_or_404(Provider, council=self.council, pk=self.kwargs["pk"])
        if self.provider.provider_type not in RETURNING_TYPES:
            raise Http404("Only care homes send daily returns.")

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        form = SingleReturnForm(instance=DailyReturn(provider=self.provider),
                                initial={"date": timezone.localdate()})
        return self.render_page(self.template_name, {"provider": self.provider, "form": form})

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        form = SingleReturnForm(request.POST, instance=DailyReturn(provider=self.provider))
        if form.is_valid():
            try:
                services.daily_returns_save(
                    council=self.council, entries=[(form.instance, None)], user=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, f"Return for {form.instance.date:%d/%m/%Y} saved.")
                return redirect(self.url("provider-detail", self.provider.pk))
        return self.render_page(self.template_name, {"provider": self.provider, "form": form},
                                status=400)


class ImportView(ProvidersMixin, View):
    """Step 1: upload a file; it is kept in the database and previewed as a dry run."""

    template_name = "providers/import_form.html"
    editing = True

    def get(self, request, *args, **kwargs):
        return self.render_page(self.template_name, {"form": ImportForm()})

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(self.template_name, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        pending = pending_import_create(
            council=self.council, user=request.user, kind=form.cleaned_data["kind"],
            filename=upload.name, content=upload.read(), replace=form.cleaned_data["replace"],
        )
        return redirect(self.url("import-preview", pending.pk))


class ImportPreviewView(ProvidersMixin, View):
    """Step 2: what the file would change (GET), then apply it (POST)."""

    template_name = "providers/import_preview.html"
    editing = True

    def get_pending(self) -> PendingImport:
        try:
            upload = uuid.UUID(self.kwargs["upload"])
        except ValueError:
            raise Http404 from None
        return get_object_or_404(
            PendingImport, pk=upload, council=self.council, user=self.request.user
        )

    def get(self, request, *args, **kwargs):
        pending = self.get_pending()
        try:
            result = pending_import_run(pending=pending, dry_run=True)
        except ImportRefused as error:
            result = error.result
        return self.render_page(self.template_name, {
            "pending": pending, "result": result,
            "is_returns": pending.kind == ImportKind.DAILY_RETURNS,
        }, status=200 if result.ok else 400)

    def post(self, request, *args, **kwargs):
        pending = self.get_pending()
        try:
            result = pending_import_run(pending=pending, dry_run=False)
        except ImportRefused as error:
            return self.render_page(self.template_name, {
                "pending": pending, "result": error.result,
                "is_returns": pending.kind == ImportKind.DAILY_RETURNS,
            }, status=400)
        audit.audit_event(audit.IMPORT, request=request, council=self.council,
                          obj=pending.filename, kind=pending.kind, created=len(result.created),
                          updated=len(result.updated), unchanged=len(result.unchanged))
        messages.success(
            request,
            f"Imported {pending.filename}: {len(result.created)} added, "
            f"{len(result.updated)} updated, {len(result.unchanged)} unchanged.",
        )
        if pending.kind == ImportKind.DAILY_RETURNS:
            return redirect(f"{self.url('returns-day')}?date={result.dates[-1]:%d/%m/%Y}")
        return redirect(self.url("provider-list"))
