"""Filters of the actions table; every choice list is limited to the plan's own rows."""

import django_filters
from django import forms
from django.db.models import Q

from actions.models import ActionStatus, KeyArea, LocalAction, LocalPlan, Theme
from winterplan.forms.widgets import GovukFormMixin
from winterplan.models import Team, User


class FilterForm(GovukFormMixin, forms.Form):
    pass


class KeyAreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: KeyArea) -> str:
        return f"{obj.title} (NHS organisations)" if obj.theme.part == "nhs" else obj.title


class KeyAreaFilter(django_filters.ModelChoiceFilter):
    field_class = KeyAreaChoiceField


class LocalActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    theme = django_filters.ModelChoiceFilter(
        label="Theme", field_name="local_key_area__key_area__theme", queryset=Theme.objects.none(),
        empty_label="Any theme",
    )
    key_area = KeyAreaFilter(
        label="Key area", field_name="local_key_area__key_area", queryset=KeyArea.objects.none(),
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
            KeyArea.objects.filter(national_plan_id=plan.national_plan_id)
            .select_related("theme")
            .order_by("theme__position", "position")
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
