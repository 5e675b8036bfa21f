"""Sign-in with a password or with the council's account (OpenID Connect)."""

import logging

import requests
from django.conf import settings
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.views.generic import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from winterplan.signin import backends, provider
from winterplan.signin.forms import SignInForm
from winterplan.signin.selectors import council_managers, council_to_ask

LOGGER = logging.getLogger(__name__)
NOT_COMPLETED, UNAVAILABLE = "not-completed", "unavailable"


class SignInView(LoginView):
    """The sign-in page: a password form, and the council account button when SSO is set."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(sso_enabled=settings.OIDC_ENABLED, **kwargs)


def refused(request, reason: str, *, email: str = "", user=None, status: int = 403):
    """The page a refused council sign-in gets: why, and whom to ask."""
    council = None
    if reason in (backends.UNKNOWN, backends.INACTIVE, backends.NO_ROLE, backends.DUPLICATE):
        council = council_to_ask(user=user, email=email)
    context = {
        "reason": reason, "email": email, "council": council,
        "managers": list(council_managers(council)),
    }
    return render(request, "signin/refused.html", context, status=status)


class SSOStartView(OIDCAuthenticationRequestView):
    """Sends the visitor to the provider (state, nonce and PKCE kept in the session)."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoints are read per request, not at start-up

    def get(self, request):
        if not settings.OIDC_ENABLED:
            return redirect("login")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider.endpoints()["authorization_endpoint"]
        except provider.ProviderUnavailable:
            LOGGER.exception("OpenID provider unavailable")
            return refused(request, UNAVAILABLE, status=503)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SSOCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the visitor back: signed in, or a page saying whom to ask."""

    def get(self, request):
        if not settings.OIDC_ENABLED:
            return redirect("login")
        try:
            return super().get(request)
        except (provider.ProviderUnavailable, requests.RequestException):
            LOGGER.exception("Council sign-in failed talking to the OpenID provider")
            return refused(request, UNAVAILABLE, status=503)

    def login_failure(self):
        refusal = getattr(self.request, "sso_refusal", None) or {"reason": NOT_COMPLETED}
        return refused(self.request, refusal["reason"], email=refusal.get("email", ""),
                       user=refusal.get("user"))
