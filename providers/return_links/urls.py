"""The officers' return-link pages, mounted inside providers/urls.py (so under
/councils/<council_slug>/providers/ and the `providers` namespace)."""

from django.urls import path

from providers.return_links import views

urlpatterns = [
    path("<int:pk>/return-links/", views.ReturnLinkListView.as_view(), name="return-link-list"),
    path("<int:pk>/return-links/<int:link_pk>/revoke/", views.ReturnLinkRevokeView.as_view(),
         name="return-link-revoke"),
    path("returns/reminders/", views.ReturnRemindersView.as_view(), name="return-reminders"),
]
