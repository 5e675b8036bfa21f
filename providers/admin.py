"""The providers' models in the Django admin (admins only): the register, plans, the
Infection Control Fund (rounds with their tranches and rule), returns, rules and the risk log."""

from django.contrib import admin

from providers.models import (
    BusinessContinuityPlan,
    DailyReturn,
    EscalationRule,
    IcfAllocation,
    IcfRound,
    IcfShare,
    IcfSpendingReturn,
    IcfTranche,
    Provider,
    ProviderRisk,
    ReturnLink,
)
from providers.models.escalation import RiskLogAssessment
from winterplan.admin import ReadOnlyHistoryAdmin


class BusinessContinuityPlanInline(admin.StackedInline):
    model = BusinessContinuityPlan
    extra = 0
    fields = ["received_on", "reviewed_on", "reviewer", "outcome", "next_review_due", "notes"]
    raw_id_fields = ["reviewer"]


@admin.register(Provider)
class ProviderAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "name",
        "council",
        "provider_type",
        "cqc_location_id",
        "registered_beds",
        "people_supported",
        "risk_rating",
        "prime_provider",
        "council_run",
    ]
    list_filter = [
        "council",
        "provider_type",
        "client_group",
        "risk_rating",
        "prime_provider",
        "council_run",
    ]
    list_select_related = ["council"]
    search_fields = ["name", "cqc_location_id"]
    readonly_fields = ["version", "updated_at"]
    inlines = [BusinessContinuityPlanInline]


@admin.register(BusinessContinuityPlan)
class BusinessContinuityPlanAdmin(ReadOnlyHistoryAdmin):
    list_display = ["provider", "received_on", "reviewed_on", "outcome", "next_review_due"]
    list_filter = ["provider__council", "outcome"]
    list_select_related = ["provider"]
    search_fields = ["provider__name", "provider__cqc_location_id"]
    raw_id_fields = ["provider", "reviewer"]
    readonly_fields = ["version", "updated_at"]


class IcfTrancheInline(admin.TabularInline):
    model = IcfTranche
    extra = 0
    fields = ["number", "amount", "received_on"]


class IcfShareInline(admin.TabularInline):
    model = IcfShare
    extra = 0
    fields = ["position", "name", "percent", "basis", "provider_types", "held_back_percent",
              "discretionary"]


@admin.register(IcfRound)
class IcfRoundAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "council", "allocation", "return_due"]
    list_filter = ["council"]
    search_fields = ["name", "slug"]
    inlines = [IcfTrancheInline, IcfShareInline]


@admin.register(IcfAllocation)
class IcfAllocationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["tranche", "share", "kind", "provider", "units", "amount", "paid_on"]
    list_filter = ["tranche__round__council", "kind", "share__name"]
    list_select_related = ["tranche__round", "share", "provider"]
    search_fields = ["provider__name", "payment_reference"]
    raw_id_fields = ["provider"]


@admin.register(IcfSpendingReturn)
class IcfSpendingReturnAdmin(ReadOnlyHistoryAdmin):
    list_display = ["provider", "round", "submitted_on", "spent", "returned",
                    "restricted_staff_movement"]
    list_filter = ["round__council", "restricted_staff_movement"]
    list_select_related = ["provider", "round"]
    search_fields = ["provider__name"]
    raw_id_fields = ["provider"]


@admin.register(DailyReturn)
class DailyReturnAdmin(ReadOnlyHistoryAdmin):
    list_display = ["provider", "date", "resident_cases", "staff_cases",
                    "essential_service_impact", "entered_via", "entered_by"]
    list_filter = ["provider__council", "date", "essential_service_impact", "entered_via"]
    list_select_related = ["provider", "entered_by"]
    search_fields = ["provider__name", "provider__cqc_location_id"]
    date_hierarchy = "date"
    raw_id_fields = ["provider", "entered_by"]
    readonly_fields = ["version", "updated_at", "entered_via", "return_link"]


@admin.register(ReturnLink)
class ReturnLinkAdmin(ReadOnlyHistoryAdmin):
    """Read-only: links are issued and revoked on the home's page (with the council's checks);
    the token itself is never stored, so there is nothing here to copy."""

    list_display = ["provider", "created_at", "created_by", "expires_at", "last_used_at",
                    "revoked_at"]
    list_filter = ["provider__council"]
    list_select_related = ["provider", "created_by"]
    search_fields = ["provider__name", "emailed_to"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EscalationRule)
class EscalationRuleAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "council", "position", "metric", "comparison", "threshold",
                    "outcome", "lasts_days", "active"]
    list_filter = ["council", "metric", "outcome", "active"]
    search_fields = ["name"]


@admin.register(ProviderRisk)
class ProviderRiskAdmin(ReadOnlyHistoryAdmin):
    list_display = ["provider", "rag", "since", "outbreak", "outbreak_since", "assessed_on"]
    list_filter = ["provider__council", "rag", "outbreak"]
    list_select_related = ["provider"]
    search_fields = ["provider__name"]
    raw_id_fields = ["provider"]


@admin.register(RiskLogAssessment)
class RiskLogAssessmentAdmin(admin.ModelAdmin):
    list_display = ["council", "assessed_on", "updated_at"]
    readonly_fields = ["updated_at"]
