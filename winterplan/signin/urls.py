from django.contrib.auth.decorators import login_not_required
from django.urls import path

from winterplan.signin import views

app_name = "signin"
urlpatterns = [
    path("start/", login_not_required(views.SSOStartView.as_view()), name="oidc-start"),
    path("callback/", login_not_required(views.SSOCallbackView.as_view()),
         name="oidc-callback"),
]
