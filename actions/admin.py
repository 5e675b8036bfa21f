from django.contrib import admin

from actions.models import (
    ActionLink,
    Commentary,
    CommentaryLink,
    KeyArea,
    LocalAction,
    LocalKeyArea,
    LocalPlan,
    NationalPlan,
    Requirement,
    RequirementAssessment,
    RequirementLink,
    Theme,
)
from winterplan.admin import ReadOnlyHistoryAdmin


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    fields = ["position", "part", "title", "heading_shown"]
    show_change_link = True


@admin.register(NationalPlan)
class NationalPlanAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "version", "confirmation_deadline"]
    search_fields = ["title", "publisher", "slug"]
    list_filter = ["publisher"]
    inlines = [ThemeInline]


class KeyAreaInline(admin.TabularInline):
    model = KeyArea
    extra = 0
    fields = ["position", "title", "slug", "column_label"]
    show_change_link = True


@admin.register(Theme)
class ThemeAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "national_plan", "part", "position"]
    list_filter = ["national_plan", "part"]
    search_fields = ["title"]
    inlines = [KeyAreaInline]


class RequirementInline(admin.StackedInline):
    model = Requirement
    extra = 0
    fields = [("position", "kind"), "audience", "text"]
    show_change_link = True


@admin.register(KeyArea)
class KeyAreaAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "theme", "position", "national_plan"]
    list_filter = ["national_plan", "theme__part", "theme"]
    list_select_related = ["theme", "national_plan"]
    search_fields = ["title", "slug"]
    inlines = [RequirementInline]


class RequirementLinkInline(admin.TabularInline):
    model = RequirementLink
    extra = 0


@admin.register(Requirement)
class RequirementAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "key_area", "audience", "kind"]
    list_filter = ["key_area__national_plan", "kind", "key_area__theme"]
    list_select_related = ["key_area"]
    search_fields = ["text", "audience", "key_area__title"]
    inlines = [RequirementLinkInline]


class LocalKeyAreaInline(admin.TabularInline):
    model = LocalKeyArea
    extra = 0
    fields = ["key_area", "responsible_team"]
    readonly_fields = ["key_area"]
    show_change_link = True
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("key_area__theme")


@admin.register(LocalPlan)
class LocalPlanAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "council", "national_plan", "as_at", "status"]
    list_filter = ["council", "national_plan", "status"]
    list_select_related = ["council", "national_plan"]
    search_fields = ["title", "slug", "council__name"]
    readonly_fields = ["carried_from"]  # set by actions.winters only
    inlines = [LocalKeyAreaInline]


class LocalActionInline(admin.StackedInline):
    model = LocalAction
    extra = 0
    fields = [
        ("position", "status"),
        "text",
        ("team", "owner"),
        ("deadline", "deadline_ongoing"),
        "requirements",
    ]
    autocomplete_fields = ["owner"]
    filter_horizontal = ["requirements"]
    show_change_link = True


class CommentaryInline(admin.StackedInline):
    model = Commentary
    extra = 0
    fields = [("position", "indent", "requirement"), "text"]
    show_change_link = True


@admin.register(LocalKeyArea)
class LocalKeyAreaAdmin(ReadOnlyHistoryAdmin):
    list_display = ["key_area", "local_plan", "responsible_team"]
    list_filter = ["local_plan__council", "local_plan", "key_area__theme"]
    list_select_related = ["key_area", "local_plan"]
    search_fields = ["key_area__title", "responsible_team", "narrative"]
    readonly_fields = ["local_plan", "key_area", "carried_from"]
    inlines = [LocalActionInline, CommentaryInline]


class ActionLinkInline(admin.TabularInline):
    model = ActionLink
    extra = 0


@admin.register(LocalAction)
class LocalActionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["text", "local_key_area", "team", "deadline_display", "status"]
    list_filter = [
        "local_key_area__local_plan__council",
        "local_key_area__local_plan",
        "status",
        "deadline_ongoing",
        "team",
    ]
    list_select_related = ["local_key_area__key_area", "local_key_area__local_plan", "team"]
    search_fields = ["text", "local_key_area__key_area__title", "team__name"]
    autocomplete_fields = ["owner"]
    filter_horizontal = ["requirements"]
    readonly_fields = ["version", "updated_at", "carried_from"]
    inlines = [ActionLinkInline]

    @admin.display(description="deadline", ordering="deadline")
    def deadline_display(self, action):
        return action.deadline_display


class CommentaryLinkInline(admin.TabularInline):
    model = CommentaryLink
    extra = 0


@admin.register(Commentary)
class CommentaryAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "local_key_area", "requirement", "position"]
    list_filter = ["local_key_area__local_plan", "local_key_area__key_area__theme"]
    list_select_related = ["local_key_area__key_area", "local_key_area__local_plan", "requirement"]
    search_fields = ["text"]
    readonly_fields = ["carried_from"]
    inlines = [CommentaryLinkInline]


@admin.register(RequirementAssessment)
class RequirementAssessmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["requirement", "local_plan", "compliance"]
    list_filter = ["local_plan", "compliance"]
    list_select_related = ["requirement__key_area", "local_plan"]
    search_fields = ["requirement__text"]
