from django.urls import path

from winterplan.account import views

urlpatterns = [
    path("", views.AccountView.as_view(), name="account"),
]
