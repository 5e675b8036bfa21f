from django.urls import path

from actions.oversight import views

app_name = "oversight"

urlpatterns = [
    path("", views.RollupView.as_view(), name="rollup"),
    path("letters/", views.LetterListView.as_view(), name="letter-list"),
    path("<slug:region_slug>/", views.RollupView.as_view(), name="rollup-region"),
    path("<slug:region_slug>/summary/", views.RegionSummaryView.as_view(),
         name="region-summary"),
    path("<slug:region_slug>/summary.pdf", views.RegionSummaryPdfView.as_view(),
         name="region-summary-pdf"),
]
