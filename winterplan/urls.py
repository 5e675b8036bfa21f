from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from winterplan import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("plans/", views.PlanListView.as_view(), name="plan-list"),
    path("plans/<slug:plan_slug>/", include("actions.urls")),
    path("plans/<slug:plan_slug>/documents/", include("reports.urls")),
    path("councils/<slug:council_slug>/providers/", include("providers.urls")),
    path("oversight/", include("actions.oversight.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "winterplan.errors.bad_request"
handler403 = "winterplan.errors.permission_denied"
handler404 = "winterplan.errors.page_not_found"
handler500 = "winterplan.errors.server_error"
