from django.contrib import admin

from actions.reminders.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """What was e-mailed: read-only (send_reminders writes it)."""

    list_display = ["event", "email", "due_on", "status", "attempts", "sent_at", "created_at"]
    list_filter = ["event", "status"]
    search_fields = ["email", "subject", "recipient__username"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
