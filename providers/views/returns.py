"""A day's returns for every home on one screen, the risk log and the escalation rules."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from actions.selectors import reporting_date_for
from providers import selectors
from providers.forms import (
    GRID_HEADINGS,
    GRID_NUMBERS,
    GRID_YES_NO,
    AssessForm,
    DailyReturnForm,
    DailyReturnGridForm,
    DayForm,
    EscalationRuleForm,
    EscalationRuleFormSet,
)
from providers.models import DailyReturn, EscalationRule
from providers.return_links.selectors import not_reported_context, with_return_of_day
from providers.selectors.register import (
    DayRow,
    latest_returns_day,
    returning_providers,
    returns_received,
)
from providers.services import escalation
from providers.services.register import daily_returns_save
from providers.tables import RiskLogTable
from providers.views.register import ProvidersFragmentMixin, ProvidersMixin
from winterplan import permissions
from winterplan.exports import SafeTableExport, StreamingCsvExportMixin
from winterplan.validators import parse_id

HOMES_PER_PAGE = 25


class DayFormSet(forms.BaseFormSet):
    """One grid row per home of the page, each editing that home's return (or a new one)."""

    def __init__(self, *args, rows: list[DayRow], date: datetime.date, **kwargs):
        self.rows, self.date = rows, date
        super().__init__(*args, initial=[{"home": row.provider.pk} for row in rows], **kwargs)

    def get_form_kwargs(self, index):
        row = self.rows[index]
        instance = row.daily_return or DailyReturn(provider=row.provider, date=self.date)
        return {"instance": instance, "home_name": row.provider.name}

    def total_form_count(self):
        return len(self.rows)


HomeReturnFormSet = forms.formset_factory(
    DailyReturnGridForm, formset=DayFormSet, extra=0, max_num=HOMES_PER_PAGE, absolute_max=100
)
#: The grid's second heading row: the columns under "New confirmed cases", "Days of stock of
#: PPE" and "Yes or no".
GRID_SUBHEADINGS = [GRID_HEADINGS[name] for name in (*GRID_NUMBERS, *GRID_YES_NO)
                    if name != "vacant_beds"]


