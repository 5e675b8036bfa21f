from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from winterplan import views
from winterplan.people import views as people_views
from winterplan.signin.views import SignInView

urlpatterns = [
    path("", include("actions.home")),
    path("health", views.health, name="health"),
    path("login/", SignInView.as_view(), name="login"),
    path("sso/", include("winterplan.signin.urls")),
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
    path("account/", include("winterplan.account.urls")),
    # Forgotten password (public): Django's views, throttled, GOV.UK templates.
    path("password/reset/", people_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", people_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", people_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("accessibility/", people_views.AccessibilityView.as_view(), name="accessibility"),
    path("", include("winterplan.people.urls")),
    path("plans/<slug:plan_slug>/new-winter/", include("actions.winters.urls")),
    path("plans/<slug:plan_slug>/", include("actions.urls")),
    path("plans/<slug:plan_slug>/documents/", include("reports.urls")),
    path("councils/<slug:council_slug>/providers/", include("providers.urls")),
    path("", include("providers.return_links.public_urls")),
    path("councils/<slug:council_slug>/audit/", include("reports.audit.urls")),
    path("admin-tools/national-plans/", include("actions.plan_imports.urls")),
    path("oversight/", include("actions.oversight.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "winterplan.errors.bad_request"
handler403 = "winterplan.errors.permission_denied"
handler404 = "winterplan.errors.page_not_found"
handler500 = "winterplan.errors.server_error"
