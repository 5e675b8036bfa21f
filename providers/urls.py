"""Mounted at /councils/<council_slug>/providers/ (winterplan/urls.py)."""

from django.urls import path

from providers import views
from providers.return_links.urls import urlpatterns as return_link_urlpatterns

app_name = "providers"

urlpatterns = [
    path("", views.ProviderListView.as_view(), name="provider-list"),
    path("new/", views.ProviderEditView.as_view(), name="provider-create"),
    path("<int:pk>/", views.ProviderDetailView.as_view(), name="provider-detail"),
    path("<int:pk>/edit/", views.ProviderEditView.as_view(), name="provider-edit"),
    path("<int:pk>/continuity-plan/", views.BcpEditView.as_view(), name="bcp-edit"),
    path("<int:pk>/returns/new/", views.ReturnCreateView.as_view(), name="return-create"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/<str:upload>/", views.ImportPreviewView.as_view(), name="import-preview"),
    path("returns/", views.ReturnsDayView.as_view(), name="returns-day"),
    path("returns/<int:pk>/", views.ReturnHomeView.as_view(), name="return-home"),
    path("risk-log/", views.RiskLogView.as_view(), name="risk-log"),
    path("escalation-rules/", views.EscalationRulesView.as_view(), name="escalation-rules"),
    path("funding/", views.IcfRoundListView.as_view(), name="icf-round-list"),
    path("funding/<slug:round_slug>/", views.IcfRoundView.as_view(), name="icf-round"),
    path("funding/<slug:round_slug>/tranches/<int:number>/", views.IcfTrancheView.as_view(),
         name="icf-tranche"),
    path("funding/<slug:round_slug>/tranches/<int:number>/schedule.pdf",
         views.IcfTranchePdfView.as_view(), name="icf-tranche-pdf"),
    path("funding/<slug:round_slug>/tranches/<int:number>/allocate/",
         views.IcfAllocateView.as_view(), name="icf-allocate"),
    path("funding/<slug:round_slug>/spending/", views.IcfSpendingView.as_view(),
         name="icf-spending"),
    path("highlight-report/", views.HighlightReportView.as_view(), name="highlight-report"),
    path("highlight-report.pdf", views.HighlightReportPdfView.as_view(),
         name="highlight-report-pdf"),
    *return_link_urlpatterns,
]
