from django.urls import path

from actions.oversight import views

app_name = "oversight"

urlpatterns = [
    path("", views.RollupView.as_view(), name="rollup"),
    path("<slug:region_slug>/", views.RollupView.as_view(), name="rollup-region"),
]
