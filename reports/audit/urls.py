"""Mounted at /councils/<council_slug>/audit/ (README, "URLs")."""

from django.urls import path

from reports.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.AuditTrailView.as_view(), name="trail"),
    path("changes.csv", views.AuditCsvView.as_view(), name="trail-csv"),
]
