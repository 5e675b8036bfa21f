from django.contrib import admin

from winterplan.admin import ReadOnlyHistoryAdmin
from winterplan.people.models import Invitation


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyHistoryAdmin):
    """Invitations are made and changed on the people pages (the link is e-mailed there);
    the admin only reads them."""

    list_display = ["email", "council", "role", "team", "sent_at", "expires_at", "accepted_at",
                    "cancelled_at"]
    list_filter = ["council", "role"]
    search_fields = ["email"]
    readonly_fields = list_display + ["invited_by", "user"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
