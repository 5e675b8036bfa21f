from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from winterplan.models import Council, Region, Team, User, users_with_history


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History in the admin can be read, never saved back: a past version is shown, and a
    change is made on the current one (simple_history would save a POST to a past version even
    with its revert button hidden)."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("History is read-only: change the current version instead.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Council)
class CouncilAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "gss_code", "region", "started_on", "ended_on", "dass_name"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name", "slug", "gss_code", "dass_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TeamInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]


@admin.register(Team)
class TeamAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "council"]
    list_filter = ["council"]
    search_fields = ["name", "council__name"]
    list_select_related = ["council"]


@admin.register(User)
class UserAdmin(ReadOnlyHistoryAdmin, BaseUserAdmin):
    """Users are deactivated, never deleted once history names them (it keeps who did what)."""

    list_display = ["username", "first_name", "last_name", "council", "team", "is_active"]
    list_filter = ["council", "groups", "is_active", "is_staff"]
    list_select_related = ["council", "team"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Council", {"fields": ["council", "team", "job_title", "region"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        ("Council", {"fields": ["council", "team", "job_title", "region", "groups"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and users_with_history([obj]):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deactivate instead (the "Active" box)
        return actions
