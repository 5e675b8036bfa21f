"""The officers' workspace: dashboard, actions table, key area pages, edits with history.

Views validate input and call one service or selector each; permissions come from
winterplan.workspace's mixins (reads for every role, writes for editors, 403 otherwise).
"""


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

from actions import selectors
from actions.filters import LocalActionFilter
from actions.forms import AssessmentForm, CommentaryForm, KeyAreaTextForm, LocalActionForm
from actions.history import action_history
from actions.models import Commentary, LocalAction, LocalKeyArea, Requirement
from actions.services import local_actions as services
from actions.services.local_actions import EditConflict
from actions.tables import LocalActionTable
from actions.winters import selectors as winter_selectors
from actions.workspace import PlanMixin
from winterplan import versions
from winterplan.exports import SafeTableExport, StreamingCsvExportMixin
from winterplan.fragments import CachedFragmentMixin
from winterplan.pagination import BoundedLazyPaginator


class PlanFragmentMixin(CachedFragmentMixin):
    """A plan page whose user-independent part comes from the shared cache, found by the
    council's `plan` data version, the viewer's role and the page's reporting date."""

    fragment_parts = (versions.PLAN,)

    def fragment_council_id(self) -> int:
        return self.plan.council_id

    def fragment_vary(self) -> dict:
        return {"plan": self.plan.pk,
                "as_at": selectors.reporting_date_for(self.request).date.isoformat()}

    def fragment_shell_context(self) -> dict:
        return {**super().fragment_shell_context(), "plan": self.plan}


class DashboardView(PlanMixin, PlanFragmentMixin, TemplateView):
    template_name = "actions/dashboard.html"
    fragment_page = "dashboard"

    def own(self):
        return selectors.own_actions(plan=self.plan, user=self.request.user)

    def fragment_shell_context(self) -> dict:
        return {**super().fragment_shell_context(), "own": self.own()}

    def get_context_data(self, **kwargs):
        reporting = selectors.reporting_date_for(self.request)
        return super().get_context_data(
            plan=self.plan,
            dashboard=selectors.plan_dashboard(plan=self.plan, as_at=reporting.date),
            own=self.own(),
            reporting=reporting,
            letter_panel=self._letter_panel(reporting.date),
            year_on_year=winter_selectors.year_on_year(self.plan),
            deadlines_needed=list(winter_selectors.deadlines_needed(self.plan)[:50]),
            **kwargs,
        )

    def _letter_panel(self, as_at):
        """The DHSC letter's panel: None for a plan whose framework asks for no letter."""
        from reports.selectors import letter_panel

        return letter_panel(self.plan, as_at=as_at)


class ActionListView(PlanMixin, PlanFragmentMixin, StreamingCsvExportMixin, ExportMixin,
                     SingleTableMixin, FilterView):
    template_name = "actions/localaction_list.html"
    fragment_page = "action-list"
    table_class = LocalActionTable
    filterset_class = LocalActionFilter
    export_class = SafeTableExport
    export_formats = ("csv", "xlsx")
    paginator_class = BoundedLazyPaginator
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        return selectors.actions_for_plan(self.plan)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["plan"] = self.plan
        kwargs["as_at"] = selectors.reporting_date_for(self.request).date
        return kwargs

    def get_table_kwargs(self):
        return {"plan": self.plan, "as_at": selectors.reporting_date_for(self.request).date}

    def get_export_filename(self, export_format):
        return f"{self.plan.slug}-actions-{timezone.localdate():%Y-%m-%d}.{export_format}"

    def get_dataset_kwargs(self):
        return {"title": "Actions"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, **kwargs)


class KeyAreaListView(PlanMixin, TemplateView):
    template_name = "actions/localkeyarea_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plan=self.plan, key_areas=selectors.key_areas_for_plan(self.plan), **kwargs
        )


class KeyAreaMixin(PlanMixin):
    def get_key_area(self) -> LocalKeyArea:
        try:
            return selectors.key_area_page(plan=self.plan, key_area_slug=self.kwargs["area_slug"])
        except LocalKeyArea.DoesNotExist:
            raise Http404 from None

    def key_area_url(self, area: LocalKeyArea, anchor: str = "") -> str:
        url = reverse("actions:key-area", args=[self.plan.slug, area.key_area.slug])
        return f"{url}#{anchor}" if anchor else url


class KeyAreaView(KeyAreaMixin, PlanFragmentMixin, TemplateView):
    template_name = "actions/localkeyarea_detail.html"
    fragment_page = "key-area"

    def get_context_data(self, **kwargs):
        area = self.get_key_area()
        as_at = selectors.reporting_date_for(self.request).date
        commentary_by_requirement: dict[int | None, list[Commentary]] = {}
        for bullet in area.commentary.all():
            commentary_by_requirement.setdefault(bullet.requirement_id, []).append(bullet)
        rows = []
        for requirement in area.key_area.requirements.all():
            assessments = requirement.plan_assessments
            rows.append({
                "requirement": requirement,
                "assessment": assessments[0] if assessments else None,
                "commentary": commentary_by_requirement.pop(requirement.pk, []),
                "form": AssessmentForm(
                    initial={
                        "compliance": assessments[0].compliance if assessments else
                        "not_assessed",
                        "version": assessments[0].version if assessments else 0,
                    },
                    prefix=f"req{requirement.position}",
                ),
            })
        actions = list(area.actions.all())
        for action in actions:
            action.overdue = action.is_overdue(as_at)
        return super().get_context_data(
            plan=self.plan,
            area=area,
            rows=rows,
            area_commentary=commentary_by_requirement.pop(None, []),
            actions=actions,
            headings=self.plan.national_plan.column_headings(area.key_area.column_label),
            as_at=as_at,
            year_on_year=winter_selectors.area_year_on_year(area),
            **kwargs,
        )


