from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("actions/", views.ActionListView.as_view(), name="action-list"),
    path("actions/<int:pk>/", views.ActionDetailView.as_view(), name="action-detail"),
    path("actions/<int:pk>/complete/", views.ActionCompleteView.as_view(),
         name="action-complete"),
    path("areas/", views.KeyAreaListView.as_view(), name="key-area-list"),
    path("areas/<slug:area_slug>/", views.KeyAreaView.as_view(), name="key-area"),
    path("areas/<slug:area_slug>/edit/", views.KeyAreaTextView.as_view(), name="key-area-edit"),
    path("areas/<slug:area_slug>/actions/new/", views.ActionEditView.as_view(),
         name="action-create"),
    path("areas/<slug:area_slug>/actions/<int:pk>/edit/", views.ActionEditView.as_view(),
         name="action-edit"),
    path("areas/<slug:area_slug>/requirements/<int:position>/assessment/",
         views.AssessmentView.as_view(), name="assessment"),
    path("areas/<slug:area_slug>/commentary/new/", views.CommentaryEditView.as_view(),
         name="commentary-create"),
    path("areas/<slug:area_slug>/commentary/<int:pk>/edit/", views.CommentaryEditView.as_view(),
         name="commentary-edit"),
    path("areas/<slug:area_slug>/commentary/<int:pk>/delete/",
         views.CommentaryDeleteView.as_view(), name="commentary-delete"),
]
