from django.urls import path

from actions.plan_imports import views

app_name = "plan-imports"

urlpatterns = [
    path("import/", views.plan_import, name="import"),
    path("import/apply/", views.plan_import_apply_view, name="apply"),
]