def _posted_version(request) -> int:
    """The version a one-click form was rendered with (-1, never stored, when missing)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def _conflict_context(error: EditConflict) -> dict:
    return {
        "conflict": error,
        "conflict_by": (error.changed_by.get_full_name() or error.changed_by.username)
        if error.changed_by else "someone else",
    }


class ActionEditView(KeyAreaMixin, View):
    """Add (no pk) or change an action. A save based on an old version shows what the other
    person changed and keeps this person's input on the form."""

    editing = True

    template_name = "actions/localaction_form.html"

    def setup_objects(self):
        if "pk" in self.kwargs:
            self.action = get_object_or_404(
                LocalAction.objects.for_plan(self.plan).select_related(
                    "local_key_area__key_area", "local_key_area__local_plan__council"
                ),
                pk=self.kwargs["pk"],
            )
            self.area = self.action.local_key_area
        else:
            self.action = None
            self.area = get_object_or_404(
                LocalKeyArea.objects.select_related("key_area", "local_plan__council"),
                local_plan=self.plan,
                key_area__slug=self.kwargs["area_slug"],
            )

    def render_form(self, form, status=200, **extra):
        return render(self.request, self.template_name, {
            "plan": self.plan, "area": self.area, "action": self.action, "form": form, **extra,
        }, status=status)

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        initial = LocalActionForm.initial_for(self.action) if self.action else {
            "deadline_type": "date", "status": "not_started",
            "team": self.area.actions.values_list("team", flat=True).first(),
        }
        return self.render_form(LocalActionForm(initial=initial, local_key_area=self.area))

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        form = LocalActionForm(request.POST, local_key_area=self.area,
                               edits_existing=self.action is not None)
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            if self.action is None:
                action = services.local_action_create(
                    local_key_area=self.area,
                    user=request.user,
                    data=form.model_data(),
                    requirements=form.cleaned_data.get("requirements") or [],
                    links=form.cleaned_data["links"],
                )
                messages.success(request, "Action added.")
            else:
                action = services.local_action_update(
                    action=self.action,
                    user=request.user,
                    data=form.model_data(),
                    expected_version=form.cleaned_data["version"],
                    requirements=form.cleaned_data.get("requirements"),
                    links=form.cleaned_data["links"],
                )
                messages.success(request, "Action saved.")
        except EditConflict as error:
            # Keep this person's input, merged onto the other person's saved changes, and move
            # the form onto the stored version: saving again is a deliberate choice.
            data, both_changed = LocalActionForm.merge_after_conflict(
                request.POST, error.original, error.current
            )
            form = LocalActionForm(data, local_key_area=self.area)
            form.is_valid()
            return self.render_form(form, status=409, both_changed=[
                form[name].label for name in both_changed], **_conflict_context(error))
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_form(form, status=400)
        return redirect(self.key_area_url(self.area, f"action-{action.pk}"))


class ActionDetailView(PlanMixin, TemplateView):
    template_name = "actions/localaction_detail.html"

    def get_context_data(self, **kwargs):
        action = get_object_or_404(
            LocalAction.objects.for_plan(self.plan).select_related(
                "local_key_area__key_area__theme", "team", "owner"
            ).prefetch_related("links", "requirements"),
            pk=self.kwargs["pk"],
        )
        as_at = selectors.reporting_date_for(self.request).date
        return super().get_context_data(
            plan=self.plan, action=action, history=action_history(action), as_at=as_at, **kwargs
        )


class ActionCompleteView(PlanMixin, View):
    editing = True

    def post(self, request, *args, **kwargs):
        action = get_object_or_404(LocalAction.objects.for_plan(self.plan), pk=kwargs["pk"])
        version = _posted_version(request)
        try:
            services.local_action_complete(action=action, user=request.user,
                                           expected_version=version)
        except EditConflict as error:
            messages.error(
                request,
                f"Not marked complete: {_conflict_context(error)['conflict_by']} changed this "
                "action after you opened the page. Check the change and try again.",
            )
        else:
            messages.success(request, "Action marked complete.")
        area_slug = action.local_key_area.key_area.slug
        url = reverse("actions:key-area", args=[self.plan.slug, area_slug])
        return redirect(f"{url}#action-{action.pk}")


