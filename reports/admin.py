"""Admin for the documents' data. The letter's approval and the PDF cache are written by the
app only: the admin shows them read-only, and an approved letter can be neither changed nor
deleted (nor reverted through its history, which is read-only everywhere)."""

from django.contrib import admin

from reports.models import (
    AppendixLink,
    CommitteeReport,
    DhscLetter,
    RenderedDocument,
    ReportSection,
)
from winterplan.admin import ReadOnlyHistoryAdmin


class ReportSectionInline(admin.StackedInline):
    model = ReportSection
    extra = 0
    fields = [("number", "key", "position", "parent"), "heading", "body"]
    show_change_link = True


class AppendixLinkInline(admin.TabularInline):
    model = AppendixLink
    extra = 0
    fields = ["position", "title", "url"]


@admin.register(CommitteeReport)
class CommitteeReportAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "local_plan", "committee", "meeting_date", "updated_at"]
    list_filter = ["local_plan__council"]
    search_fields = ["title", "committee", "local_plan__title"]
    inlines = [ReportSectionInline, AppendixLinkInline]


@admin.register(ReportSection)
class ReportSectionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["number", "heading", "report", "updated_at"]
    list_filter = ["report__local_plan__council"]
    search_fields = ["heading", "body", "key"]


@admin.register(DhscLetter)
class DhscLetterAdmin(ReadOnlyHistoryAdmin):
    list_display = ["local_plan", "state", "reference", "approved_at", "sent_on"]
    list_filter = ["state", "local_plan__council"]
    search_fields = ["reference", "local_plan__title", "key_issues"]
    readonly_fields = ["state", "approved_at", "approved_by", "sent_on", "approved_pdf_sha256",
                       "approved_docx_sha256", "created_at", "updated_at", "version"]
    exclude = ["approved_pdf", "approved_html", "approved_docx"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_frozen:  # approved: the letter is what was approved
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would not ask about each letter
        return actions


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(admin.ModelAdmin):
    list_display = ["document", "subject", "as_at", "pages", "render_seconds", "created_at"]
    list_filter = ["document"]
    search_fields = ["subject", "key"]
    exclude = ["content"]
    readonly_fields = ["document", "subject", "key", "as_at", "pages", "render_seconds",
                       "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
