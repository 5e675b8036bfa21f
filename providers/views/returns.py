"""A day's returns for every home on one screen, the risk log and the escalation rules."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from providers import selectors
from providers.forms import AssessForm, DailyReturnForm, DayForm, EscalationRuleForm
from providers.models import DailyReturn, EscalationRule
from providers.selectors.register import DayRow, returning_providers, returns_received
from providers.services import escalation
from providers.services.register import daily_returns_save
from providers.tables import RiskLogTable
from providers.views.register import ProvidersMixin
from winterplan import permissions
from winterplan.exports import SafeTableExport
from winterplan.validators import parse_id

HOMES_PER_PAGE = 25


class HomeReturnForm(DailyReturnForm):
    """A home's return on the day screen; `home` says which home the form is for."""

    home = forms.IntegerField(widget=forms.HiddenInput)


class DayFormSet(forms.BaseFormSet):
    """One form per home of the page, each editing that home's return (or a new one)."""

    def __init__(self, *args, rows: list[DayRow], date: datetime.date, **kwargs):
        self.rows, self.date = rows, date
        super().__init__(*args, initial=[{"home": row.provider.pk} for row in rows], **kwargs)

    def get_form_kwargs(self, index):
        row = self.rows[index]
        instance = row.daily_return or DailyReturn(provider=row.provider, date=self.date)
        return {"instance": instance}

    def total_form_count(self):
        return len(self.rows)


HomeReturnFormSet = forms.formset_factory(
    HomeReturnForm, formset=DayFormSet, extra=0, max_num=HOMES_PER_PAGE, absolute_max=100
)


class ReturnsDayView(ProvidersMixin, View):
    """Enter or review a day's returns for every care home, a page of homes at a time
    (`?missing=on`: only the homes that have not returned yet)."""

    template_name = "providers/dailyreturn_day.html"
    only_missing = False

    def day(self) -> tuple[DayForm, datetime.date | None]:
        data = self.request.GET.copy()
        data.setdefault("date", timezone.localdate().strftime("%d/%m/%Y"))
        form = DayForm(data)
        if not form.is_valid():
            return form, None
        self.only_missing = form.cleaned_data["missing"]
        return form, form.cleaned_data["date"]

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
                   "errors": errors, "rows": rows}
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


class RiskLogView(ProvidersMixin, ExportMixin, SingleTableMixin, TemplateView):
    template_name = "providers/risk_log.html"
    table_class = RiskLogTable
    export_class = SafeTableExport
    export_formats = ("csv", "xlsx")
    table_pagination = False

    def get_table_data(self):
        return selectors.risk_log(self.council)

    def get_table_kwargs(self):
        return {"council": self.council}

    def get_export_filename(self, export_format):
        return f"{self.council.slug}-risk-log-{timezone.localdate():%Y-%m-%d}.{export_format}"

    def get_dataset_kwargs(self):
        return {"title": "Risk log"}

    def get_context_data(self, **kwargs):
        latest = escalation.latest_assessment_date(self.council)
        kwargs.setdefault("assess_form", AssessForm(
            initial={"as_at": latest or timezone.localdate()}))
        return super().get_context_data(assessed_on=latest, **kwargs)

    def post(self, request, *args, **kwargs):
        form = AssessForm(request.POST)
        if not form.is_valid():
            self.object_list = None
            context = self.get_context_data(assess_form=form)
            return self.render_to_response(context, status=400)
        result = escalation.escalations_evaluate(
            council=self.council, as_at=form.cleaned_data["as_at"], user=request.user
        )
        text = f"Assessed {result.assessed} providers as at {result.as_at:%d/%m/%Y}."
        if result.skipped_newer:
            text += (f" {result.skipped_newer} already assessed as at a later date were "
                     "left as they were.")
        messages.success(request, text)
        return redirect(self.url("risk-log"))


RuleFormSet = forms.modelformset_factory(
    EscalationRule, form=EscalationRuleForm, extra=1, can_delete=True, max_num=50,
    absolute_max=60,
)


class EscalationRulesView(ProvidersMixin, View):
    """Everyone may read the rules; only managers change them."""

    template_name = "providers/escalationrule_list.html"
    write_roles = permissions.APPROVING_ROLES

    def rules(self):
        return EscalationRule.objects.for_council(self.council)

    def render_rules(self, formset, status=200):
        return self.render_page(self.template_name, {
            "rules": list(self.rules()),
            "formset": formset,
            "can_change": permissions.role_of(self.request.user) in self.write_roles,
            "assessed_on": escalation.latest_assessment_date(self.council),
        }, status=status)

    def get(self, request, *args, **kwargs):
        can_change = permissions.role_of(request.user) in self.write_roles
        return self.render_rules(RuleFormSet(queryset=self.rules()) if can_change else None)

    def post(self, request, *args, **kwargs):
        formset = RuleFormSet(request.POST, queryset=self.rules())
        if not formset.is_valid():
            return self.render_rules(formset, status=400)
        changed = formset.save(commit=False)
        position = 0
        for form in formset.forms:
            if form in formset.deleted_forms or not (form.instance.pk or form.has_changed()):
                continue
            rule = form.instance
            if rule.position != position:
                rule.position = position
                if not any(rule is other for other in changed):
                    changed.append(rule)
            position += 1
        try:
            escalation.escalation_rules_save(
                council=self.council, changed=changed, deleted=formset.deleted_objects,
                user=request.user,
            )
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
            return self.render_rules(formset, status=400)
        messages.success(request, "Escalation rules saved and every provider re-assessed.")
        return redirect(self.url("escalation-rules"))