class ReturnsDayView(ProvidersMixin, ProvidersFragmentMixin, View):
    """Enter or review a day's returns for every care home, a page of homes at a time, one
    row per home (`?missing=on`: only the homes that have not returned yet); each row links to
    the home's full return for the day."""

    template_name = "providers/dailyreturn_day.html"
    fragment_page = "returns-day"
    only_missing = False

    def day(self) -> tuple[DayForm, datetime.date | None]:
        data = self.request.GET.copy()
        if not data.get("date"):
            data["date"] = self.default_day().strftime("%d/%m/%Y")
        form = DayForm(data)
        if not form.is_valid():
            return form, None
        self.only_missing = form.cleaned_data["missing"]
        return form, form.cleaned_data["date"]

    def default_day(self) -> datetime.date:
        """The latest day with returns as at the page's reporting date, else that date."""
        as_at = reporting_date_for(self.request).date
        return latest_returns_day(self.council, as_at=as_at) or min(as_at, timezone.localdate())

    def page(self, date):
        homes = returning_providers(self.council)
        if self.only_missing:
            homes = homes.exclude(daily_returns__date=date)
        paginator = Paginator(homes, HOMES_PER_PAGE)
        return paginator.get_page(self.request.GET.get("page"))

    def render_day(self, day_form, date, page=None, formset=None, status=200, errors=(),
                   rows=None):
        if rows is None and formset is not None:
            rows = formset.rows
        context = {"day_form": day_form, "date": date, "page": page, "formset": formset,
                   "errors": errors, "rows": rows, "grid_headings": GRID_SUBHEADINGS,
                   "reminder_day": timezone.localdate(), "back": "returns-day"}
        context.update(not_reported_context(self.council, context["reminder_day"]))
        if date is not None:
            context["query"] = self.day_query(date)
            context["received"] = returns_received(self.council, date)
            context["total_homes"] = (
                returning_providers(self.council).count() if self.only_missing
                else page.paginator.count
            )
            context["previous_day"] = date - datetime.timedelta(days=1)
            context["next_day"] = date + datetime.timedelta(days=1)
            context["next_day_allowed"] = context["next_day"] <= timezone.localdate()
            if formset is not None:
                context["entries"] = list(zip(formset.forms, formset.rows, strict=True))
        return self.render_page(self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        day_form, date = self.day()
        if date is None:
            return self.render_day(day_form, None, status=400)
        page = self.page(date)
        rows = selectors.returns_day(list(page.object_list), date)
        formset = HomeReturnFormSet(rows=rows, date=date) if self.can_edit else None
        return self.render_day(day_form, date, page, formset, rows=rows)

    @property
    def can_edit(self) -> bool:
        return permissions.can_edit(self.request.user)

    def post(self, request, *args, **kwargs):
        day_form, date = self.day()
        if date is None:
            return self.render_day(day_form, None, status=400)
        rows = self.posted_rows(date)
        if rows is None:
            messages.error(request, "The list of homes changed while you were entering "
                                    "returns: nothing was saved. Enter them again below.")
            return redirect(self.day_url(date))
        page = self.page(date)
        formset = HomeReturnFormSet(request.POST, rows=rows, date=date)
        if not formset.is_valid():
            return self.render_day(day_form, date, page, formset, status=400)
        entries = [
            (form.instance, form.cleaned_data.get("version"))
            for form in formset.forms if form.has_changed()
        ]
        try:
            saved = daily_returns_save(council=self.council, entries=entries, user=request.user)
        except ValidationError as error:
            return self.render_day(day_form, date, page, formset, status=409,
                                   errors=error.messages)
        messages.success(request, f"{saved} return{'s' if saved != 1 else ''} saved for "
                                  f"{date:%d/%m/%Y}." if saved else "Nothing had changed.")
        return redirect(self.day_url(date, request.GET.get("page")))

    def posted_rows(self, date) -> list[DayRow] | None:
        """The homes the posted forms are for, in order, if all are this council's homes."""
        try:
            total = min(int(self.request.POST.get("form-TOTAL_FORMS", "")), HOMES_PER_PAGE)
            ids = [parse_id(self.request.POST.get(f"form-{i}-home", "")) for i in range(total)]
        except ValueError:
            return None
        homes = {p.pk: p for p in returning_providers(self.council).filter(pk__in=ids)}
        if len(homes) != len(ids) or len(set(ids)) != len(ids):
            return None
        return selectors.returns_day([homes[pk] for pk in ids], date)

    def day_query(self, date, page=None) -> str:
        """The day screen's query string (the day, the "only missing" choice, the page)."""
        query = {"date": date.strftime("%d/%m/%Y")}
        if getattr(self, "only_missing", False):
            query["missing"] = "on"
        if page:
            query["page"] = page
        return urlencode(query)

    def day_url(self, date, page=None) -> str:
        return f"{self.url('returns-day')}?{self.day_query(date, page)}"


class ReturnHomeView(ReturnsDayView):
    """One home's full return for a day (`?date=`), one home at a time: opened from its row
    on the day screen, saved with the return's version guarding it, then back to the day."""

    template_name = "providers/dailyreturn_home.html"
    fragment_page = ""  # a form for one home and day: never cached
    editing = True

    def render_home(self, day_form, date, form=None, row=None, status=200, errors=()):
        return self.render_page(self.template_name, {
            "day_form": day_form, "date": date, "form": form, "row": row, "errors": errors,
            "provider": self.home, "day_query": self.day_query(date) if date else "",
        }, status=status)

    def setup_home(self):
        self.home = get_object_or_404(returning_providers(self.council), pk=self.kwargs["pk"])

    def home_form(self, date, data=None):
        row = selectors.returns_day([self.home], date)[0]
        instance = row.daily_return or DailyReturn(provider=self.home, date=date)
        return DailyReturnForm(data, instance=instance), row

    def get(self, request, *args, **kwargs):
        self.setup_home()
        day_form, date = self.day()
        if date is None:
            return self.render_home(day_form, None, status=400)
        form, row = self.home_form(date)
        return self.render_home(day_form, date, form, row)

    def post(self, request, *args, **kwargs):
        self.setup_home()
        day_form, date = self.day()
        if date is None:
            return self.render_home(day_form, None, status=400)
        form, row = self.home_form(date, request.POST)
        if not form.is_valid():
            return self.render_home(day_form, date, form, row, status=400)
        try:
            daily_returns_save(council=self.council, user=request.user, entries=[
                (form.instance, form.cleaned_data.get("version"))])
        except ValidationError as error:
            return self.render_home(day_form, date, form, row, status=409,
                                    errors=error.messages)
        messages.success(request, f"Return of {self.home.name} for {date:%d/%m/%Y} saved.")
        return redirect(self.day_url(date))


class RiskLogView(ProvidersMixin, ProvidersFragmentMixin, StreamingCsvExportMixin,
                  ExportMixin, SingleTableMixin, TemplateView):
    template_name = "providers/risk_log.html"
    fragment_page = "risk-log"
    table_class = RiskLogTable
    export_class = SafeTableExport
    export_formats = ("csv", "xlsx")
    table_pagination = {"per_page": 50}

    def get_table_data(self):
        return with_return_of_day(selectors.risk_log(self.council), timezone.localdate())

    def get_table_kwargs(self):
        return {"council": self.council, "day": timezone.localdate()}

    def get_export_filename(self, export_format):
        return f"{self.council.slug}-risk-log-{timezone.localdate():%Y-%m-%d}.{export_format}"

    def get_dataset_kwargs(self):
        return {"title": "Risk log"}

    def get_context_data(self, **kwargs):
        latest = escalation.latest_assessment_date(self.council)
        kwargs.setdefault("assess_form", AssessForm(
            initial={"as_at": latest or reporting_date_for(self.request).date}))
        today = timezone.localdate()
        return super().get_context_data(
            assessed_on=latest, default_rules=escalation.uses_default_rules(self.council),
            reminder_day=today, back="risk-log",
            **not_reported_context(self.council, today), **kwargs)

    def post(self, request, *args, **kwargs):
        form = AssessForm(request.POST)
        if not form.is_valid():
            self.object_list = None
            context = self.get_context_data(assess_form=form)
            return self.render_to_response(context, status=400)
        result = escalation.escalations_evaluate(
            council=self.council, as_at=form.cleaned_data["as_at"], user=request.user,
            reason="Assessed again on the risk log",
        )
        text = f"Assessed {result.assessed} providers as at {result.as_at:%d/%m/%Y}."
        if result.skipped_newer:
            text += (f" {result.skipped_newer} already assessed as at a later date were "
                     "left as they were.")
        messages.success(request, text)
        return redirect(self.url("risk-log"))


RuleFormSet = forms.modelformset_factory(
    EscalationRule, form=EscalationRuleForm, formset=EscalationRuleFormSet, extra=1,
    can_delete=True, max_num=50, absolute_max=60,
)


class EscalationRulesView(ProvidersMixin, View):
    """Everyone may read the rules; only managers change them. A council without rules sees
    the default rules in force, and a manager may adopt them as the council's own (POST
    `adopt`)."""

    template_name = "providers/escalationrule_list.html"
    write_roles = permissions.APPROVING_ROLES

    def rules(self):
        return EscalationRule.objects.for_council(self.council)

    @property
    def can_change(self) -> bool:
        return permissions.role_of(self.request.user) in self.write_roles

    def render_rules(self, formset, status=200, errors=()):
        in_force = escalation.rules_in_force(self.council)
        return self.render_page(self.template_name, {
            "rules": in_force.rules if in_force.default else list(self.rules()),
            "default_rules": in_force.default,
            "formset": formset if not in_force.default else None,
            "can_change": self.can_change,
            "errors": errors,
            "assessed_on": escalation.latest_assessment_date(self.council),
        }, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_rules(RuleFormSet(queryset=self.rules()) if self.can_change else None)

    def post(self, request, *args, **kwargs):
        if "adopt" in request.POST:
            return self.adopt()
        formset = RuleFormSet(request.POST, queryset=self.rules())
        if not formset.is_valid():
            if formset.rules_changed:
                return self.render_rules(RuleFormSet(queryset=self.rules()), status=409,
                                         errors=formset.non_form_errors())
            return self.render_rules(formset, status=400)
        changed, deleted = formset.entries()
        try:
            escalation.escalation_rules_save(
                council=self.council, changed=changed, deleted=deleted, user=request.user,
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "stale":
                return self.render_rules(RuleFormSet(queryset=self.rules()), status=409,
                                         errors=error.messages)
            formset._non_form_errors = formset.error_class(error.messages)
            return self.render_rules(formset, status=400)
        messages.success(request, "Escalation rules saved and every provider re-assessed.")
        return redirect(self.url("escalation-rules"))

    def adopt(self):
        try:
            escalation.escalation_rules_adopt_defaults(council=self.council,
                                                       user=self.request.user)
        except ValidationError as error:
            return self.render_rules(RuleFormSet(queryset=self.rules()), status=409,
                                     errors=error.messages)
        messages.success(self.request, "The default rules are now the council's own: change "
                                       "them below.")
        return redirect(self.url("escalation-rules"))
