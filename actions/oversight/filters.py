"""The roll-up's form: which national plan, as at which day, and filters on the councils."""

import django_filters
from django import forms
from django.db.models import Q

from actions.filters import FilterForm
from actions.oversight import selectors
from reports.models import DhscLetter
from winterplan.models import Council, Region

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
LETTER_STATES = [(selectors.NO_LETTER, "No letter"), *DhscLetter.State.choices]


class RollupFilter(django_filters.FilterSet):
    national_plan = django_filters.ModelChoiceFilter(
        label="National plan", queryset=selectors.national_plans(), to_field_name="slug",
        method="keep", empty_label=None,
    )
    as_at = django_filters.DateFilter(
        label="As at", method="keep", input_formats=DATE_FORMATS,
        help_text="dd/mm/yyyy: the councils of that day; overdue means overdue on it",
        error_messages={"invalid": "Enter a real date as dd/mm/yyyy, for example 31/10/2020."},
    )
    q = django_filters.CharFilter(label="Council", method="search")
    region = django_filters.ModelChoiceFilter(
        label="Region", queryset=Region.objects.all(), to_field_name="slug",
        empty_label="Every region",
    )
    plan = django_filters.ChoiceFilter(
        label="Plan", method="keep", empty_label="Any",
        choices=[("started", "Plan started"), ("none", "No plan started")],
    )
    letter = django_filters.ChoiceFilter(
        label="DHSC letter", method="keep", choices=LETTER_STATES, empty_label="Any",
    )
    late = django_filters.BooleanFilter(
        label="Letter not sent by the deadline", method="keep",
        widget=forms.CheckboxInput,
    )
    overdue = django_filters.BooleanFilter(
        label="Only councils with overdue actions", method="keep",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Council
        fields = []
        form = FilterForm

    def __init__(self, *args, region_fixed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if region_fixed:
            del self.filters["region"]
        self.national_plan = selectors.default_national_plan()
        self.as_at = selectors.default_date(self.national_plan)

    def filter_queryset(self, queryset):
        """The councils the search and region leave, with their figures for the chosen plan
        and day, then the filters on the figures (in Python: the figures are computed per
        family, not per council row in SQL)."""
        data = self.form.cleaned_data
        self.national_plan = data.get("national_plan") or self.national_plan
        self.as_at = data.get("as_at") or selectors.default_date(self.national_plan)
        rows = selectors.rollup_councils(
            super().filter_queryset(queryset), national_plan=self.national_plan,
            as_at=self.as_at,
        )
        return [row for row in rows if self.keeps(row)]

    def keep(self, queryset, name, value):
        return queryset  # read in filter_queryset: they shape or filter on the figures

    def keeps(self, row) -> bool:
        """Whether `row` passes the filters on its figures (plan, letter, late, overdue)."""
        data = self.form.cleaned_data
        deadline = self.national_plan.confirmation_deadline if self.national_plan else None
        plan = data.get("plan")
        if plan and bool(row.plan_count) != (plan == "started"):
            return False
        if data.get("letter") and row.letter_state != data["letter"]:
            return False
        if data.get("late") and deadline is not None and not (
                row.letter_sent_on is None or row.letter_sent_on > deadline):
            return False
        return not (data.get("overdue") and not row.actions_overdue)

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(gss_code__iexact=value.strip()))


class LetterFilter(django_filters.FilterSet):
    national_plan = django_filters.ModelChoiceFilter(
        label="National plan", queryset=selectors.national_plans(), to_field_name="slug",
        method="keep", empty_label=None,
    )
    region = django_filters.ModelChoiceFilter(
        label="Region", field_name="local_plan__council__region", queryset=Region.objects.all(),
        to_field_name="slug", empty_label="Every region",
    )
    state = django_filters.ChoiceFilter(
        label="State", choices=DhscLetter.State.choices, empty_label="Any",
    )
    late = django_filters.BooleanFilter(
        label="Not sent by the deadline", method="filter_late", widget=forms.CheckboxInput,
    )

    class Meta:
        model = DhscLetter
        fields = []
        form = FilterForm

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.councils = councils
        self.national_plan = selectors.default_national_plan()

    def filter_queryset(self, queryset):
        """The letters of the chosen national plan, then the filters."""
        self.national_plan = self.form.cleaned_data.get("national_plan") or self.national_plan
        queryset = selectors.letters_received(self.councils, national_plan=self.national_plan)
        return super().filter_queryset(queryset)

    def keep(self, queryset, name, value):
        return queryset

    def filter_late(self, queryset, name, value):
        deadline = self.national_plan.confirmation_deadline if self.national_plan else None
        if not value or deadline is None:
            return queryset
        return queryset.filter(Q(sent_on__isnull=True) | Q(sent_on__gt=deadline))
