"""Filters of the actions table; every choice list is limited to the plan's own rows."""

import django_filters
from django import forms
from django.db.models import Q

from actions.models import ActionStatus, LocalAction, LocalKeyArea, LocalPlan, Theme
from winterplan.forms.widgets import GovukFormMixin
from winterplan.models import Team, User


class FilterForm(GovukFormMixin, forms.Form):
    pass


class LocalActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    theme = django_filters.ModelChoiceFilter(
        field_name="local_key_area__key_area__theme", queryset=Theme.objects.none(),
        empty_label="Any theme",
    )
    key_area = django_filters.ModelChoiceFilter(
        label="Key area", field_name="local_key_area", queryset=LocalKeyArea.objects.none(),
        empty_label="Any key area",
    )
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.none(), empty_label="Any team")
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.none(), empty_label="Anyone"
    )
    status = django_filters.MultipleChoiceFilter(
        choices=ActionStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    deadline_from = django_filters.DateFilter(
        label="Deadline from", field_name="deadline", lookup_expr="gte",
        help_text="dd/mm/yyyy",
    )
    deadline_to = django_filters.DateFilter(
        label="Deadline to", field_name="deadline", lookup_expr="lte", help_text="dd/mm/yyyy"
    )
    overdue = django_filters.BooleanFilter(
        label="Only overdue actions", method="filter_overdue", widget=forms.CheckboxInput
    )

    class Meta:
        model = LocalAction
        fields = []
        form = FilterForm

    def __init__(self, *args, plan: LocalPlan, as_at, **kwargs):
        self.plan = plan
        self.as_at = as_at
        super().__init__(*args, **kwargs)
        filters = self.filters
        filters["theme"].queryset = plan.national_plan.themes.order_by("position")
        filters["key_area"].queryset = (
            LocalKeyArea.objects.filter(local_plan=plan)
            .select_related("key_area")
            .order_by("key_area__theme__position", "key_area__position")
        )
        filters["team"].queryset = Team.objects.filter(council=plan.council)
        filters["owner"].queryset = User.objects.filter(council=plan.council, is_active=True)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(text__icontains=value)
            | Q(local_key_area__key_area__title__icontains=value)
            | Q(team__name__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(as_at=self.as_at) if value else queryset
