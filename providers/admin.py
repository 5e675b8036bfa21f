from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from providers.models import Provider


@admin.register(Provider)
class ProviderAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "council",
        "provider_type",
        "cqc_location_id",
        "registered_beds",
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