class AssessmentView(KeyAreaMixin, View):
    editing = True

    def post(self, request, *args, **kwargs):
        area = get_object_or_404(LocalKeyArea, local_plan=self.plan,
                                 key_area__slug=kwargs["area_slug"])
        requirement = get_object_or_404(
            Requirement, key_area_id=area.key_area_id, position=kwargs["position"]
        )
        form = AssessmentForm(request.POST, prefix=f"req{requirement.position}")
        if not form.is_valid():
            messages.error(request, " ".join(form.non_field_errors())
                           or "Choose a compliance status from the list.")
        else:
            try:
                services.assessment_set(
                    plan=self.plan, requirement=requirement, user=request.user,
                    compliance=form.cleaned_data["compliance"],
                    expected_version=form.cleaned_data["version"],
                )
                messages.success(request, f"Requirement {requirement.position} assessed.")
            except EditConflict as error:
                messages.error(
                    request,
                    f"Not saved: {_conflict_context(error)['conflict_by']} assessed requirement "
                    f"{requirement.position} after you opened the page. It now reads "
                    f"“{error.current.get_compliance_display()}”.",
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        return redirect(self.key_area_url(area, f"requirement-{requirement.position}"))


class CommentaryEditView(KeyAreaMixin, View):
    editing = True

    template_name = "actions/commentary_form.html"

    def setup_objects(self):
        self.area = get_object_or_404(
            LocalKeyArea.objects.select_related("key_area", "local_plan"),
            local_plan=self.plan, key_area__slug=self.kwargs["area_slug"],
        )
        self.commentary = (
            get_object_or_404(Commentary, local_key_area=self.area, pk=self.kwargs["pk"])
            if "pk" in self.kwargs else None
        )

    def render_form(self, form, status=200, **extra):
        return render(self.request, self.template_name, {
            "plan": self.plan, "area": self.area, "commentary": self.commentary, "form": form,
            **extra,
        }, status=status)

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        initial = CommentaryForm.initial_for(self.commentary) if self.commentary else {
            "requirement": request.GET.get("requirement") or None,
        }
        return self.render_form(CommentaryForm(initial=initial, local_key_area=self.area))

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        form = CommentaryForm(request.POST, local_key_area=self.area,
                              edits_existing=self.commentary is not None)
        if not form.is_valid():
            return self.render_form(form, status=400)
        data = {key: form.cleaned_data[key] for key in ("text", "requirement", "indent")}
        try:
            bullet = services.commentary_save(
                commentary=self.commentary or Commentary(local_key_area=self.area),
                user=request.user,
                data=data,
                expected_version=form.cleaned_data["version"] if self.commentary else None,
                links=form.cleaned_data["links"],
            )
        except EditConflict as error:
            post = request.POST.copy()
            post["version"] = error.current.version
            form = CommentaryForm(post, local_key_area=self.area)
            form.is_valid()
            return self.render_form(form, status=409, **_conflict_context(error))
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_form(form, status=400)
        messages.success(request, "Commentary saved.")
        return redirect(self.key_area_url(self.area, f"commentary-{bullet.pk}"))


class CommentaryDeleteView(KeyAreaMixin, View):
    editing = True

    def post(self, request, *args, **kwargs):
        area = get_object_or_404(LocalKeyArea, local_plan=self.plan,
                                 key_area__slug=kwargs["area_slug"])
        bullet = get_object_or_404(Commentary, local_key_area=area, pk=kwargs["pk"])
        version = _posted_version(request)
        try:
            services.commentary_delete(commentary=bullet, user=request.user,
                                       expected_version=version)
        except EditConflict as error:
            messages.error(request, f"Not deleted: {_conflict_context(error)['conflict_by']} "
                           "changed this bullet after you opened the page.")
        else:
            messages.success(request, "Commentary deleted (it stays in the history).")
        return redirect(self.key_area_url(area))


class KeyAreaTextView(KeyAreaMixin, View):
    """Edit the responsible team line and the committee-report narrative of a key area."""

    editing = True

    template_name = "actions/localkeyarea_form.html"

    def setup_objects(self):
        self.area = get_object_or_404(
            LocalKeyArea.objects.select_related("key_area", "local_plan"),
            local_plan=self.plan, key_area__slug=self.kwargs["area_slug"],
        )

    def render_form(self, form, status=200, **extra):
        return render(self.request, self.template_name, {
            "plan": self.plan, "area": self.area, "form": form, **extra,
        }, status=status)

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        return self.render_form(KeyAreaTextForm(initial={
            "responsible_team": self.area.responsible_team,
            "narrative": self.area.narrative,
            "version": self.area.version,
        }))

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        form = KeyAreaTextForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            services.local_key_area_update(
                local_key_area=self.area, user=request.user,
                data={"responsible_team": form.cleaned_data["responsible_team"].strip(),
                      "narrative": form.cleaned_data["narrative"].strip()},
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as error:
            post = request.POST.copy()
            post["version"] = error.current.version
            form = KeyAreaTextForm(post)
            form.is_valid()
            return self.render_form(form, status=409, **_conflict_context(error))
        messages.success(request, "Key area saved.")
        return redirect(self.key_area_url(self.area))
