from django.urls import path

from actions.winters import views

app_name = "winters"

urlpatterns = [
    path("", views.NewWinterView.as_view(), name="new-winter"),
    path("apply/", views.NewWinterApplyView.as_view(), name="new-winter-apply"),
]
