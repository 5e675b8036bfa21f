from django.urls import path

from winterplan.people import views

app_name = "people"

PEOPLE = "councils/<slug:council_slug>/people/"

urlpatterns = [
    path("councils/", views.CouncilListView.as_view(), name="council-list"),
    path("councils/new/", views.CouncilCreateView.as_view(), name="council-create"),
    path(PEOPLE, views.PersonListView.as_view(), name="person-list"),
    path(PEOPLE + "invite/", views.InvitationCreateView.as_view(), name="invitation-create"),
    path(PEOPLE + "invitations/<int:pk>/resend/",
         views.InvitationActionView.as_view(action="resend"), name="invitation-resend"),
    path(PEOPLE + "invitations/<int:pk>/cancel/",
         views.InvitationActionView.as_view(action="cancel"), name="invitation-cancel"),
    path(PEOPLE + "<int:pk>/", views.PersonEditView.as_view(), name="person-edit"),
    path(PEOPLE + "<int:pk>/deactivate/", views.PersonActiveView.as_view(active=False),
         name="person-deactivate"),
    path(PEOPLE + "<int:pk>/reactivate/", views.PersonActiveView.as_view(active=True),
         name="person-reactivate"),
    path("invitations/<str:token>/", views.InvitationAcceptView.as_view(),
         name="invitation-accept"),
]
