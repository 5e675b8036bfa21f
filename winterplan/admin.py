from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from winterplan.models import Council, Team, User


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Council)
class CouncilAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "region", "dass_name"]
    list_filter = ["region"]
    search_fields = ["name", "slug", "dass_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TeamInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "council"]
    list_filter = ["council"]
    search_fields = ["name", "council__name"]
    list_select_related = ["council"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "council", "team", "is_active"]
    list_filter = ["council", "groups", "is_active", "is_staff"]
    list_select_related = ["council", "team"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Council", {"fields": ["council", "team", "job_title"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        ("Council", {"fields": ["council", "team", "job_title", "groups"]}),
    ]
