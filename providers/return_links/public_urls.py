"""The public return-link URLs, mounted at the site's root (winterplan/urls.py): the
provider's own page and the returns API. No sign-in; the token is the credential."""

from django.urls import path

from providers.return_links.api import ReturnApiView
from providers.return_links.public import ProviderReturnView

app_name = "return-links"

urlpatterns = [
    path("return/<str:token>/", ProviderReturnView.as_view(), name="provider-return"),
    path("api/returns/", ReturnApiView.as_view(), name="api-returns"),
]
