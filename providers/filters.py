"""Filters of the provider register and the risk log."""

import datetime

import django_filters
from django import forms
from django.db.models import Q

from providers.models import BcpState, Provider, ProviderType, RiskRating
from providers.selectors import bcp_state_filter
from winterplan.forms.widgets import GovukFormMixin

YES_NO = [("yes", "Yes"), ("no", "No")]


class FilterForm(GovukFormMixin, forms.Form):
    pass


class ProviderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search",
                                  help_text="Name or CQC location ID")
    provider_type = django_filters.ChoiceFilter(
        label="Type", choices=ProviderType.choices, empty_label="Any type"
    )
    rag = django_filters.ChoiceFilter(
        label="RAG rating", field_name="current_rag", choices=RiskRating.choices,
        empty_label="Any rating",
    )
    bcp = django_filters.ChoiceFilter(
        label="Business continuity plan", choices=BcpState.choices, method="filter_bcp",
        empty_label="Any state",
    )
    council_run = django_filters.ChoiceFilter(
        label="Run by the council", choices=YES_NO, method="filter_flag", empty_label="Either"
    )
    prime_provider = django_filters.ChoiceFilter(
        label="Prime provider", choices=YES_NO, method="filter_flag", empty_label="Either"
    )

    class Meta:
        model = Provider
        fields = []
        form = FilterForm

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(cqc_location_id__iexact=value))

    def __init__(self, *args, as_at: datetime.date, **kwargs):
        self.as_at = as_at  # the page's reporting date: reviews are overdue as at it
        super().__init__(*args, **kwargs)

    def filter_bcp(self, queryset, name, value):
        return queryset.filter(bcp_state_filter(value, self.as_at))

    def filter_flag(self, queryset, name, value):
        return queryset.filter(**{name: value == "yes"})
